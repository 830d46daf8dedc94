"""Writes of the discipline app (2019 No. 35, arts. 8-12; 2016 No. 33, arts. 3-5, 9-15, 18-22).

Every service runs in one transaction, checks who may act, locks what it changes, re-checks
the state table of ``transitions.py`` inside the transaction, returns early when the change is
already made (so repeating a call is harmless), writes its AuditEvent and keeps the entity's
standing summary (registry) current. A refusal raises a DomainError and writes nothing.

One module per section: ``configuration``, ``rules`` (list rules and the measures list),
``listings``, ``measure_tasks``, ``rectification`` (and interviews) and ``bans`` (access bans,
personal liability, authority notices); ``_common`` holds the private helpers several sections
share. Callers import from ``discipline.services``, which re-exports every public name below.
"""

from ._common import L
from .bans import (
    access_ban_impose,
    access_ban_lift,
    access_ban_resume,
    access_ban_suspend,
    authority_notice_read,
    liability_warning_resolve,
    liability_warnings_scan,
)
from .configuration import discipline_config, discipline_config_set
from .listings import (
    PUBLIC_SECTOR,
    listing_decide,
    listing_effects_apply,
    listing_exit,
    listing_propose,
    listing_resume,
    listing_statement_record,
    listing_suspend,
    listings_expire,
)
from .measure_tasks import (
    task_end,
    task_feedback,
    task_lift,
    task_resume,
    task_suspend,
)
from .rectification import (
    interview_hold,
    rectification_complete,
    rectification_order,
    rectifications_escalate,
)
from .rules import (
    MEASURE_FIELDS,
    MEASURE_TEXTS,
    RULE_FIELDS,
    RULE_TEXTS,
    list_rule_create,
    list_rule_publish,
    measure_create,
    measure_publish,
    measures_in_force,
    rule_in_force,
)

__all__ = [
    "MEASURE_FIELDS",
    "MEASURE_TEXTS",
    "PUBLIC_SECTOR",
    "RULE_FIELDS",
    "RULE_TEXTS",
    "L",
    "access_ban_impose",
    "access_ban_lift",
    "access_ban_resume",
    "access_ban_suspend",
    "authority_notice_read",
    "discipline_config",
    "discipline_config_set",
    "interview_hold",
    "liability_warning_resolve",
    "liability_warnings_scan",
    "list_rule_create",
    "list_rule_publish",
    "listing_decide",
    "listing_effects_apply",
    "listing_exit",
    "listing_propose",
    "listing_resume",
    "listing_statement_record",
    "listing_suspend",
    "listings_expire",
    "measure_create",
    "measure_publish",
    "measures_in_force",
    "rectification_complete",
    "rectification_order",
    "rectifications_escalate",
    "rule_in_force",
    "task_end",
    "task_feedback",
    "task_lift",
    "task_resume",
    "task_suspend",
]
