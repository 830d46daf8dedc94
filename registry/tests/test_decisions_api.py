"""API v1 decisions: who sees which decision (anonymous callers only published, public ones on
display), recording with the caller's department, publication and withdrawal by the deciding
department only, filters, the representation of the publicity clock, and query counts."""

from __future__ import annotations

import datetime
import itertools
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from credit_portal.audit.models import AuditEvent
from registry import services
from registry.models import CreditRecord, Decision, DepartmentAlert, PublicityWindow
from registry.tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date.fromisoformat
SERIAL = itertools.count(1)
DECISIONS = "/api/v1/decisions/"
RECORDS = "/api/v1/records/"


# --- helpers and fixtures ----------------------------------------------------------------------
@pytest.fixture
def anon() -> APIClient:
    return APIClient()


def session(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def token_client(department) -> APIClient:
    _client, token = services.api_client_create(
        actor=factories.platform_admin(), name=f"{department.code} 业务系统", department=department
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def record_decision(by, entity, **kwargs) -> Decision:
    defaults = {
        "kind": "penalty",
        "document_number": f"京市监罚〔2026〕{next(SERIAL)}号",
        "decision_date": D("2026-09-30"),
        "title": "未按规定公示年度报告",
        "severity": "general",
        "penalty_type": "fine",
        "penalty_amount": Decimal("5000"),
    }
    defaults.update(kwargs)
    return services.decision_record(actor=by, uscc=entity.uscc, **defaults)


def publish(by, decision: Decision) -> Decision:
    return services.decision_publish(actor=by, decision_id=decision.pk)


def payload(uscc: str, **overrides) -> dict:
    data = {
        "uscc": uscc,
        "kind": "penalty",
        "document_number": "京市监罚〔2026〕88号",
        "decision_date": "2026-09-30",
        "title": "虚假宣传",
        "content": "在网店发布虚假宣传信息。",
        "legal_basis": "《反不正当竞争法》第二十条",
        "severity": "general",
        "penalty_type": "fine",
        "penalty_amount": "12000.50",
    }
    data.update(overrides)
    return data


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    assert body["detail"]
    if field is not None:
        assert body.get("field") == field, body
    return body


def counts() -> tuple[int, ...]:
    return (
        Decision.objects.count(),
        CreditRecord.objects.count(),
        PublicityWindow.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def decisions(samr_staff, entity):
    """One decision in each state the public must or must not see, all by market regulation."""
    recorded = record_decision(samr_staff, entity, title="待公示的处罚")
    published = publish(samr_staff, record_decision(samr_staff, entity, title="已公示的处罚"))
    licence = publish(
        samr_staff,
        record_decision(
            samr_staff,
            entity,
            kind="licence",
            document_number="京市监许〔2026〕1号",
            title="食品经营许可",
            severity="none",
            penalty_type="",
            penalty_amount=None,
        ),
    )
    withdrawn = publish(samr_staff, record_decision(samr_staff, entity, title="被撤销的处罚"))
    services.decision_change(
        actor=samr_staff, decision_id=withdrawn.pk, change="revoked", reason="行政复议撤销"
    )
    warning = publish(
        samr_staff,
        record_decision(
            samr_staff,
            entity,
            title="警告",
            severity="warning",
            penalty_type="warning",
            penalty_amount=None,
        ),
    )
    expired = publish(
        samr_staff, record_decision(samr_staff, entity, title="期满的处罚", severity="minor")
    )
    # Move the nightly job's clock past the minor decision's 3-month maximum.
    shown_until = PublicityWindow.objects.get(record_id=expired.record_id).shown_until
    services.publicity_windows_close(today=shown_until + datetime.timedelta(days=1))
    return {
        "recorded": recorded,
        "published": published,
        "licence": licence,
        "withdrawn": withdrawn,
        "warning": warning,
        "expired": expired,
    }


# --- who sees what -----------------------------------------------------------------------------
def test_anonymous_sees_only_published_public_decisions_on_display(anon, decisions):
    visible = {decisions["published"].pk, decisions["licence"].pk}
    assert ids(anon.get(DECISIONS)) == visible
    for name, decision in decisions.items():
        status = 200 if decision.pk in visible else 404
        assert anon.get(f"{DECISIONS}{decision.pk}/").status_code == status, name


def test_display_stops_at_the_maximum_even_before_the_nightly_job(
    anon, samr_staff, entity, monkeypatch
):
    decision = publish(samr_staff, record_decision(samr_staff, entity, severity="minor"))
    shown_until = PublicityWindow.objects.get().shown_until
    assert ids(anon.get(DECISIONS)) == {decision.pk}
    monkeypatch.setattr(timezone, "localdate", lambda *a: shown_until)
    assert ids(anon.get(DECISIONS)) == {decision.pk}  # the last day is still shown
    monkeypatch.setattr(timezone, "localdate", lambda *a: shown_until + datetime.timedelta(days=1))
    assert ids(anon.get(DECISIONS)) == set()


def test_department_sees_its_own_in_every_state_others_only_the_public_ones(
    decisions, samr_staff, tax_staff, samr, tax, entity_user
):
    everything = {d.pk for d in decisions.values()}
    public = {decisions["published"].pk, decisions["licence"].pk}
    assert ids(session(samr_staff).get(DECISIONS)) == everything
    assert ids(token_client(samr).get(DECISIONS)) == everything
    assert ids(session(tax_staff).get(DECISIONS)) == public
    assert ids(token_client(tax).get(DECISIONS)) == public
    assert ids(session(entity_user).get(DECISIONS)) == public
    recorded = decisions["recorded"]
    assert session(samr_staff).get(f"{DECISIONS}{recorded.pk}/").status_code == 200
    assert_error(session(tax_staff).get(f"{DECISIONS}{recorded.pk}/"), 404, "decision_not_found")


@pytest.mark.parametrize("pk", ["0", "-1", "abc", "99999999999999999999", "1.5"])
def test_malformed_or_unknown_id_is_404(anon, pk, db):
    assert_error(anon.get(f"{DECISIONS}{pk}/"), 404, "decision_not_found")


# --- the representation ------------------------------------------------------------------------
DECISION_FIELDS = {
    "id",
    "kind",
    "department",
    "department_name",
    "uscc",
    "entity_name",
    "document_number",
    "decision_date",
    "publicity_due",
    "publicity_due_provisional",
    "published_at",
    "on_time",
    "status",
    "title",
    "content",
    "legal_basis",
    "severity",
    "penalty_type",
    "penalty_amount",
    "change",
    "change_date",
    "withdrawal_due",
    "withdrawn_at",
    "withdrawn_on_time",
    "window",
}


def test_published_decision_shows_its_clock_and_window(anon, samr_staff, samr, entity):
    late = publish(samr_staff, record_decision(samr_staff, entity, decision_date=D("2026-09-30")))
    row = anon.get(f"{DECISIONS}{late.pk}/").json()
    assert set(row) == DECISION_FIELDS
    window = PublicityWindow.objects.get(record_id=late.record_id)
    assert row["decision_date"] == "2026-09-30"
    assert row["publicity_due"] == "2026-10-15"  # 7 working days, National Day in between
    assert row["publicity_due_provisional"] is False
    assert row["published_at"] is not None and row["status"] == "published"
    assert row["on_time"] is False  # published after 2026-10-15
    assert row["department"] == samr.code and row["department_name"] == samr.name
    assert row["uscc"] == entity.uscc and row["entity_name"] == entity.name
    assert row["penalty_amount"] == "5000.00" and row["penalty_type"] == "fine"
    assert row["window"]["shown_until"] == window.shown_until.isoformat()
    assert row["window"]["restoration_from"] == window.restoration_from.isoformat()
    assert row["window"]["stopped_at"] is None
    assert row["change"] == "" and row["withdrawn_at"] is None


def test_on_time_and_unpublished_representation(samr_staff, entity):
    today = timezone.localdate()
    recent = record_decision(samr_staff, entity, decision_date=today)
    row = session(samr_staff).get(f"{DECISIONS}{recent.pk}/").json()
    assert row["status"] == "recorded"
    assert row["published_at"] is None and row["on_time"] is None and row["window"] is None
    assert row["publicity_due"] > today.isoformat()
    publish(samr_staff, recent)
    assert session(samr_staff).get(f"{DECISIONS}{recent.pk}/").json()["on_time"] is True


def test_due_date_in_an_unknown_year_is_provisional(samr_staff, entity, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: D("2026-12-31"))
    decision = record_decision(samr_staff, entity, decision_date=D("2026-12-28"))
    row = session(samr_staff).get(f"{DECISIONS}{decision.pk}/").json()
    assert row["publicity_due"] == "2027-01-06"
    assert row["publicity_due_provisional"] is True


def test_withdrawn_decision_shows_the_change_to_its_department(samr_staff, entity):
    decision = publish(samr_staff, record_decision(samr_staff, entity))
    services.decision_change(
        actor=samr_staff, decision_id=decision.pk, change="annulled", reason="确认无效"
    )
    row = session(samr_staff).get(f"{DECISIONS}{decision.pk}/").json()
    assert row["status"] == "withdrawn" and row["change"] == "annulled"
    assert row["withdrawn_at"] is not None and row["withdrawal_due"] is not None
    assert row["window"]["stop_reason"] == "withdrawn"


# --- list order and filters ----------------------------------------------------------------------
def test_list_is_newest_decision_first(anon, samr_staff, entity):
    older = publish(samr_staff, record_decision(samr_staff, entity, decision_date=D("2026-03-02")))
    newer = publish(samr_staff, record_decision(samr_staff, entity, decision_date=D("2026-06-01")))
    same_day = publish(
        samr_staff, record_decision(samr_staff, entity, decision_date=D("2026-06-01"))
    )
    rows = anon.get(DECISIONS).json()["results"]
    assert [r["id"] for r in rows] == [same_day.pk, newer.pk, older.pk]


def test_decision_filters(anon, samr_staff, tax_staff, entity, monkeypatch):
    shanghai = factories.entity(by=samr_staff, name="上海海风贸易有限公司", region="310115")
    fine = publish(samr_staff, record_decision(samr_staff, entity, decision_date=D("2026-03-02")))
    licence = publish(
        samr_staff,
        record_decision(
            samr_staff,
            shanghai,
            kind="licence",
            severity="none",
            penalty_type="",
            penalty_amount=None,
            decision_date=D("2026-06-01"),
        ),
    )
    serious = publish(
        tax_staff,
        record_decision(
            tax_staff,
            entity,
            document_number="京税罚〔2026〕3号",
            severity="serious",
            decision_date=D("2026-08-03"),
        ),
    )
    recorded = record_decision(samr_staff, entity)
    # Publication dates: the fine "on" 2026-03-05 (published_at set by the clock of the test).
    Decision.objects.filter(pk=fine.pk).update(
        published_at=timezone.make_aware(datetime.datetime(2026, 3, 5, 10, 0))
    )

    def found(client=anon, **params) -> set[int]:
        return ids(client.get(DECISIONS, params))

    assert found(uscc=shanghai.uscc.lower()) == {licence.pk}
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in shanghai.uscc)
    assert found(uscc=full_width) == {licence.pk}
    assert found(kind="licence") == {licence.pk}
    assert found(department=tax_staff.membership.department.code) == {serious.pk}
    assert found(severity="serious") == {serious.pk}
    assert found(decision_date_after="2026-05-01") == {licence.pk, serious.pk}
    assert found(decision_date_before="2026-05-01") == {fine.pk}
    assert found(published_before="2026-03-05") == {fine.pk}
    assert found(published_after="2026-03-06") == {licence.pk, serious.pk}
    assert found(region="310115") == {licence.pk}
    assert found(province="11") == {fine.pk, serious.pk}
    assert found(status="recorded") == set()  # the public never sees unpublished ones
    assert found(session(samr_staff), status="recorded") == {recorded.pk}


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"uscc": "123"}, "uscc_length", "uscc"),
        ({"kind": "pirate"}, "invalid_choice", "kind"),
        ({"status": "lost"}, "invalid_choice", "status"),
        ({"severity": "awful"}, "invalid_choice", "severity"),
        ({"decision_date_after": "yesterday"}, "invalid", "decision_date"),
        ({"published_before": "2026-13-01"}, "invalid", "published"),
        ({"region": "11010X"}, "invalid", "region"),
        ({"province": "1"}, "invalid", "province"),
    ],
)
def test_bad_filter_parameters_are_400_with_code(anon, db, params, code, field):
    assert_error(anon.get(DECISIONS, params), 400, code, field)


# --- recording -----------------------------------------------------------------------------------
def test_staff_records_a_decision_for_its_own_department(samr_staff, samr, tax, entity):
    before = AuditEvent.objects.count()
    # A department field in the body is ignored: the department is always the caller's.
    response = session(samr_staff).post(
        DECISIONS, {**payload(entity.uscc.lower()), "department": tax.code}, format="json"
    )
    assert response.status_code == 201, response.content
    row = response.json()
    decision = Decision.objects.get()
    assert row["id"] == decision.pk and decision.department == samr
    assert row["department"] == samr.code and row["uscc"] == entity.uscc
    assert row["status"] == "recorded" and row["publicity_due"] == "2026-10-15"
    assert row["penalty_amount"] == "12000.50"
    assert decision.penalty_amount == Decimal("12000.50")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(action="decision.record")
    assert event.source == "api" and event.department_code == samr.code


def test_api_client_records_for_its_department(samr, entity):
    response = token_client(samr).post(
        DECISIONS,
        payload(entity.uscc, kind="licence", severity="none", penalty_type="", penalty_amount=None),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Decision.objects.get().department == samr


def test_anonymous_post_is_401_and_nothing_written(anon, entity):
    before = counts()
    assert_error(
        anon.post(DECISIONS, payload(entity.uscc), format="json"), 401, "not_authenticated"
    )
    assert counts() == before


def test_entity_user_post_is_403_and_nothing_written(entity_user, entity):
    before = counts()
    response = session(entity_user).post(DECISIONS, payload(entity.uscc), format="json")
    assert_error(response, 403, "permission_denied")
    assert counts() == before


def _bad_checksum(uscc: str) -> str:
    return uscc[:17] + ("0" if uscc[17] != "0" else "1")


@pytest.mark.parametrize(
    ("overrides", "status", "code", "field"),
    [
        ({"uscc": "CHECKSUM"}, 400, "uscc_checksum", "uscc"),
        ({"uscc": "12345"}, 400, "uscc_length", "uscc"),
        ({"uscc": "UNKNOWN"}, 404, "entity_not_found", None),
        ({"kind": "pardon"}, 400, "invalid_kind", "kind"),
        ({"decision_date": "2999-01-01"}, 400, "date_in_future", "decision_date"),
        ({"decision_date": "30/09/2026"}, 400, "invalid", "decision_date"),
        # Licences have no severity tiers in the catalogue (XK).
        (
            {"kind": "licence", "penalty_type": "", "penalty_amount": None},
            400,
            "invalid_severity",
            "severity",
        ),
        ({"severity": "catastrophic"}, 400, "invalid_choice", "severity"),
        (
            {"kind": "licence", "severity": "none", "penalty_amount": None},
            400,
            "invalid",
            "penalty_type",
        ),
        ({"penalty_type": ""}, 400, "invalid", "penalty_type"),
        ({"penalty_amount": "-1"}, 400, "invalid", "penalty_amount"),
        ({"penalty_amount": "lots"}, 400, "invalid", "penalty_amount"),
        ({"title": ""}, 400, "blank", "title"),
        ({"document_number": "   "}, 400, "blank", "document_number"),
        ({"title": None}, 400, "null", "title"),
    ],
)
def test_bad_decision_input_is_refused_and_nothing_written(
    samr_staff, entity, overrides, status, code, field
):
    data = {**payload(entity.uscc), **overrides}
    replace = {"CHECKSUM": _bad_checksum(entity.uscc), "UNKNOWN": factories.make_uscc()}
    data["uscc"] = replace.get(data["uscc"], data["uscc"])
    before = counts()
    response = session(samr_staff).post(DECISIONS, data, format="json")
    assert_error(response, status, code, field)
    assert counts() == before


def test_missing_fields_are_named(samr_staff):
    assert_error(session(samr_staff).post(DECISIONS, {}, format="json"), 400, "required", "uscc")


def test_malformed_json_is_400(samr_staff):
    response = session(samr_staff).post(DECISIONS, '{"uscc": ', content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_duplicate_document_number_is_409_and_nothing_written(samr_staff, tax_staff, entity):
    client = session(samr_staff)
    assert client.post(DECISIONS, payload(entity.uscc), format="json").status_code == 201
    before = counts()
    response = client.post(DECISIONS, payload(entity.uscc), format="json")
    assert_error(response, 409, "decision_exists", "document_number")
    assert counts() == before
    # The same number of another department, or of another kind, is another decision.
    assert (
        session(tax_staff).post(DECISIONS, payload(entity.uscc), format="json").status_code == 201
    )


# --- publication and withdrawal ----------------------------------------------------------------
def publish_url(decision: Decision) -> str:
    return f"{DECISIONS}{decision.pk}/publish/"


def withdraw_url(decision: Decision) -> str:
    return f"{DECISIONS}{decision.pk}/withdraw/"


def test_owner_publishes_and_the_record_reaches_the_public(anon, samr_staff, entity):
    decision = record_decision(samr_staff, entity)
    DepartmentAlert.objects.create(
        department=decision.department, kind="publicity_overdue", decision=decision
    )
    response = session(samr_staff).post(publish_url(decision))
    assert response.status_code == 200, response.content
    row = response.json()
    decision.refresh_from_db()
    assert row["status"] == "published" and row["published_at"] is not None
    assert row["window"]["shown_until"] is not None
    assert decision.record_id is not None
    assert ids(anon.get(RECORDS)) == {decision.record_id}
    assert ids(anon.get(DECISIONS)) == {decision.pk}
    assert not DepartmentAlert.objects.filter(resolved_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="decision.publish", source="api").count() == 1
    # Publishing twice changes nothing.
    before = counts()
    assert session(samr_staff).post(publish_url(decision)).status_code == 200
    assert counts() == before


def test_api_client_publishes_and_withdraws(samr, samr_staff, entity, anon):
    decision = record_decision(samr_staff, entity)
    client = token_client(samr)
    assert client.post(publish_url(decision)).status_code == 200
    response = client.post(
        withdraw_url(decision), {"change": "revoked", "reason": "行政复议撤销"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    assert ids(anon.get(DECISIONS)) == set()
    assert ids(anon.get(RECORDS)) == set()
    assert CreditRecord.objects.filter(action="revocation").count() == 1  # the ledger keeps it


def test_another_department_cannot_publish_or_withdraw(samr_staff, tax_staff, tax, entity):
    recorded = record_decision(samr_staff, entity)
    published = publish(samr_staff, record_decision(samr_staff, entity))
    clients = (session(tax_staff), token_client(tax))
    before = counts()
    body = {"change": "revoked", "reason": "不是我们的决定"}
    for client in clients:
        # An unpublished decision of another department is invisible to the caller: 404, so
        # the answer does not even reveal that it exists.
        assert_error(client.post(publish_url(recorded)), 404, "decision_not_found")
        assert_error(
            client.post(withdraw_url(recorded), body, format="json"), 404, "decision_not_found"
        )
        # A published one is public, so its existence is no secret: the service refuses the
        # change with 403 (ownership is a django-guardian object permission of the department).
        assert_error(
            client.post(withdraw_url(published), body, format="json"), 403, "permission_denied"
        )
        assert_error(client.post(publish_url(published)), 403, "permission_denied")
    assert counts() == before
    recorded.refresh_from_db()
    published.refresh_from_db()
    assert recorded.status == "recorded" and published.status == "published"


def test_anonymous_and_entity_users_cannot_publish(anon, entity_user, samr_staff, entity):
    recorded = record_decision(samr_staff, entity)
    published = publish(samr_staff, record_decision(samr_staff, entity))
    before = counts()
    assert_error(anon.post(publish_url(recorded)), 401, "not_authenticated")
    assert_error(anon.post(withdraw_url(published), {}, format="json"), 401, "not_authenticated")
    assert_error(session(entity_user).post(publish_url(recorded)), 404, "decision_not_found")
    body = {"change": "revoked", "reason": "x"}
    response = session(entity_user).post(withdraw_url(published), body, format="json")
    assert_error(response, 403, "permission_denied")
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"reason": "x"}, "required", "change"),
        ({"change": "forgotten", "reason": "x"}, "invalid_choice", "change"),
        ({"change": "revoked"}, "required", "reason"),
        ({"change": "revoked", "reason": "  "}, "blank", "reason"),
        (
            {"change": "revoked", "reason": "x", "change_date": "2026-13-01"},
            "invalid",
            "change_date",
        ),
        (
            {"change": "revoked", "reason": "x", "change_date": "2999-01-01"},
            "date_in_future",
            "change_date",
        ),
        (
            {"change": "revoked", "reason": "x", "change_date": "2026-09-29"},
            "change_before_decision",
            "change_date",
        ),
    ],
)
def test_bad_withdrawal_input_is_400_and_nothing_changes(samr_staff, entity, body, code, field):
    decision = publish(samr_staff, record_decision(samr_staff, entity))
    before = counts()
    response = session(samr_staff).post(withdraw_url(decision), body, format="json")
    assert_error(response, 400, code, field)
    assert counts() == before


def test_withdrawal_shows_the_change_date_and_whether_it_was_on_time(
    samr_staff, entity, monkeypatch
):
    decision = publish(samr_staff, record_decision(samr_staff, entity))
    monkeypatch.setattr(timezone, "localdate", lambda *a: D("2026-10-12"))
    body = {"change": "annulled", "reason": "复议确认无效", "change_date": "2026-09-30"}
    response = session(samr_staff).post(withdraw_url(decision), body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["change"], data["change_date"], data["withdrawal_due"]) == (
        "annulled",
        "2026-09-30",
        "2026-10-10",
    )
    # Recorded on the 12th (real time here is later still): past the 3 working days.
    assert data["withdrawn_on_time"] is False
    fresh = publish(samr_staff, record_decision(samr_staff, entity))
    body = {"change": "revoked", "reason": "撤销"}  # no date: the change is today's
    data = session(samr_staff).post(withdraw_url(fresh), body, format="json").json()
    assert data["change_date"] == "2026-10-12" and data["withdrawal_due"] == "2026-10-15"


def test_a_withdrawn_decision_cannot_be_published(samr_staff, entity):
    decision = record_decision(samr_staff, entity)
    client = session(samr_staff)
    response = client.post(withdraw_url(decision), {"change": "changed", "reason": "变更"})
    assert response.status_code == 200, response.content
    assert_error(client.post(publish_url(decision)), 409, "decision_withdrawn")
    assert Decision.objects.get().record_id is None


def test_a_warning_is_published_for_departments_only(anon, samr_staff, tax_staff, entity):
    decision = record_decision(
        samr_staff, entity, severity="warning", penalty_type="warning", penalty_amount=None
    )
    row = session(samr_staff).post(publish_url(decision)).json()
    assert row["status"] == "published" and row["window"] is None
    assert ids(anon.get(DECISIONS)) == set()
    assert ids(anon.get(RECORDS)) == set()


# --- schema and query counts ----------------------------------------------------------------------
def test_schema_documents_the_decision_endpoints(anon, db):
    response = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = json.loads(response.content)["paths"]
    for path in (
        "/api/v1/decisions/",
        "/api/v1/decisions/{id}/",
        "/api/v1/decisions/{id}/publish/",
        "/api/v1/decisions/{id}/withdraw/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/decisions/"]) >= {"get", "post"}
    params = {p["name"] for p in paths["/api/v1/decisions/"]["get"]["parameters"]}
    assert {
        "uscc",
        "kind",
        "department",
        "status",
        "severity",
        "decision_date_after",
        "decision_date_before",
        "published_after",
        "published_before",
        "region",
        "province",
        "page",
    } <= params


@pytest.mark.parametrize("who", ["anonymous", "staff", "api_client"])
def test_decision_list_query_count(who, samr, samr_staff, django_assert_max_num_queries):
    entities = [factories.entity(by=samr_staff) for _ in range(5)]
    for i in range(25):
        publish(samr_staff, record_decision(samr_staff, entities[i % 5]))
    client = {"anonymous": APIClient(), "staff": session(samr_staff), "api_client": None}[who]
    client = client or token_client(samr)
    with django_assert_max_num_queries(8):
        response = client.get(DECISIONS)
    assert len(response.json()["results"]) == 20
    assert all(row["window"] is not None for row in response.json()["results"])
