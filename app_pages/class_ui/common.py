"""What every host screen needs: the store, who is asking, the links, and safe error display."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

import streamlit as st
from streamlit import net_util

from classroom import ClassError, host, links
from classroom.database import shared_store
from classroom.models import GameRow
from games.text import plain

__all__ = ["engine", "client", "public_base", "authorized", "act", "show_error", "plain"]

log = logging.getLogger("lmm_games")


def engine():
    return shared_store()


def client() -> str:
    """Who drives this screen, for counting wrong host keys (the proxy's forwarded address
    when there is one)."""
    forwarded = st.context.headers.get("X-Forwarded-For")
    ip = st.context.ip_address
    if forwarded and ip is None:
        return forwarded.split(",")[0].strip()[:64]
    return ip or "this computer"


def public_base() -> str:
    """The address phones use (see classroom.links.public_base)."""
    configured = os.environ.get("CLASS_PUBLIC_URL")
    if not configured:
        try:
            configured = st.secrets.get("classroom", {}).get("public_url")
        except Exception:  # noqa: BLE001 - no or unreadable secrets file: nothing configured
            configured = None
    port = st.get_option("server.port") or 8501
    return links.public_base(st.context.url, net_util.get_internal_ip(), configured, port)


def show_error(error: ClassError) -> None:
    st.error(error.message, icon=":material/block:")


def authorized(code: str, key: str | None) -> GameRow | None:
    """The game this link opens, or None after saying why not."""
    if not key:
        st.error("This link has a game code but no host key. Only the host link you got when "
                 "you created the game can drive it; students join at /join.",
                 icon=":material/key_off:")
        return None
    try:
        return host.authorize(engine(), code, key, client())
    except ClassError as error:
        show_error(error)
        st.page_link("app_pages/class_host.py", label="Create a new class game",
                     icon=":material/add_circle:", query_params={})
        return None


def act(action: Callable, *args, **kwargs) -> bool:
    """Run a host action; on success redraw the whole screen, else show why not."""
    try:
        action(engine(), *args, **kwargs)
    except ClassError as error:
        st.session_state["class.notice"] = error.message
        return False
    except Exception:  # noqa: BLE001 - the screen must never show a traceback
        log.exception("class game host action failed")
        st.session_state["class.notice"] = ("Something went wrong on the server; the game is "
                                            "unchanged. Try again.")
        return False
    st.session_state.pop("class.notice", None)
    return True
