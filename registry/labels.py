"""Display labels for the registry's concepts (departments, regions, entities, records).

Public (not presentation), for every app's pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from credit_portal.web import english, local_label

from . import uscc as uscc_codes
from .models import CreditRecord, MarketEntity


def region_label(code6: str) -> str:
    region = uscc_codes.region(code6)
    if region.name and region.name != region.province:
        return f"{region.province}{region.name}"
    return region.province or code6


def department_label(department) -> str:
    if department is None:
        return ""
    return department.name_en if english() and department.name_en else department.name


def label_entity(entity: MarketEntity) -> MarketEntity:
    """Attach display labels (no queries: region comes from stdnum's table)."""
    entity.region_label = region_label(entity.region)
    entity.status_label = local_label(entity.get_status_display())
    entity.kind_label = local_label(entity.get_kind_display())
    return entity


def label_records(records: Iterable[CreditRecord]) -> list[CreditRecord]:
    """Attach display labels; callers must have loaded catalogue_item (and source_department
    when ``department_label`` is shown) with select_related."""
    en = english()
    out = []
    for record in records:
        item = record.catalogue_item
        record.item_label = item.name_en if en and item.name_en else item.name
        record.severity_label = local_label(record.get_severity_display())
        record.scope_label = local_label(record.get_scope_display())
        record.action_label = local_label(record.get_action_display())
        out.append(record)
    return out


def role_rows(roles: Sequence) -> list[dict]:
    return [
        {
            "kind": local_label(r.kind_display),
            "name": r.name,
            "id_number": r.id_number_masked,
            "since": r.since,
        }
        for r in roles
    ]
