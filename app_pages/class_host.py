"""Host a class game: create one from a playlist, then drive it on the projector.

UI only: the screens are in app_pages/class_ui, the logic in the ``classroom`` package. The
host's link carries the game's code and host key (``?code=...&key=...``): the only way to
drive the game, from this or any other device, and to reopen its summary later.
"""

import streamlit as st

from app_pages.class_ui import common, create, stage

st.set_page_config(page_title="Class game", page_icon="🎓", layout="wide")

code, key = st.query_params.get("code"), st.query_params.get("key")
if not code:
    create.draw()
else:
    game = common.authorized(code, key)
    if game is not None:
        stage.draw(game, key)
