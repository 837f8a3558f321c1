"""Personal versions: each student's round seeds from a keyed hash, and their links.

A seed is ``HMAC-SHA256(assignment secret, "student id | item | round")`` cut to 48 bits: the
same inputs always give the same version (regrading, office hours), nobody without the secret
can predict another student's data, and in a class of 300 with 15 rounds each the chance that
two rounds share a seed is about 4500² / 2⁴⁹ ≈ 4e-8. 48 bits also stay exact in a browser's
numbers and fit a ``?seed=`` link.

A student's link token is an HMAC of the lecturer's key, so the lecturer can download every
link again at any time while the database keeps only the tokens' hashes (store.token_hash).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

__all__ = ["SEED_BITS", "new_secret", "personal_seed", "student_token", "enrol_token"]

SEED_BITS = 48


def new_secret() -> str:
    """A fresh assignment secret (256 random bits, hex)."""
    import secrets

    return secrets.token_hex(32)


def personal_seed(secret: str, student_id: str, item: int, round_no: int) -> int:
    """The seed of ``student_id``'s round ``round_no`` of item ``item`` (both from 1)."""
    message = f"{student_id}|{item}|{round_no}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - SEED_BITS)


def student_token(lecturer_key: str, assignment_id: int, student_id: str, version: int) -> str:
    """The personal-link token of a student: reproducible from the lecturer's key alone.

    ``version`` goes up when the lecturer replaces a leaked link (the old one stops working).
    """
    message = f"student|{assignment_id}|{student_id}|{version}".encode()
    digest = hmac.new(lecturer_key.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def enrol_token(lecturer_key: str) -> str:
    """The assignment's open-enrolment token, also reproducible from the lecturer's key."""
    digest = hmac.new(lecturer_key.encode(), b"enrol", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")
