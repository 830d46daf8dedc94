"""Identities kept sealed at rest: a filer's or reporter's name and contact, encrypted with
Fernet under ``CONFIDENTIAL_KEY`` (33/13: a reporter's identity stays confidential; 2022
opinions, art. 23: personal information). Only the selectors that check who is asking open
them, and each opening is written to the access log."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    return Fernet(
        base64.urlsafe_b64encode(hashlib.sha256(b"confidential:" + secret.encode()).digest())
    )


def seal(data: dict[str, str]) -> str:
    """The encrypted token of ``data`` (a small dict of strings)."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    return _fernet(settings.CONFIDENTIAL_KEY).encrypt(raw).decode()


def unseal(token: str) -> dict[str, str]:
    if not token:
        return {}
    return json.loads(_fernet(settings.CONFIDENTIAL_KEY).decrypt(token.encode()))
