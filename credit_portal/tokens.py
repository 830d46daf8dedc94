"""API tokens (``Authorization: Token <token>``) are stored as their SHA-256 only.

A module of its own: the registry's services issue tokens and its API authentication checks
them, and neither may import the other's layer of the stack (nor ``credit_portal.api``, which
DRF's settings import while loading the authentication class).
"""

from __future__ import annotations

import hashlib


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
