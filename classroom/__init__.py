"""Class games: a host drives rounds on the projector, students answer on their phones.

Pure logic over the store (no streamlit): codes, nicknames, the phase state machine (phases),
playlists, rounds as phones see them, the host's and the players' actions (host, players),
scoring and the leaderboard, aggregates for the projector, the class's answers as data
(class_data), CSV exports, and the phones' page and JSON endpoints (web, live). The game's state
lives in the database, so any app process can serve any phone. See docs/architecture.md.
"""

from .database import open_store
from .errors import ClassError, Conflict, Forbidden, Invalid, NotFound, TooMany
from .playlists import Slot, lecture_playlist

__all__ = ["open_store", "ClassError", "Conflict", "Forbidden", "Invalid", "NotFound",
           "TooMany", "Slot", "lecture_playlist"]
