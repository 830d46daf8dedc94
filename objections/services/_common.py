"""Helpers the objection services share (private to the package)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.calendar import add_working_days
from credit_portal.errors import Conflict, DomainError
from credit_portal.tokens import token_hash
from registry.services import platform_admin_required

from ..models import Evidence, ObjectionConfig
from ..uploads import ALLOWED, CheckedFile

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


def _save_with_number(instance, prefix: str) -> None:
    """Give ``instance`` a tracking number ``<prefix><yyyymmdd><6 digits>`` and save it; a
    collision with an existing number (one in a million a day) tries another."""
    day = timezone.localdate().strftime("%Y%m%d")
    for _attempt in range(8):
        instance.tracking_number = f"{prefix}{day}{secrets.randbelow(10**6):06d}"
        try:
            with transaction.atomic():
                instance.save()
            return
        except IntegrityError as error:
            if "tracking_number" not in str(error):
                raise
    raise Conflict(_("请稍后再试。/ Please try again."))  # pragma: no cover - 8 collisions


def _text(value: str, field: str, label: str, *, limit: int = 5000, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(
            _("请填写%(label)s。/ %(label)s is required.") % {"label": label}, field=field
        )
    if len(text) > limit:
        raise DomainError(
            _("%(label)s不能超过%(n)d字。/ %(label)s is longer than %(n)d characters.")
            % {"label": label, "n": limit},
            field=field,
        )
    return text


def _evidence_save(files: Sequence[CheckedFile], **case) -> int:
    """Store checked files under a name of our own (never the uploader's)."""
    for checked in files:
        evidence = Evidence(
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            **case,
        )
        stored = f"{secrets.token_hex(16)}.{ALLOWED[checked.content_type]}"
        evidence.file.save(stored, checked.upload, save=False)
        evidence.save()
    return len(files)


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
    before = objection_config()
    fields = {}
    for name, (low, high) in CONFIG_LIMITS.items():
        raw = values.get(name, getattr(before, name))
        try:
            number = int(raw)
        except (TypeError, ValueError):
            number = low - 1
        if not low <= number <= high:
            raise DomainError(
                _("数值应在%(low)d到%(high)d之间。/ The value must be from %(low)d to %(high)d.")
                % {"low": low, "high": high},
                field=name,
            )
        fields[name] = number
    config = ObjectionConfig.objects.create(**fields)
    audit_event_record(
        actor=actor,
        action="objection_config.set",
        target=config,
        before={name: getattr(before, name) for name in CONFIG_LIMITS},
        after=fields,
    )
    return config
