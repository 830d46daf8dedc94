"""Who may act: the department and platform checks every app's services call, and the
guardian permission names a department's group holds."""

from __future__ import annotations

from django.utils.translation import gettext as _
from guardian.core import ObjectPermissionChecker

from credit_portal.errors import PermissionDenied

from ..models import Decision, Department
from ..roles import Role, Viewer, viewer_for

ENTITY_PERM = "change_marketentity"
RECORD_PERM = "supersede_creditrecord"


DECISION_PERM = "manage_decisions"  # held on the deciding Department (see Department)
COMMITMENT_PERM = "manage_commitments"  # held on the accepting Department
# What a department's group holds on its own Department row from its creation.
DEPARTMENT_PERMS = (DECISION_PERM, COMMITMENT_PERM)


# --- who may act --------------------------------------------------------------------------
def regulator_required(actor) -> Viewer:
    """The actor's viewer if it acts for a department; otherwise refused (every app's
    department-only services call this)."""
    viewer = viewer_for(actor)
    if not viewer.is_regulator:
        raise PermissionDenied(
            _("只有部门工作人员可以执行此操作。/ Only department staff may do this.")
        )
    return viewer


def official_required(actor) -> Viewer:
    """The actor's viewer if it is a person acting for a department: staff or a head, never
    an API client. Case decisions with four eyes (objection outcomes, tip-offs, restoration)
    are taken by two named officials, so a machine may read a queue but not act on it."""
    viewer = regulator_required(actor)
    if viewer.role == Role.API_CLIENT:
        raise PermissionDenied(
            _(
                "此操作须由部门工作人员办理、负责人审核，接口客户端不能执行。/ Department "
                "officials take this step, not API clients."
            ),
            code="person_required",
        )
    return viewer


def platform_admin_required(actor) -> None:
    if viewer_for(actor).role != Role.PLATFORM_ADMIN:
        raise PermissionDenied(
            _("只有平台管理员可以执行此操作。/ Only platform administrators may do this.")
        )


def department_owns(department: Department, perm: str, obj) -> bool:
    """Ownership is a django-guardian object permission held by the department's group."""
    return ObjectPermissionChecker(department.group).has_perm(perm, obj)


def department_manages_decision(department: Department, decision: Decision) -> bool:
    """May this department publish and withdraw the decision? (guardian, on its department)"""
    return department_owns(department, DECISION_PERM, decision.department)
