"""Discipline test data, made through the services (so versions, audit and ownership are real)."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from registry.tests import factories as registry_factories

from .. import services
from ..models import ListKind

_serial = itertools.count(1)

BASES = {
    ListKind.PUNISHMENT: ["judicial", "penalty", "compulsion"],
    ListKind.ATTENTION: ["penalty", "compulsion"],
    ListKind.RED: ["reward"],
}


def rule(*departments, kind: str = ListKind.PUNISHMENT, code: str = "", **fields):
    """A published list rule that ``departments`` may list under."""
    admin = registry_factories.platform_admin()
    made = services.list_rule_create(
        actor=admin,
        departments=list(departments),
        code=code or f"R-{kind}-{next(_serial)}",
        kind=kind,
        name=fields.pop("name", f"测试名单规则{kind}"),
        bases=fields.pop("bases", BASES[kind]),
        standards="认定标准",
        procedure="认定程序",
        objection_route="异议途径",
        exit_conditions="移出条件",
        period_months=fields.pop("period_months", 36),
        **fields,
    )
    return services.list_rule_publish(actor=admin, rule_id=made.pk)


def measure(department, *, kinds=(ListKind.PUNISHMENT,), code: str = "", **fields):
    admin = registry_factories.platform_admin()
    effect = "incentive" if list(kinds) == [ListKind.RED] else "punishment"
    made = services.measure_create(
        actor=admin,
        department=department,
        code=code or f"M{next(_serial):03d}",
        name=fields.pop("name", f"测试措施{next(_serial)}"),
        category=fields.pop("category", "administrative"),
        effect=fields.pop("effect", effect),
        mandatory=fields.pop("mandatory", True),
        legal_basis="国发〔2016〕33号",
        list_kinds=list(kinds),
        **fields,
    )
    return services.measure_publish(actor=admin, measure_id=made.pk)


def basis(kind: str = "penalty", number: str = ""):
    return {
        "kind": kind,
        "document_number": number or f"京市监罚〔2026〕{next(_serial)}号",
        "title": "行政处罚决定书",
        "issued_on": datetime.date(2026, 1, 5),
    }


def proposal(*, by, entity, rule, bases=None, facts: str = "严重违法失信行为"):
    return services.listing_propose(
        actor=by,
        uscc=entity.uscc,
        rule_code=rule.code,
        facts=facts,
        bases=bases if bases is not None else [basis(rule.bases[0])],
    )


def listed(*, by, entity, rule, **kwargs):
    """A listing decided and in force: the entity has stated its case, so no waiting."""
    made = proposal(by=by, entity=entity, rule=rule, **kwargs)
    services.listing_statement_record(actor=by, listing_id=made.pk, statement="书面陈述已收悉")
    return services.listing_decide(actor=by, listing_id=made.pk, list_entity=True, note="")


def today() -> datetime.date:
    return timezone.localdate()
