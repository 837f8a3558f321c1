"""Home: what the app teaches, and the games grouped by topic."""

from collections import defaultdict

import streamlit as st

from games import GAMES, page_path
from games.ui import show_notice

st.title("Mixed models, played")
show_notice()  # e.g. a shared link's difficulty that the app does not have
st.markdown(
    "You know `lm()`. Mixed models (lme4's `lmer()`) add one idea: **observations come in "
    "groups** — trials within participants, pupils within schools — and the groups differ "
    "from each other in a way the model describes with a few standard deviations.\n\n"
    "Each game below shows you a simulated study and asks you to make one decision. Then "
    "the fitted models reveal what they say and why. Every round has a number: share the "
    "page address and others get the very same round."
)

by_topic = defaultdict(list)
for game in GAMES.values():
    by_topic[game.topic].append(game)

for topic, games in by_topic.items():
    st.subheader(topic)
    for game in games:
        with st.container(border=True):
            st.page_link(page_path(game.id), label=f"**{game.title}**",
                         icon=":material/play_circle:")
            st.caption(game.summary)

st.subheader("Fit your own model")
with st.container(border=True):
    st.page_link("app_pages/sandbox.py", label="**Sandbox**", icon=":material/science:")
    st.caption("Pick a course dataset, a simulated study or your own CSV, type an lme4 formula "
               "and read the summary, the shrinkage plot and bootstrap intervals. Includes a "
               "step-by-step walkthrough of the course's sleep study.")

st.subheader("In class and at home")
with st.container(border=True):
    st.page_link("app_pages/class_host.py", label="**Host a class game**",
                 icon=":material/co_present:")
    st.caption("Lecturers: run rounds on the projector while the class answers on their "
               "phones. Students: open `/join` at this address and type the code on the "
               "projector.")
with st.container(border=True):
    st.page_link("app_pages/teach.py", label="**Set homework**", icon=":material/school:")
    st.caption("Lecturers: pick games and rounds, upload a class list, and every student gets "
               "a personal link to their own datasets, graded automatically; export the "
               "gradebook for your learning platform, or the questions as Moodle XML.")
with st.container(border=True):
    st.page_link("app_pages/progress.py", label="**My progress**",
                 icon=":material/trending_up:")
    st.caption("Keep your score, your rounds and the mistakes you made across visits and "
               "devices with a personal link (no password), and practise what you got wrong. "
               "Students with homework: open the personal link your lecturer sent you.")

st.caption("Pick the difficulty in the sidebar. Your score and streak last for this visit, "
           "unless you keep your progress (My progress).")
