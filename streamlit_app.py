"""The router: st.navigation over the home page and one page per game, plus the shared sidebar.

Pages are files (AppTest can only switch to files). Game pages come from the games.GAMES
registry, grouped by topic; non-game pages live in app_pages/ and are listed in OTHER_PAGES;
the class games' host page has its own section.

This file is also the server: ``streamlit run streamlit_app.py`` finds the ``st.App`` at the
bottom (imported, not run as a script) and serves it with uvicorn: every Streamlit page above
for browsers, plus the class games' light phone page and JSON endpoints (classroom.web) on the
same port. Streamlit runs this file as ``__main__`` for each session: then it is the router.
"""

import os

# One BLAS thread: on small matrices OpenBLAS's thread start-up costs ~10 ms per call on this
# kind of machine (a round took 220 ms instead of 13 ms). Must run before numpy/scipy load;
# an explicit setting in the environment wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import logging  # noqa: E402
from collections import defaultdict  # noqa: E402

import streamlit as st  # noqa: E402

from app_pages import round_sources  # noqa: E402
from games import DIFFICULTIES, GAMES, page_path  # noqa: E402
from games.ui import DIFFICULTY_HELP, apply_url_difficulty, draw_scoreboard, init_session  # noqa: E402

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")

# Non-game pages after the games: (file, title, url path, icon). Later pages append here.
OTHER_PAGES: list[tuple[str, str, str, str]] = [
    ("app_pages/sandbox.py", "Sandbox: fit your own model", "sandbox", ":material/science:"),
    ("app_pages/progress.py", "My progress", "progress", ":material/trending_up:"),
    ("app_pages/homework.py", "My homework", "homework", ":material/assignment:"),
    ("app_pages/teach.py", "Set homework (lecturers)", "teach", ":material/school:"),
]

# The class games: the host's page (students join on the light phone page, /join).
CLASS_PAGES: list[tuple[str, str, str, str]] = [
    ("app_pages/class_host.py", "Host a class game", "class", ":material/co_present:"),
]


def main() -> None:
    st.set_page_config(page_title="Mixed models, played", page_icon="🎲", layout="centered")
    init_session()
    apply_url_difficulty()

    sections: dict[str, list] = {"": [st.Page("app_pages/home.py", title="Home",
                                              icon=":material/home:", default=True)]}
    by_topic: dict[str, list] = defaultdict(list)
    for game in GAMES.values():
        by_topic[game.topic].append(st.Page(page_path(game.id), title=game.title,
                                            url_path=game.id))
    sections |= by_topic
    if OTHER_PAGES:
        sections["More"] = [st.Page(f, title=t, url_path=u, icon=i) for f, t, u, i in OTHER_PAGES]
    sections["In class"] = [st.Page(f, title=t, url_path=u, icon=i) for f, t, u, i in CLASS_PAGES]

    page = st.navigation(sections)
    # Homework, the lecturer's view of a student's round, or remembered practice (from the URL).
    round_sources.install(page.url_path if page.url_path in GAMES else None)

    with st.sidebar:
        st.selectbox(
            "Difficulty",
            DIFFICULTIES,
            key="app.difficulty",
            format_func=str.capitalize,
            help=" · ".join(f"{d}: {why}" for d, why in DIFFICULTY_HELP.items()),
        )
        # Scores are recorded in the answer form's callback, before this script runs: drawn
        # here, first, the sidebar is right even while a slow reveal computes below.
        draw_scoreboard(st.container())
        notice = st.session_state.pop("app.progress_notice", None)
        if notice:
            st.warning(notice, icon=":material/link_off:")
        if st.session_state.get("app.learner") is None:
            st.page_link("app_pages/progress.py", label="Keep my progress across visits",
                         icon=":material/bookmark_add:")
        else:
            st.caption("Your progress is kept (see My progress).")

    page.run()


if __name__ == "__main__":  # Streamlit runs this file for every session: the router
    main()
else:  # `streamlit run` imports it and serves this app: the pages plus the phones' endpoints
    from classroom.web import routes  # noqa: E402

    app = st.App(__file__, routes=routes())
