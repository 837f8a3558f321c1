"""Secrets in links: host keys, player tokens, personal homework links.

A token is 128 random bits or more, URL-safe. The database keeps only its SHA-256 hash, so a
copy of the database does not hand out working links; comparisons take constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["new_token", "token_hash", "same_token", "TOKEN_BYTES"]

TOKEN_BYTES = 24  # 192 bits; base64 makes 32 characters


def new_token(nbytes: int = TOKEN_BYTES) -> str:
    if nbytes < 16:
        raise ValueError("A secret token needs at least 16 bytes (128 bits).")
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """The stored form of a token (hex SHA-256). Tokens are random, so no salt is needed."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same_token(token: str, stored_hash: str) -> bool:
    """Whether ``token`` hashes to ``stored_hash``, in constant time."""
    if not isinstance(token, str) or not isinstance(stored_hash, str):
        return False
    return hmac.compare_digest(token_hash(token), stored_hash)
