"""Every write to the registry (docs/adding-an-app.md §5: services take an actor, run in one
transaction, lock what they read-then-write, write the AuditEvent, and return early when nothing
changes).

One module per section: ``access`` (who may act, the permission names), ``accounts``,
``entities``, ``persons``, ``records``, ``decisions``, ``display`` (display ended by
restoration), ``configuration`` (publicity), ``standing`` and ``job_records`` (records appended
by the higher apps' jobs); ``_common`` holds the private helpers several sections share.
Callers import from ``registry.services``, which re-exports every public name below; a test
that patches a name patches it in the module that looks it up.
"""

from ._common import SCOPE_ORDER
from .access import (
    COMMITMENT_PERM,
    DECISION_PERM,
    DEPARTMENT_PERMS,
    ENTITY_PERM,
    RECORD_PERM,
    department_manages_decision,
    department_owns,
    official_required,
    platform_admin_required,
    regulator_required,
)
from .accounts import api_client_create, department_create, entity_account_grant, membership_set
from .configuration import (
    CONFIG_FIELDS,
    RULE_FIELDS,
    publicity_config_check,
    publicity_config_update,
    publicity_rule_check,
    publicity_rule_update,
)
from .decisions import (
    DECISION_CATALOGUE,
    FLAG_LOCK,
    add_months,
    decision_change,
    decision_check,
    decision_fulfilment_record,
    decision_publish,
    decision_record,
    decisions_lock,
    publicity_config,
    publicity_due_for,
    publicity_flag_overdue,
    publicity_windows_close,
)
from .display import record_republish, records_display_stop
from .entities import UPDATABLE_ENTITY_FIELDS, entity_register, entity_update
from .job_records import RecordRow, credit_records_append
from .persons import entity_role_assign, person_register
from .records import credit_record_create, credit_record_supersede, platform_admin_group
from .standing import STANDING_FIELDS, standing_grades_changed, standing_grades_sql, standing_update

__all__ = [
    "COMMITMENT_PERM",
    "CONFIG_FIELDS",
    "DECISION_CATALOGUE",
    "DECISION_PERM",
    "DEPARTMENT_PERMS",
    "ENTITY_PERM",
    "FLAG_LOCK",
    "RECORD_PERM",
    "RULE_FIELDS",
    "SCOPE_ORDER",
    "STANDING_FIELDS",
    "UPDATABLE_ENTITY_FIELDS",
    "RecordRow",
    "add_months",
    "api_client_create",
    "credit_record_create",
    "credit_record_supersede",
    "credit_records_append",
    "decision_change",
    "decision_check",
    "decision_fulfilment_record",
    "decision_publish",
    "decision_record",
    "decisions_lock",
    "department_create",
    "department_manages_decision",
    "department_owns",
    "entity_account_grant",
    "entity_register",
    "entity_role_assign",
    "entity_update",
    "membership_set",
    "official_required",
    "person_register",
    "platform_admin_group",
    "platform_admin_required",
    "publicity_config",
    "publicity_config_check",
    "publicity_config_update",
    "publicity_due_for",
    "publicity_flag_overdue",
    "publicity_rule_check",
    "publicity_rule_update",
    "publicity_windows_close",
    "record_republish",
    "records_display_stop",
    "regulator_required",
    "standing_grades_changed",
    "standing_grades_sql",
    "standing_update",
]
