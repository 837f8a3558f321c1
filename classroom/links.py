"""The links a host shares (pure): where phones join, and the host's own link.

Phones must reach the server by an address they can use: the address the host's browser used,
unless that was this computer itself (localhost), in which case the computer's address on the
hall's network (what Streamlit prints as "Network URL"). A department server behind a proxy
sets CLASS_PUBLIC_URL (or ``[classroom] public_url`` in secrets) to its public address.
"""

from __future__ import annotations

import io
from urllib.parse import quote, urlsplit

import segno

__all__ = ["public_base", "join_link", "host_link", "qr_png", "LOCAL_HOSTS"]

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0", "")


def public_base(browser_url: str | None, network_ip: str | None,
                configured: str | None = None, port: int = 8501) -> str:
    """scheme://host[:port] that phones can open."""
    if configured:
        return configured.rstrip("/")
    parts = urlsplit(browser_url or "")
    host = (parts.hostname or "").lower()
    if host and host not in LOCAL_HOSTS and not host.startswith("127."):
        return f"{parts.scheme or 'http'}://{parts.netloc}"
    where = network_ip or "localhost"
    return f"http://{where}:{parts.port or port}"


def join_link(base: str, code: str) -> str:
    return f"{base}/join?code={quote(code)}"


def host_link(base: str, code: str, key: str) -> str:
    return f"{base}/class?code={quote(code)}&key={quote(key)}"


def qr_png(link: str, scale: int = 12) -> bytes:
    """The link as a QR code (PNG), large enough to scan from the back of a hall."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()
