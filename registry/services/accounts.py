"""Departments, memberships, entity accounts and API clients."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import Conflict
from credit_portal.tokens import token_hash

from ..models import ApiClient, Department, DepartmentMembership, EntityAccount
from ._common import _entity
from .access import DEPARTMENT_PERMS, platform_admin_required


# --- departments and accounts ---------------------------------------------------------------
@transaction.atomic
def department_create(
    *,
    actor,
    code: str,
    name: str,
    name_en: str = "",
    region: str = "",
    registers_entities: bool = False,
    parent: Department | None = None,
) -> Department:
    platform_admin_required(actor)
    code = code.strip()
    if Department.objects.filter(code=code).exists():
        raise Conflict(_("部门代码已存在。/ This department code exists already."), field="code")
    group = Group.objects.create(name=f"dept:{code}")
    department = Department.objects.create(
        code=code,
        name=name,
        name_en=name_en,
        region=region,
        parent=parent,
        registers_entities=registers_entities,
        group=group,
    )
    for perm in DEPARTMENT_PERMS:
        assign_perm(perm, group, department)
    audit_event_record(
        actor=actor,
        action="department.create",
        target=department,
        after={"code": code, "name": name},
    )
    return department


@transaction.atomic
def membership_set(*, actor, user, department: Department, role: str = "staff") -> None:
    """Put a user in one department (staff or head); the user joins its guardian group."""
    platform_admin_required(actor)
    old = DepartmentMembership.objects.select_for_update().filter(user=user).first()
    if old is not None and old.department_id == department.id and old.role == role:
        return
    if old is not None:
        user.groups.remove(old.department.group)
        old.delete()
    DepartmentMembership.objects.create(user=user, department=department, role=role)
    user.groups.add(department.group)
    audit_event_record(
        actor=actor,
        action="membership.set",
        target=user,
        department_code=department.code,
        after={"role": role},
    )


@transaction.atomic
def entity_account_grant(*, actor, user, uscc: str) -> EntityAccount:
    """Record that a sign-in has proven control of a USCC (verified by an administrator)."""
    platform_admin_required(actor)
    entity = _entity(uscc)
    account, _created = EntityAccount.objects.update_or_create(
        user=user, defaults={"entity": entity, "verified_at": timezone.now()}
    )
    audit_event_record(
        actor=actor, action="entity_account.grant", target=account, after={"uscc": entity.uscc}
    )
    return account


@transaction.atomic
def api_client_create(*, actor, name: str, department: Department) -> tuple[ApiClient, str]:
    """Create an API client for a department; returns the token, shown only this once."""
    platform_admin_required(actor)
    User = get_user_model()
    token = secrets.token_urlsafe(32)
    username = f"api-{department.code}-{secrets.token_hex(4)}"
    user = User.objects.create_user(username=username, password=None)
    DepartmentMembership.objects.create(user=user, department=department)
    user.groups.add(department.group)
    client = ApiClient.objects.create(
        name=name, user=user, token_prefix=token[:8], token_hash=token_hash(token)
    )
    audit_event_record(
        actor=actor,
        action="api_client.create",
        target=client,
        department_code=department.code,
        after={"name": name},
    )
    return client, token
