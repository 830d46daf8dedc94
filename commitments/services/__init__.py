"""Writes of the commitments app: templates, commitments, missing materials, fulfilment
(2019 No. 35, arts. 1-2; 2016 No. 33, art. 4). Every service runs in one transaction, checks
who may act, and writes its AuditEvent.

Integrity education is free and never a condition of access (35/2): nothing here asks for it.

One module per section: ``configuration``, ``licensing``, ``templates``, ``commitments``,
``breaches`` (and the nightly deadline job), ``education`` and ``disclosures`` (voluntarily
registered information); ``_common`` holds the private helpers several sections share. Callers
import from ``commitments.services``, which re-exports every public name below.
"""

from ._common import BREACH_ITEM
from .breaches import DEADLINE_LOCK, commitment_deadlines_check
from .commitments import (
    commitment_fulfilment_record,
    commitment_make,
    department_manages_commitment,
    material_supply,
)
from .configuration import MAX_MATERIAL_DAYS_LIMIT, commitment_config, commitment_config_set
from .disclosures import disclosure_decide, disclosure_submit
from .education import education_attendance_record, education_session_create
from .licensing import licensing_item_create
from .templates import current_template, template_create, template_publish

__all__ = [
    "BREACH_ITEM",
    "DEADLINE_LOCK",
    "MAX_MATERIAL_DAYS_LIMIT",
    "commitment_config",
    "commitment_config_set",
    "commitment_deadlines_check",
    "commitment_fulfilment_record",
    "commitment_make",
    "current_template",
    "department_manages_commitment",
    "disclosure_decide",
    "disclosure_submit",
    "education_attendance_record",
    "education_session_create",
    "licensing_item_create",
    "material_supply",
    "template_create",
    "template_publish",
]
