"""The demo sign-ins (``manage.py demo_users``) and the seeding sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef

from credit_portal.audit.services import audit_event_record
from credit_portal.tokens import token_hash
from registry.models import (
    ApiClient,
    CreditRecord,
    DepartmentMembership,
    EntityAccount,
    MarketEntity,
)
from registry.services import (
    api_client_create,
    entity_account_grant,
    membership_set,
    platform_admin_group,
)

from .departments import DEMO_REGIONS, departments_ensure


def seed_actor():
    """The sign-in that performs the seeding: a platform administrator that cannot sign in.

    The loader acts as it, and ``manage.py demo_steps`` hands it to the apps' steps
    (``Context.actor``); the product itself never needs it, so it lives here, not in the registry.
    """
    user, created = get_user_model().objects.get_or_create(
        username="demo-seed", defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(platform_admin_group())
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached viewer


DEMO_PASSWORD = "credit-demo-2026"
DEMO_API_CLIENT_NAME = "演示接口客户端 / demo API client"
DEMO_TOKEN_FILE = "demo_api_token.txt"


@dataclass(frozen=True)
class SignIn:
    username: str
    role: str  # bilingual label
    where: str
    note: str = ""


@dataclass
class DemoUsers:
    password: str
    sign_ins: list[SignIn]
    api_client: object  # registry.ApiClient
    api_token: str
    api_department: str


def _demo_user(username: str, password: str, **flags: bool):
    """Create the user, or bring an existing one back to the demo state (password, flags)."""
    user, _created = get_user_model().objects.get_or_create(username=username)
    changed = [name for name, value in flags.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, flags[name])
    if not user.is_active:
        user.is_active = True
        changed.append("is_active")
    if not user.check_password(password):
        user.set_password(password)
        changed.append("password")
    if changed:
        user.save(update_fields=changed)
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached viewer


def _demo_api_token(actor, department) -> tuple[object, str]:
    """Reuse the token kept in VAR_DIR while it still opens an active client; otherwise
    deactivate the old demo clients and create a new one (only the token's hash is stored)."""
    path = Path(settings.VAR_DIR) / DEMO_TOKEN_FILE
    token = path.read_text().strip() if path.exists() else ""
    if token:
        client = ApiClient.objects.filter(token_hash=token_hash(token), active=True).first()
        if client is not None and client.name == DEMO_API_CLIENT_NAME:
            return client, token
    for old in ApiClient.objects.filter(name=DEMO_API_CLIENT_NAME, active=True):
        ApiClient.objects.filter(pk=old.pk).update(active=False)
        audit_event_record(
            actor=actor,
            action="api_client.deactivate",
            target=old,
            reason="demo token rotated: the saved token is missing or no longer valid",
        )
    client, token = api_client_create(actor=actor, name=DEMO_API_CLIENT_NAME, department=department)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(token + "\n")
    path.chmod(0o600)
    return client, token


def demo_users_ensure(password: str = DEMO_PASSWORD) -> DemoUsers:
    """The demo sign-ins, created once and reused: a platform administrator, market-regulation
    staff and head, tax staff, an entity user and an API client (all in the right places)."""
    with transaction.atomic():
        admin = _demo_user("admin", password, is_superuser=True, is_staff=True)
        admin.groups.add(platform_admin_group())
        departments = departments_ensure(admin)
        samr = departments[f"SAMR-{DEMO_REGIONS[0][0]}"]
        tax = departments[f"TAX-{DEMO_REGIONS[0][0]}"]
        workbench = "/workbench/login/"
        sign_ins = [
            SignIn("admin", "平台管理员 / platform administrator", "/admin/ , " + workbench),
        ]
        for username, department, role, label in (
            ("samr-staff", samr, DepartmentMembership.Role.STAFF, "部门工作人员 / staff"),
            ("samr-head", samr, DepartmentMembership.Role.HEAD, "部门负责人 / head"),
            ("tax-staff", tax, DepartmentMembership.Role.STAFF, "部门工作人员 / staff"),
        ):
            user = _demo_user(username, password, is_superuser=False, is_staff=False)
            membership_set(actor=admin, user=user, department=department, role=role)
            sign_ins.append(SignIn(username, f"{label}: {department.name}", workbench))

        user = _demo_user("entity-demo", password, is_superuser=False, is_staff=False)
        account = EntityAccount.objects.filter(user=user).first()
        uscc = account.entity_id if account is not None else ""
        if not uscc:
            # The first demo enterprise (by USCC) that is active and has a credit record.
            first = (
                MarketEntity.objects.filter(kind="enterprise", status="active")
                .filter(Exists(CreditRecord.objects.filter(entity=OuterRef("pk"))))
                .order_by("uscc")
                .values_list("uscc", flat=True)
                .first()
            ) or MarketEntity.objects.order_by("uscc").values_list("uscc", flat=True).first()
            if first:
                entity_account_grant(actor=admin, user=user, uscc=first)
                uscc = first
        if uscc:
            sign_ins.append(
                SignIn(
                    "entity-demo",
                    "市场主体用户 / entity user",
                    workbench,
                    f"{uscc}: /entity/{uscc}/",
                )
            )
        else:
            sign_ins.append(
                SignIn(
                    "entity-demo",
                    "市场主体用户（未绑定）/ entity user (not bound)",
                    workbench,
                    "先运行 seed_demo / run seed_demo first",
                )
            )
        client, token = _demo_api_token(admin, samr)
    return DemoUsers(
        password=password,
        sign_ins=sign_ins,
        api_client=client,
        api_token=token,
        api_department=samr.name,
    )
