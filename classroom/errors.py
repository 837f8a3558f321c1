"""What can go wrong in a class game, each with a message a student or lecturer can act on.

``status`` is the HTTP status the phone endpoints answer with; pages show ``message``.
"""

from __future__ import annotations

__all__ = ["ClassError", "Invalid", "Forbidden", "NotFound", "Conflict", "TooMany"]


class ClassError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Invalid(ClassError):
    """The input cannot be used (a malformed code, nickname or answer)."""


class Forbidden(ClassError):
    """A wrong host key or player token."""

    status = 403


class NotFound(ClassError):
    """No such game."""

    status = 404


class Conflict(ClassError):
    """Right input at the wrong moment (the question is locked, the nickname is taken)."""

    status = 409


class TooMany(ClassError):
    """Too many wrong host keys from one device: wait, then try again."""

    status = 429
