"""Helpers the objection services share (private to the package)."""

from __future__ import annotations

import datetime
import secrets

from credit_portal.calendar import add_working_days
from credit_portal.casework import settings_row_add
from credit_portal.tokens import token_hash
from registry.services import platform_admin_required

from ..models import ObjectionConfig

# Letters and digits a person reads back over the phone without confusion (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def objection_config() -> ObjectionConfig:
    """The settings in force (the newest row; the defaults when none was saved)."""
    return ObjectionConfig.objects.first() or ObjectionConfig()


def _working_day(start: datetime.date, days: int) -> datetime.date:
    return add_working_days(start, days).value


def _new_code() -> tuple[str, str]:
    """A secret code for the filer and its hash (only the hash is stored)."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return code, token_hash(code)


CONFIG_LIMITS = {
    "mark_days": (1, 10),
    "decide_days": (1, 60),
    "forward_days": (1, 10),
    "tipoff_days": (1, 90),
    "upload_max_bytes": (64 * 1024, 50 * 1024 * 1024),
    "upload_max_files": (0, 20),
}


def objection_config_set(*, actor, **values: int) -> ObjectionConfig:
    """Change the clocks and upload limits (platform administrators): a new row, audited; the
    newest is in force, so the history of the settings stays."""
    platform_admin_required(actor)
    return settings_row_add(
        ObjectionConfig, CONFIG_LIMITS, values, actor=actor, action="objection_config.set"
    )
