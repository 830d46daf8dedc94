"""Test data built through the services, so ownership (guardian) and audit rows are real."""

from __future__ import annotations

import itertools
import random

import factory
from django.contrib.auth import get_user_model

from registry import services
from registry import uscc as uscc_codes
from registry.models import Department, MarketEntity

_serial = itertools.count(1)
ALPHABET = uscc_codes.ALPHABET


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-123456")


def platform_admin():
    user = UserFactory(username="platform-admin")
    user.groups.add(services.platform_admin_group())
    return get_user_model().objects.get(pk=user.pk)


def department(code: str | None = None, *, registers: bool = True, name: str = "") -> Department:
    code = code or f"D{next(_serial):04d}"
    existing = Department.objects.filter(code=code).first()
    if existing:
        return existing
    return services.department_create(
        actor=platform_admin(),
        code=code,
        name=name or f"测试部门{code}",
        registers_entities=registers,
    )


def staff(dept: Department, *, role: str = "staff", username: str | None = None):
    user = UserFactory(username=username or f"{dept.code.lower()}-{role}-{next(_serial)}")
    services.membership_set(actor=platform_admin(), user=user, department=dept, role=role)
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached viewer


def make_uscc(
    region: str = "110105", authority: str = "9", kind: str = "1", rng: random.Random | None = None
) -> str:
    rng = rng or random.Random(next(_serial))
    body = authority + kind + region + "".join(rng.choice(ALPHABET) for _ in range(9))
    return uscc_codes.with_check_character(body)


def entity(*, by=None, name: str | None = None, region: str = "110105", **kwargs) -> MarketEntity:
    if by is None:
        by = staff(department("REG-SAMR", registers=True, name="市场监督管理局"))
    code = make_uscc(region)
    return services.entity_register(
        actor=by,
        uscc=code,
        name=name or f"测试{next(_serial)}科技有限公司",
        kind=kwargs.pop("kind", "enterprise"),
        **kwargs,
    )


def entity_user(ent: MarketEntity, username: str | None = None):
    user = UserFactory(username=username or f"entity-{ent.uscc}")
    services.entity_account_grant(actor=platform_admin(), user=user, uscc=ent.uscc)
    return get_user_model().objects.get(pk=user.pk)


def record(
    *, by, ent: MarketEntity, catalogue_code: str = "CF", severity: str = "general", **kwargs
):
    return services.credit_record_create(
        actor=by,
        uscc=ent.uscc,
        catalogue_code=catalogue_code,
        severity=severity,
        title=kwargs.pop("title", f"测试记录{next(_serial)}"),
        **kwargs,
    )
