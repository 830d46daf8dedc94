"""Who is asking: the five roles of the portal and what each may see.

platform administrator (credit centre), department staff, department head, entity user,
API client. Visibility and write rules read a ``Viewer`` so views, API and tasks agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser

PLATFORM_ADMIN_GROUP = "platform_admin"


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    ENTITY_USER = "entity_user"
    DEPARTMENT_STAFF = "department_staff"
    DEPARTMENT_HEAD = "department_head"
    API_CLIENT = "api_client"
    PLATFORM_ADMIN = "platform_admin"


@dataclass(frozen=True)
class Viewer:
    user: object
    role: Role
    department: object | None = None  # registry.Department for staff, heads and API clients
    entity_uscc: str = ""  # for entity users

    @property
    def is_regulator(self) -> bool:
        return self.department is not None

    @property
    def department_code(self) -> str:
        return self.department.code if self.department is not None else ""


ANONYMOUS = Viewer(user=AnonymousUser(), role=Role.ANONYMOUS)


def viewer_for(user) -> Viewer:
    """Classify a user once per request (two cheap lookups, cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_credit_viewer", None)
    if cached is not None:
        return cached
    from .models import DepartmentMembership, EntityAccount

    membership = DepartmentMembership.objects.select_related("department").filter(user=user).first()
    if membership is not None:
        if hasattr(user, "api_client"):
            role = Role.API_CLIENT
        elif membership.role == DepartmentMembership.Role.HEAD:
            role = Role.DEPARTMENT_HEAD
        else:
            role = Role.DEPARTMENT_STAFF
        viewer = Viewer(user=user, role=role, department=membership.department)
    elif user.is_superuser or user.groups.filter(name=PLATFORM_ADMIN_GROUP).exists():
        viewer = Viewer(user=user, role=Role.PLATFORM_ADMIN)
    else:
        account = EntityAccount.objects.filter(user=user).only("entity_id").first()
        if account is not None:
            viewer = Viewer(user=user, role=Role.ENTITY_USER, entity_uscc=account.entity_id)
        else:
            viewer = Viewer(user=user, role=Role.ANONYMOUS)
    user._credit_viewer = viewer
    return viewer


def is_platform_admin(user) -> bool:
    """The outbox's manager check (``settings.OUTBOX_MANAGER_CHECK``): platform administrators
    manage subscribers."""
    return viewer_for(user).role == Role.PLATFORM_ADMIN
