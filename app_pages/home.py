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

st.subheader("In class")
with st.container(border=True):
    st.page_link("app_pages/class_host.py", label="**Host a class game**",
                 icon=":material/co_present:")
    st.caption("Lecturers: run rounds on the projector while the class answers on their "
               "phones. Students: open `/join` at this address and type the code on the "
               "projector.")

st.caption("Pick the difficulty in the sidebar. Your score and streak last for this visit.")
