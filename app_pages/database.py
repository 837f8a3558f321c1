"""The app's one database engine (store.shared_engine: migrated once per process), and the
app's address for links. Not a page: imported by pages and by the router's round sources."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

import store


def get_engine() -> Engine:
    """The engine for DATABASE_URL (or the default SQLite file), migrated on first use; the
    same one the class games' phone endpoints use."""
    return store.shared_engine()


def base_url() -> str:
    """The app's address as the browser sees it, without a page or query (for links)."""
    url = (st.context.url or "http://localhost:8501").split("?")[0].rstrip("/")
    for page in ("/homework", "/teach", "/progress"):
        if url.endswith(page):
            url = url[: -len(page)]
    return url
