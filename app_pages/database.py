"""The app's one database engine (store.make_engine + migrations), shared by every session.

A cached resource, keyed by the configured URL, so tests that point DATABASE_URL elsewhere get
their own. Not a page: imported by pages and by the router's round sources.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

import store


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = store.make_engine(url)
    store.migrate(engine)
    return engine


def get_engine() -> Engine:
    """The engine for DATABASE_URL (or the default SQLite file), migrated on first use."""
    return _engine(store.database_url().render_as_string(hide_password=False))


def base_url() -> str:
    """The app's address as the browser sees it, without a page or query (for links)."""
    url = (st.context.url or "http://localhost:8501").split("?")[0].rstrip("/")
    for page in ("/homework", "/teach", "/progress"):
        if url.endswith(page):
            url = url[: -len(page)]
    return url
