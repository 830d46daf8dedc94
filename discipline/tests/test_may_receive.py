"""The "may this entity (or person) receive X?" check (33/18), property-based: random
histories of listings (proposed, listed, suspended by an objection, resumed, exited by
restoration, upheld objection or expiry), red listings and access bans, each step through
the services, then every answer compared with a plain model of the rules."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from credit_portal.errors import DomainError, PermissionDenied
from discipline import selectors, services
from discipline.models import Listing, ListKind
from registry import services as registry_services
from registry.roles import viewer_for
from registry.tests import factories as registry_factories

from . import factories

L = Listing.Status
OPS = [
    "list_p", "list_a", "list_r", "suspend_p", "resume_p", "uphold_p", "restore_p",
    "expire_p", "exit_a", "exit_r", "ban", "lift_ban",
]  # fmt: skip
_serial = itertools.count(1)


def id_number() -> str:
    n = next(_serial)
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=n * 37 % 15000)
    body = f"110105{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def setting(samr, tax):
    return {
        "rules": {
            "p": factories.rule(samr, code="P"),
            "a": factories.rule(samr, kind=ListKind.ATTENTION, code="A"),
            "r": factories.rule(samr, kind=ListKind.RED, code="R"),
        },
        "P": factories.measure(tax, code="PROCUREMENT", ban_field="food_drugs"),
        "A": factories.measure(tax, code="EXTRA-CHECKS", kinds=[ListKind.ATTENTION]),
        "G": factories.measure(tax, code="GREEN-CHANNEL", kinds=[ListKind.RED]),
    }


class Model:
    """What the rules say, kept beside the database."""

    def __init__(self, old: bool):
        self.state = {"p": None, "a": None, "r": None}  # None | listed | suspended | exited
        self.ids = {}
        self.bans: list[int] = []
        self.ever_punished = False
        self.old = old

    def in_force(self, kind: str) -> bool:
        return self.state[kind] == "listed"

    def punishment(self) -> bool:
        return self.in_force("p") or bool(self.bans)

    def attention(self) -> bool:
        return self.in_force("a")

    def incentive(self) -> bool:
        clean = self.old and not self.ever_punished
        eligible = self.in_force("r") or clean
        return eligible and not self.in_force("p") and not self.in_force("a")


def step(op: str, model: Model, ent, staff, setting, person_added: bool) -> None:
    kind = op[-1]
    state = model.state.get(kind)
    pk = model.ids.get(kind)
    if op.startswith("list_"):
        if state in ("listed", "suspended"):
            with pytest.raises(DomainError):
                factories.proposal(by=staff, entity=ent, rule=setting["rules"][kind])
            return
        listing = factories.listed(by=staff, entity=ent, rule=setting["rules"][kind])
        model.state[kind], model.ids[kind] = "listed", listing.pk
        model.ever_punished |= kind == "p"
    elif op == "suspend_p":
        if state in ("listed", "suspended"):
            services.listing_suspend(actor=None, listing_id=pk, reason="异议受理")
            model.state["p"] = "suspended"
        elif pk:
            with pytest.raises(DomainError):
                services.listing_suspend(actor=None, listing_id=pk, reason="异议受理")
    elif op == "resume_p":
        if state in ("listed", "suspended"):
            services.listing_resume(actor=staff, listing_id=pk, note="异议不成立")
            model.state["p"] = "listed"
        elif pk:
            with pytest.raises(DomainError):
                services.listing_resume(actor=staff, listing_id=pk, note="异议不成立")
    elif op == "uphold_p":
        if state in ("suspended", "exited"):
            services.listing_exit(actor=staff, listing_id=pk, reason="objection")
            model.state["p"] = "exited"
        elif pk:
            with pytest.raises(DomainError):
                services.listing_exit(actor=staff, listing_id=pk, reason="objection")
    elif op in ("restore_p", "exit_a", "exit_r"):
        if state in ("listed", "exited"):
            services.listing_exit(actor=staff, listing_id=pk, reason="restoration")
            model.state[kind] = "exited"
        elif state == "suspended":
            with pytest.raises(DomainError):
                services.listing_exit(actor=staff, listing_id=pk, reason="restoration")
    elif op == "expire_p":
        if state == "listed":
            # The period ends today: the measures stop at once, the nightly job then exits it.
            Listing.objects.filter(pk=pk).update(listed_until=factories.today())
            model.state["p"] = "ended"
            assert_answers(model, ent, setting, staff, person_added)
            services.listings_expire()
            model.state["p"] = "exited"
    elif op == "ban":
        ban = services.access_ban_impose(
            actor=staff,
            uscc=ent.uscc,
            field="food_drugs",
            starts=factories.today(),
            ends=None,
            reason="违法",
            legal_basis="食品安全法",
        )
        model.bans.append(ban.pk)
    elif op == "lift_ban" and model.bans:
        services.access_ban_lift(actor=staff, ban_id=model.bans.pop(), reason="期满")


def assert_answers(model: Model, ent, setting, staff, person) -> None:
    viewer = viewer_for(staff)
    ask = lambda code, **who: selectors.may_receive(viewer, measure_code=code, **who)  # noqa: E731
    p = ask("PROCUREMENT", uscc=ent.uscc)
    assert p.allowed is not model.punishment(), (model.state, model.bans)
    assert bool(p.suspended) is (model.state["p"] == "suspended")
    assert ask("EXTRA-CHECKS", uscc=ent.uscc).allowed is not model.attention()
    assert ask("GREEN-CHANNEL", uscc=ent.uscc).allowed is model.incentive(), model.state
    # The legal representative, marked by each punishment listing and bound by each ban.
    person_answer = ask("PROCUREMENT", id_number=person)
    assert person_answer.allowed is not model.punishment()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(st.sampled_from(OPS), max_size=10), old=st.booleans())
def test_may_receive_follows_the_rules_over_random_histories(ops, old, setting, samr_staff):
    established = datetime.date(2015, 1, 1) if old else factories.today()
    ent = registry_factories.entity(by=samr_staff, established=established)
    number = id_number()
    person = registry_services.person_register(actor=samr_staff, name="李四", id_number=number)
    registry_services.entity_role_assign(
        actor=samr_staff, uscc=ent.uscc, person=person, kind="legal_representative"
    )
    model = Model(old)
    assert_answers(model, ent, setting, samr_staff, number)
    for op in ops:
        step(op, model, ent, samr_staff, setting, number)
        assert_answers(model, ent, setting, samr_staff, number)


def test_the_check_is_for_departments_and_is_access_logged(
    setting, samr_staff, entity, entity_user
):
    from credit_portal.audit.models import AccessLog

    with pytest.raises(PermissionDenied):
        selectors.may_receive(viewer_for(entity_user), measure_code="PROCUREMENT", uscc=entity.uscc)
    before = AccessLog.objects.count()
    answer = selectors.may_receive(
        viewer_for(samr_staff), measure_code="PROCUREMENT", uscc=entity.uscc, purpose="政府采购"
    )
    assert answer.allowed
    log = AccessLog.objects.order_by("-pk").first()
    assert AccessLog.objects.count() == before + 1
    assert (log.uscc, log.purpose) == (entity.uscc, "政府采购")


def test_unknown_measures_and_missing_subjects_are_clear_errors(setting, samr_staff, entity):
    viewer = viewer_for(samr_staff)
    with pytest.raises(DomainError) as info:
        selectors.may_receive(viewer, measure_code="NOPE", uscc=entity.uscc)
    assert info.value.code == "measure_not_found"
    with pytest.raises(DomainError) as info:
        selectors.may_receive(viewer, measure_code="PROCUREMENT")
    assert info.value.code == "subject_required"
    with pytest.raises(DomainError):
        selectors.may_receive(viewer, measure_code="GREEN-CHANNEL", id_number="11010519491231002X")
