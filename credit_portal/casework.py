"""Helpers the case-handling apps share (objections, tip-offs, restoration applications):
numbers a citizen reads back over the phone, and free text checked with a translated message."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import Conflict, DomainError


def number_save(instance, prefix: str, field: str = "tracking_number") -> None:
    """Give ``instance`` a number ``<prefix><yyyymmdd><6 digits>`` in ``field`` (unique) and
    save it; a collision with an existing number (one in a million a day) tries another."""
    day = timezone.localdate().strftime("%Y%m%d")
    for _attempt in range(8):
        setattr(instance, field, f"{prefix}{day}{secrets.randbelow(10**6):06d}")
        try:
            with transaction.atomic():
                instance.save()
            return
        except IntegrityError as error:
            if field not in str(error):
                raise
    raise Conflict(_("请稍后再试。/ Please try again."))  # pragma: no cover - 8 collisions


def text_clean(
    value: str, field: str, label: str, *, limit: int = 5000, required: bool = True
) -> str:
    """The text stripped; refused with the field's label when required and empty, or too long."""
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


def settings_row_add(model, limits: dict[str, tuple[int, int]], values: dict, *, actor, action):
    """A new row of a settings model whose newest row is in force (so the history of the
    settings stays): each number in ``limits`` checked against its bounds, audited."""
    before = model.objects.first() or model()
    fields = {}
    for name, (low, high) in limits.items():
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
    row = model.objects.create(**fields)
    audit_event_record(
        actor=actor,
        action=action,
        target=row,
        before={name: getattr(before, name) for name in limits},
        after=fields,
    )
    return row
