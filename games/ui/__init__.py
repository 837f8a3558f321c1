"""The shared round loop and drawing helpers (Streamlit only; logic modules never import this).

A game page is a few lines: ``play(GAME, show_reveal, show_question=..., form=Form(...))``.
``loop`` runs the round, ``forms`` draws and scores the answer form, ``rounds`` picks the round
and caches what is computed from it (``round_cache``, ``slow_result``), ``session`` keeps the
score, and ``show`` holds the drawing helpers (tables, charts, plain user text, the reveal's
key numbers and sections).
"""

from .forms import Form, answer_form, widget_key
from .loop import play
from .rounds import cached_round, current_round, new_round, new_seed, round_cache, slow_result
from .session import (
    DIFFICULTY_HELP,
    apply_url_difficulty,
    draw_scoreboard,
    init_session,
    record,
    show_notice,
)
from .show import (
    friendly_errors,
    key_numbers,
    layered_reveal,
    more,
    p_value_text,
    paragraphs,
    run_with_progress,
    say,
    show_chart,
    style_table,
    user_text,
)
from .sources import Refused, RoundSource, source

__all__ = [
    "play", "Form", "answer_form", "widget_key",
    "cached_round", "current_round", "new_round", "new_seed", "round_cache", "slow_result",
    "DIFFICULTY_HELP", "apply_url_difficulty", "draw_scoreboard", "init_session", "record",
    "show_notice",
    "friendly_errors", "key_numbers", "layered_reveal", "more", "paragraphs", "p_value_text",
    "run_with_progress", "say", "show_chart", "style_table", "user_text",
    "RoundSource", "Refused", "source",
]
