"""Tip-offs (33/13): routed to the competent department, the reporter sealed and seen by the
handler alone, a substantiated one recorded under catalogue TS without the reporter, and that
record kept from the entity it is about."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from credit_portal.audit.models import AccessLog
from credit_portal.errors import DomainError, PermissionDenied
from credit_portal.outbox.models import Event
from registry import selectors as registry_selectors
from registry.roles import viewer_for
from registry.tests import factories as registry_factories

from .. import selectors, services
from ..models import TipOff

pytestmark = pytest.mark.django_db
ANON = AnonymousUser()
NAME, CONTACT = "王五举报人", "13911112222"


def report(entity, **kwargs):
    data = {
        "actor": ANON,
        "uscc": entity.uscc,
        "conduct": "该企业销售过期食品。",
        "reporter_name": NAME,
        "reporter_contact": CONTACT,
    }
    data.update(kwargs)
    return services.tipoff_file(**data)


def test_routed_to_the_registration_authority_or_the_chosen_department(entity, samr, tax):
    first = report(entity).case
    assert first.department_id == samr.pk and first.status == TipOff.Status.OPEN
    assert first.due is not None
    second = report(entity, department_code=tax.code).case
    assert second.department_id == tax.pk
    with pytest.raises(DomainError):
        report(entity, department_code="NO-SUCH")
    assert TipOff.objects.count() == 2


def test_the_reporter_is_sealed_and_seen_by_the_handler_only(
    entity, samr, samr_staff, samr_head, tax_staff
):
    tipoff = report(entity).case
    raw = TipOff.objects.values_list("reporter_sealed", flat=True).get(pk=tipoff.pk)
    assert NAME not in raw and CONTACT not in raw
    other_staff = registry_factories.staff(samr, username="samr-staff-2")
    for user in (
        samr_staff,
        samr_head,
        other_staff,
        tax_staff,
        registry_factories.platform_admin(),
    ):
        assert not selectors.may_see_reporter(viewer_for(user), tipoff)
    services.tipoff_claim(actor=samr_staff, tipoff_id=tipoff.pk)
    tipoff.refresh_from_db()
    assert selectors.tipoff_reporter(viewer_for(samr_staff), tipoff).name == NAME
    assert AccessLog.objects.filter(what__contains=tipoff.tracking_number).count() == 1
    for user in (samr_head, other_staff, tax_staff):
        with pytest.raises(PermissionDenied):
            selectors.tipoff_reporter(viewer_for(user), tipoff)


def test_only_the_handler_closes_and_a_ts_record_keeps_the_reporter_out(
    entity, entity_user, samr, samr_staff
):
    tipoff = report(entity).case
    services.tipoff_claim(actor=samr_staff, tipoff_id=tipoff.pk)
    other_staff = registry_factories.staff(samr, username="samr-staff-2")
    with pytest.raises(PermissionDenied):
        services.tipoff_close(
            actor=other_staff, tipoff_id=tipoff.pk, outcome="substantiated", reply="属实"
        )
    with pytest.raises(DomainError):
        services.tipoff_close(
            actor=samr_staff,
            tipoff_id=tipoff.pk,
            outcome="unsubstantiated",
            reply="不属实",
            record_title="销售过期食品",
        )
    services.tipoff_close(
        actor=samr_staff,
        tipoff_id=tipoff.pk,
        outcome="substantiated",
        reply="经查属实，已立案处理。",
        record_title="销售过期食品（经举报查实）",
        record_content="经现场检查，货架上有过期食品。",
    )
    tipoff.refresh_from_db()
    assert tipoff.status == TipOff.Status.CLOSED and tipoff.record is not None
    assert tipoff.record.catalogue_item.code == "TS"
    assert NAME not in tipoff.record.content and NAME not in tipoff.record.title
    assert Event.objects.filter(kind="tipoff.closed").count() == 1
    # The entity reported on does not read the complaint record; the department does.
    own = registry_selectors.records_visible(viewer_for(entity_user)).filter(entity=entity)
    assert tipoff.record_id not in set(own.values_list("pk", flat=True))
    staff_view = registry_selectors.records_visible(viewer_for(samr_staff))
    assert staff_view.filter(pk=tipoff.record_id).exists()


def test_anonymous_tipoffs_need_no_name_and_a_future_date_is_refused(entity):
    tipoff = report(entity, anonymous=True, reporter_name="", reporter_contact="").case
    assert tipoff.anonymous
    with pytest.raises(DomainError) as refused:
        report(entity, conduct_date=timezone.localdate() + datetime.timedelta(days=1))
    assert refused.value.field == "conduct_date"
    with pytest.raises(DomainError) as refused:
        report(entity, reporter_name="")
    assert refused.value.field == "reporter_name"
    assert TipOff.objects.count() == 1


def test_the_status_page_shows_the_reply_and_nothing_else(entity, samr_staff):
    filed = report(entity)
    found = selectors.tipoff_status(filed.tracking_number, filed.code)
    assert found.pk == filed.case.pk
