"""Private helpers shared by the sections of the discipline services (not for other apps)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from credit_portal.errors import Conflict, DomainError, NotFound, PermissionDenied
from registry.roles import Viewer

from ..models import Listing

L = Listing.Status


def _days(value, field: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = low - 1
    if not low <= number <= high:
        raise DomainError(
            _("须为 %(low)d 至 %(high)d 之间的整数。/ A whole number from %(low)d to %(high)d.")
            % {"low": low, "high": high},
            code="invalid_number",
            field=field,
        )
    return number


def _required_text(fields: dict[str, Any], names: Iterable[str]) -> None:
    for name in names:
        if not str(fields.get(name) or "").strip():
            raise DomainError(_("此项必填。/ This field is required."), code="required", field=name)


def _get(queryset, pk, message):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, TypeError, ValueError):
        raise NotFound(message) from None


def _recognising(viewer: Viewer, listing: Listing) -> None:
    """Only the recognising department changes its listings (35/9)."""
    if listing.department_id != viewer.department.pk:
        raise PermissionDenied(
            _(
                "该名单由其他部门认定，本部门无权修改。/ Another department recognised this "
                "listing; yours may not change it."
            ),
            code="not_recognising",
        )


def _refuse(message: str | None) -> None:
    if message:
        raise Conflict(message, code="transition_refused")
