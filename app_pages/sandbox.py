"""Sandbox: fit your own model to the course's data, a simulated study or your own CSV file.

UI only, one section per module in app_pages/sandbox_page/; the logic (uploads, suggestions,
mistakes, fitting, time limits, pictures, the worked example) is in the pure ``sandbox``
package. Nothing the learner typed is lost: the formula is remembered per dataset family, with
a short history, through data changes, the walkthrough, stopped fits and page visits.
"""

from __future__ import annotations

import streamlit as st

from app_pages.sandbox_page.common import guard, init
from app_pages.sandbox_page.data import choose_data
from app_pages.sandbox_page.intervals import intervals_section
from app_pages.sandbox_page.model import model_section
from app_pages.sandbox_page.pooling import pooling_section
from app_pages.sandbox_page.walkthrough import walkthrough

init()
st.title("Sandbox: fit your own model")
st.markdown("Pick a dataset, type an lme4 formula and see what `lmer()` says: the summary with "
            "p-values, how the groups' lines are pulled together, and how sure the estimates "
            "are.")
with guard("showing the walkthrough"):
    walkthrough()
dataset = fitted = None
with guard("reading the data"):
    dataset = choose_data()
if dataset is not None:
    with guard("fitting the model"):
        fitted = model_section(dataset)
if fitted is not None:
    with guard("drawing the pooling plots"):
        pooling_section(dataset, fitted)
    with guard("computing the intervals"):
        intervals_section(dataset, fitted)
