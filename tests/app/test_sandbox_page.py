"""AppTest over the sandbox page: the course fit, the walkthrough, formulas good and bad (and
never lost), every simulated study, uploads good and bad, the pooling plots and the bootstrap.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import lmm_core
import simulators
from games.text import JOINER
from sandbox import COURSE_FORMULA, MAX_BYTES
from sandbox.formulas import numeric_columns

TIMEOUT = 90
APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "app_pages/sandbox.py"


def _open() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(PAGE).run()
    _ok(at)
    return at


def _read(markdown: str) -> str:
    """Markdown as it reads on screen: backslash escapes (games.text.plain) removed."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(JOINER, "")


def _errors(at: AppTest) -> list[str]:
    return [_read(e.value) for e in at.error]


def _ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not any("something went wrong" in e.value for e in at.error), [e.value for e in at.error]


def _summary(at: AppTest) -> str:
    texts = [c.value for c in at.code if c.value.startswith("Linear mixed model fit")]
    return texts[0] if texts else ""


def _formula(at: AppTest, text: str) -> AppTest:
    at.text_input(key="sandbox.formula").set_value(text).run()
    _ok(at)
    return at


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption]
    parts += [m.value for kind in ("error", "warning", "info") for m in getattr(at, kind)]
    return _read("\n".join(parts))


def _charts(at: AppTest) -> int:
    return len(at.get("vega_lite_chart"))


def _upload(at: AppTest, name: str, content: bytes, mime: str = "text/csv") -> AppTest:
    at.radio(key="sandbox.source").set_value("Upload a CSV").run()
    at.file_uploader(key="sandbox.uploader").set_value((name, content, mime)).run()
    _ok(at)
    return at


def test_opens_with_the_course_example_fitted():
    at = _open()
    assert at.title[0].value == "Sandbox: fit your own model"
    assert at.text_input(key="sandbox.formula").value == COURSE_FORMULA
    text = _summary(at)
    assert "REML criterion at convergence: 1771.4" in text and "Data: sleep_seed" in text
    assert "Satterthwaite" in text
    direct = lmm_core.lmer(COURSE_FORMULA, simulators.load("sleep_seed"))
    assert text == str(direct.summary(ddf="Satterthwaite")).replace("Data: data",
                                                                    "Data: sleep_seed")
    tables = [d.value for d in at.dataframe]
    coef = next(t for t in tables if "Pr(>|t|)" in t.columns)
    np.testing.assert_allclose(coef["Estimate"], direct.fixef, rtol=1e-9)
    np.testing.assert_allclose(coef["df"], direct.coef_table("Satterthwaite")["df"], rtol=1e-9)
    assert _charts(at) == 3  # one group up close, shrinkage, every group's panels
    assert not at.error and not at.warning


def test_walkthrough_names_the_course_numbers_and_keeps_the_typed_formula():
    at = _open()
    at.radio(key="sandbox.source").set_value("Simulated study").run()
    at.selectbox(key="sandbox.scenario").set_value("schools_crossed").run()
    typed = "extraversion ~ openness + (1 | school)"
    _formula(at, typed)
    at.button(key="sandbox.tour_start").click().run()
    _ok(at)
    assert at.radio(key="sandbox.source").value == "Course data"
    assert at.text_input(key="sandbox.formula").value == COURSE_FORMULA
    seen = []
    for _ in range(5):
        seen.append(_texts(at))
        nxt = [b for b in at.button if b.key == "sandbox.tour_next"]
        if not nxt:
            break
        nxt[0].click().run()
        _ok(at)
    walk = "\n".join(seen)
    for number in ("1771.4", "252.5 ms", "10.45 ms per day", "24.1 ms", "5.92 ms per day",
                   "0.07", "25.5 ms", "**373** only on day 0", "**374** has 2 observations"):
        assert number in walk, number
    assert "step 5 of 5" in seen[-1]
    at.button(key="sandbox.tour_close").click().run()
    assert at.session_state["sandbox.tour"] is None
    # the formula typed for the schools study is still there when its study comes back
    at.radio(key="sandbox.source").set_value("Simulated study").run()
    assert at.text_input(key="sandbox.formula").value == typed


def test_a_formula_typo_shows_the_caret_and_keeps_the_text():
    at = _open()
    typo = "reaction ~ 1 + days + (1 + days | subject"
    _formula(at, typo)
    assert any("This formula cannot be read" in e.value for e in at.error)
    caret = [c.value for c in at.code if "never closed" in c.value]
    assert caret and caret[0].rstrip().endswith("^")
    assert at.text_input(key="sandbox.formula").value == typo
    assert _summary(at) == "" and _charts(at) == 0
    _formula(at, COURSE_FORMULA)
    assert "1771.4" in _summary(at)


@pytest.mark.parametrize(("formula", "words"), [
    ("reaction ~ dayz + (1 | subject)", "Did you mean 'days'"),
    ("reaction ~ days", "no random-effects term"),
    ("subject ~ days + (1 | subject)", "must be numeric"),
])
def test_formulas_that_cannot_be_fitted_say_why(formula, words):
    at = _formula(_open(), formula)
    assert any(words in e for e in _errors(at)), _errors(at)
    assert at.text_input(key="sandbox.formula").value == formula


def test_each_dataset_keeps_its_own_formula_and_page_visits_lose_nothing():
    at = _open()
    mine = "reaction ~ 1 + days + (1 | subject)"
    _formula(at, mine)
    at.selectbox(key="sandbox.course").set_value("sleepstudy").run()
    assert at.text_input(key="sandbox.formula").value.startswith("Reaction ~ 1 + Days")
    assert "Data: sleepstudy" in _summary(at)
    at.selectbox(key="sandbox.course").set_value("sleep_seed").run()
    assert at.text_input(key="sandbox.formula").value == mine
    at.switch_page("app_pages/home.py").run()
    at.switch_page(PAGE).run()
    _ok(at)
    assert at.text_input(key="sandbox.formula").value == mine
    # an earlier formula comes back from the history
    _formula(at, COURSE_FORMULA)
    at.selectbox(key="sandbox.earlier").set_value(mine).run()
    assert at.text_input(key="sandbox.formula").value == mine
    at.button(key="sandbox.reset").click().run()
    assert at.text_input(key="sandbox.formula").value == COURSE_FORMULA


@pytest.mark.parametrize("scenario", list(simulators.SCENARIOS))
def test_every_simulated_study_fits_with_its_own_formula(scenario):
    at = _open()
    at.radio(key="sandbox.source").set_value("Simulated study").run()
    at.selectbox(key="sandbox.scenario").set_value(scenario).run()
    _ok(at)
    expected = simulators.generate(scenario, seed=1)
    assert at.text_input(key="sandbox.formula").value == expected.formula
    assert f"Data: {scenario}" in _summary(at)
    assert any("true values" in e.label for e in at.expander)
    text = _texts(at)
    if lmm_core.lmer(expected.formula, expected.data).messages:
        assert at.warning
    if len(numeric_columns(expected.data)) < 2:
        assert "no numeric predictor besides the outcome" in text
    else:
        assert _charts(at) == 3


def test_a_new_seed_keeps_the_formula_and_bad_settings_say_why():
    at = _open()
    at.radio(key="sandbox.source").set_value("Simulated study").run()
    _formula(at, "reaction ~ 1 + days + (1 | subject)")
    first = _summary(at)
    at.number_input(key="sandbox.seed").set_value(7).run()
    assert at.text_input(key="sandbox.formula").value == "reaction ~ 1 + days + (1 | subject)"
    assert _summary(at) != first
    at.selectbox(key="sandbox.scenario").set_value("outliers").run()
    at.number_input(key="sandbox.param.outliers.n_participants").set_value(8).run()
    at.number_input(key="sandbox.param.outliers.n_outliers").set_value(5).run()
    _ok(at)
    assert any("do not work together" in e and "too many" in e for e in _errors(at))


def test_uploading_a_csv_suggests_a_formula_and_fits_it():
    data = simulators.load("sleep_seed").rename(columns={"reaction": "reaction time"})
    at = _upload(_open(), "my study.csv", data.to_csv(index=False).encode())
    renamed = next(d.value for d in at.dataframe if "in your file" in d.value.columns)
    assert renamed.to_dict("list") == {"in your file": ["reaction time"],
                                       "in formulas": ["reaction.time"]}
    formula = at.text_input(key="sandbox.formula").value
    assert formula == "reaction.time ~ 1 + days + (1 | subject)"
    assert "Data: my.study" in _summary(at)
    preview = [d.value for d in at.dataframe if "in your file" not in d.value.columns]
    assert list(preview[0].columns) == ["subject", "days", "reaction.time"]
    assert len(preview[0]) == 8 and "could be" in preview[1].columns
    _formula(at, "reaction.time ~ 1 + days + (1 + days | subject)")
    assert "REML criterion at convergence: 1771.4" in _summary(at)


@pytest.mark.parametrize(("name", "content", "words"), [
    ("results.xlsx", b"PK\x03\x04" + bytes(100), "Excel workbook"),
    ("empty.csv", b"", "is empty"),
    ("big.csv", b"x,y\n" + b"1,2\n" * (MAX_BYTES // 4 + 1), "more than the 5 MB limit"),
    ("words.csv", b"name,group\nann,a\nbob,b\n", "None of the columns"),
    ("one.csv", b"score\n1\n2\n3\n", "only one column"),
    ("header.csv", b"a,b,c\n", "no rows of data"),
])
def test_bad_uploads_get_a_clear_message(name, content, words):
    at = _upload(_open(), name, content)
    errors = _errors(at)
    assert any(words in e for e in errors), errors
    assert _summary(at) == ""
    assert any("Upload a CSV file" in i.value for i in at.info)


def test_a_bad_upload_keeps_the_earlier_good_one():
    good = simulators.load("sleep_seed").to_csv(index=False).encode()
    at = _upload(_open(), "good.csv", good)
    at.file_uploader(key="sandbox.uploader").set_value(("bad.csv", b"", "text/csv")).run()
    _ok(at)
    assert any("is empty" in e for e in _errors(at))
    assert "Still using your earlier file, good.csv" in _texts(at)
    assert "Data: good" in _summary(at)


def test_pooling_choices_follow_the_formula():
    at = _open()
    assert at.selectbox(key="sandbox.pool_predictor").value == "days"
    assert at.selectbox(key="sandbox.pool_group").value == "subject"
    assert at.selectbox(key="sandbox.pool_focus").value == "374"  # fewest observations first
    assert "**374** has 2 observations" in _texts(at)
    at.selectbox(key="sandbox.pool_focus").set_value("373").run()
    assert "too few for a line of its own" in _texts(at)
    at.radio(key="sandbox.source").set_value("Simulated study").run()
    at.selectbox(key="sandbox.scenario").set_value("schools_nested").run()
    assert at.selectbox(key="sandbox.pool_group").value == "school"
    assert at.selectbox(key="sandbox.pool_predictor").value == "openness"
    _formula(at, "extraversion ~ social + (1 + social | school)")
    assert at.selectbox(key="sandbox.pool_predictor").value == "social"
    at.selectbox(key="sandbox.pool_predictor").set_value("agreeableness").run()
    _ok(at)
    assert "agreeableness" in _texts(at) and _charts(at) == 3


def test_bootstrap_runs_on_demand_next_to_wald_and_profile():
    at = _open()
    assert not any("95% intervals" in m.value for m in at.markdown)
    at.selectbox(key="sandbox.boot_n").set_value(100).run()
    at.button(key="sandbox.boot_run").click().run()
    _ok(at)
    assert any("95% intervals" in m.value and "100 samples" in m.value for m in at.markdown)
    table = next(d.value for d in at.dataframe if "bootstrap from" in d.value.columns)
    fit = lmm_core.lmer(COURSE_FORMULA, simulators.load("sleep_seed"))
    boot = lmm_core.bootstrap(fit, n=100, kind="parametric", rng=1).ci()
    np.testing.assert_allclose(table["bootstrap from"], boot["lower"].reindex(table.index))
    np.testing.assert_allclose(table.loc["days", ["Wald from", "Wald to"]].to_numpy(float),
                               fit.confint(method="Wald").loc["days"])
    assert pd.isna(table.loc["sigma", "Wald from"])
    np.testing.assert_allclose(table["profile to"],
                               fit.confint(method="profile").iloc[:, 1].reindex(table.index),
                               rtol=1e-6)
    # the run stays with its fit: another formula has none until asked
    _formula(at, "reaction ~ 1 + days + (1 | subject)")
    assert not any("95% intervals" in m.value for m in at.markdown)


# ----- mistakes before fitting ------------------------------------------------------------------
def test_the_same_random_term_twice_is_explained_not_fitted():
    at = _open()
    twice = "reaction ~ days + (1|subject) + (1|subject)"
    _formula(at, twice)
    text = _texts(at)
    assert "The same random effect twice" in text and "centring or scaling would not help" in text
    assert _summary(at) == "" and not any("lme4 says" in w.value for w in at.warning)
    assert [c.value for c in at.code] == ["reaction ~ days + (1 | subject)"]
    at.button(key="sandbox.fit_anyway").click().run()
    _ok(at)
    assert "REML criterion" in _summary(at)  # fitted as lme4 would, with its warnings
    assert any("lme4 says" in w.value for w in at.warning)


def test_use_the_fix_keeps_the_typed_formula_in_the_history():
    at = _open()
    twice = "reaction ~ days + (days|subject) + (1|subject)"
    _formula(at, twice)
    at.button(key="sandbox.use_fix").click().run()
    _ok(at)
    # the course's model, written as lme4 writes it (COURSE_FORMULA spells out the 1 +)
    assert at.text_input(key="sandbox.formula").value == "reaction ~ days + (days | subject)"
    assert "1771.4" in _summary(at)
    assert twice in at.selectbox(key="sandbox.earlier").options


# ----- tricky uploads ---------------------------------------------------------------------------
def _sleep_csv(**renames) -> bytes:
    return simulators.load("sleep_seed").rename(columns=renames).to_csv(index=False).encode()


def test_unicode_and_invisible_headers_fit_with_the_suggested_formula():
    raw = _sleep_csv(reaction="réaction", days="\u200bdays")
    at = _upload(_open(), "études.csv", raw)
    assert at.text_input(key="sandbox.formula").value == "réaction ~ 1 + days + (1 | subject)"
    renamed = next(d.value for d in at.dataframe if "in your file" in d.value.columns)
    assert renamed.to_dict("list") == {"in your file": ["<U+200B>days"], "in formulas": ["days"]}
    assert "Data: études" in _summary(at)


@pytest.mark.parametrize(("name", "raw", "words"), [
    ("u32.csv", "g,y\nä,1\nö,2\nä,3\nö,4\n".encode("utf-32"), "Read as UTF-32 text."),
    ("nul.csv", b"g,y\na,1\nb\x00,2\n", "Line 3 of “nul.csv” contains a NUL character"),
])
def test_utf32_is_read_and_a_nul_byte_is_named(name, raw, words):
    at = _upload(_open(), name, raw)
    assert words in _texts(at)


def test_an_infinite_cell_is_named_and_the_fit_explains_instead_of_failing():
    raw = simulators.load("sleep_seed").astype({"days": float}).to_csv(index=False)
    raw = raw.replace("\n308,3.0,", "\n308,inf,", 1).encode()
    at = _upload(_open(), "inf.csv", raw)
    assert "days" not in at.text_input(key="sandbox.formula").value  # not suggested
    _formula(at, "reaction ~ days + (1 | subject)")
    text = _texts(at)
    assert "Column days holds an infinite value (inf) in row 4" in text
    assert "` days ` holds an infinite value" in text and "row(s) 4" in text
    assert _summary(at) == "" and not at.exception


def test_missing_values_show_as_na_and_their_note_is_not_lme4s():
    data = simulators.load("sleep_seed")
    data.loc[[0, 5], "reaction"] = None
    at = _upload(_open(), "gaps.csv", data.to_csv(index=False).encode())
    assert at.dataframe[0].proto.placeholder == "NA"
    assert at.dataframe[0].value["reaction"].isna().sum() == 2
    notes = [i.value for i in at.info if "missing values removed" in i.value]
    assert notes and notes[0].startswith("**Note:**") and "lme4 says" not in notes[0]


# ----- time limits ------------------------------------------------------------------------------
SIX_SLOPES = ("Reaction ~ Days + (Days + I(Days^2) + I(Days^3) + sqrt(Days) + log1p(Days) + "
              "abs(Days - 4) | Subject)")


def test_a_slow_fit_waits_for_a_click_and_stops_at_the_limit(monkeypatch):
    from sandbox import limits

    monkeypatch.setattr(limits, "QUICK_SECONDS", 0.0)
    monkeypatch.setattr(limits, "FIT_SECONDS", 0.05)
    at = _open()
    at.selectbox(key="sandbox.course").set_value("sleepstudy").run()
    _formula(at, SIX_SLOPES)
    assert "A big model" in _texts(at) and "28 variance and correlation" in _texts(at)
    assert _summary(at) == ""
    at.button(key="sandbox.fit_slow").click().run()
    _ok(at)
    assert "The fit stopped at the" in _texts(at) and "time limit" in _texts(at)
    assert at.text_input(key="sandbox.formula").value == SIX_SLOPES  # nothing lost
    at.run()  # a rerun does not start it again
    assert "The fit stopped at the" in _texts(at) and _summary(at) == ""


def test_a_bootstrap_far_over_its_limit_is_refused_and_one_over_it_stops(monkeypatch):
    from sandbox import limits

    at = _open()
    monkeypatch.setattr(limits, "BOOT_SECONDS", 1e-3)
    at.selectbox(key="sandbox.boot_n").set_value(2000).run()
    assert "Too long for the sandbox" in _texts(at)
    assert not [b for b in at.button if b.key == "sandbox.boot_run"]
    monkeypatch.setattr(limits, "BOOT_SECONDS", 600.0)
    monkeypatch.setattr(limits, "Deadline", _quick_deadline(limits))
    at.selectbox(key="sandbox.boot_n").set_value(100).run()
    at.button(key="sandbox.boot_run").click().run()
    _ok(at)
    assert "The bootstrap stopped at the" in _texts(at) and "of 100 refits" in _texts(at)
    assert not any("95% intervals" in m.value for m in at.markdown)


def _quick_deadline(limits):
    """A Deadline whose limit has passed at the first progress call."""
    deadline = limits.Deadline
    return lambda limit, show=None: deadline(0.0, show=show)


# ----- text from users stays text ---------------------------------------------------------------
HOSTILE = ("[x](http://example.org)", "![x](http://example.org/x.png)",
           "<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


def _rendered(at: AppTest) -> list[str]:
    """Every piece of Markdown the page sent, widget labels included."""
    texts = [e.value for kind in ("markdown", "caption", "error", "warning", "info", "success",
                                  "subheader", "title") for e in getattr(at, kind)]
    texts += [e.label for e in at.expander] + [w.label for w in at.selectbox]
    return texts


def _unsafe(markdown: str) -> list[str]:
    """Links, images and HTML that Markdown would render (code spans and backslash-escaped
    characters excluded), and GitHub autolinks, which are found after escapes are read."""
    text = re.sub(r"(`+).*?\1", "", markdown, flags=re.S)
    syntax = re.findall(r"\]\(|!\[|<[A-Za-z/!?]", re.sub(r"\\[!-/:-@\[-`{-~]", "", text))
    shown = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)  # as read: word joiners stay
    return syntax + re.findall(r"(?i)https?://|www\.|[\w.+-]@[\w-]+\.\w", shown)


def test_hostile_text_is_never_rendered_as_markdown():
    data = simulators.load("sleep_seed")
    labels = {s: f"{HOSTILE[k % 4]}{k}" for k, s in enumerate(data["subject"].unique())}
    data["subject"] = data["subject"].map(labels)
    for k, bad in enumerate(HOSTILE):
        data[bad] = k  # hostile column names
    name = "[x](http://example.org)<img src=x onerror=alert(1)>.csv"
    at = _upload(_open(), name, data.to_csv(index=False).encode())
    assert "reaction" in _summary(at)
    assert any(HOSTILE[0] in _read(t) for t in _rendered(at))  # shown, as text
    assert any(HOSTILE[0] in str(v) for v in at.selectbox(key="sandbox.pool_focus").options)
    bad = {t: _unsafe(t) for t in _rendered(at) if _unsafe(t)}
    assert not bad, bad
    for formula in (f"reaction ~ days + (1 | `{HOSTILE[1]}`)", f"{HOSTILE[2]} ~ days",
                    f"reaction ~ days + (1|subject) + (1|subject) + `{HOSTILE[3]}`"):
        _formula(at, formula)
        bad = {t: _unsafe(t) for t in _rendered(at) if _unsafe(t)}
        assert not bad, (formula, bad)


# ----- statsmodels beside lmerTest -------------------------------------------------------------
def test_statsmodels_beside_lmertest_and_why_they_differ():
    at = _open()
    at.toggle(key="sandbox.peer").set_value(True).run()
    _ok(at)
    table = next(d.value for d in at.dataframe if "statsmodels p" in d.value.columns)
    assert list(table.index) == ["(Intercept)", "days"]
    assert "Different p-values" in _texts(at) and "Satterthwaite" in _texts(at)
    _formula(at, "reaction ~ days + (days | subject) + (1 | days)")
    assert "cannot express" in _texts(at)  # slopes and a second factor: not statsmodels' kind
