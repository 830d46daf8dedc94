"""API v1: every endpoint as anonymous caller, department staff and API client; bad input is a
4xx with a code (never a 500); nothing non-public reaches an anonymous caller."""

from __future__ import annotations

import datetime
import json
from urllib.parse import quote

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from credit_portal.audit.models import AccessLog, AuditEvent
from registry import services
from registry.models import CreditRecord, MarketEntity
from registry.tests import factories

pytestmark = pytest.mark.django_db
ID_NUMBER = "11010519491231002X"
ENTITIES = "/api/v1/entities/"
RECORDS = "/api/v1/records/"


# --- helpers and fixtures ----------------------------------------------------------------------
@pytest.fixture
def anon() -> APIClient:
    return APIClient()


def session(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def samr_api(samr) -> APIClient:
    _client, token = services.api_client_create(
        actor=factories.platform_admin(), name="市场监管业务系统", department=samr
    )
    return token_client(token)


@pytest.fixture
def tax_api(tax) -> APIClient:
    _client, token = services.api_client_create(
        actor=factories.platform_admin(), name="税务系统", department=tax
    )
    return token_client(token)


@pytest.fixture
def ledger(entity, samr_staff, tax_staff):
    """One record of each kind of visibility and history, all on ``entity``."""
    public = factories.record(by=samr_staff, ent=entity, title="公开处罚")
    shared = factories.record(
        by=tax_staff, ent=entity, catalogue_code="NS", severity="none", title="纳税信用评价"
    )
    authorised = factories.record(
        by=samr_staff, ent=entity, catalogue_code="TS", severity="none", title="投诉举报记录"
    )
    original = factories.record(by=samr_staff, ent=entity, title="原始处罚")
    correction = services.credit_record_supersede(
        actor=samr_staff,
        record_id=original.pk,
        action="correction",
        reason="笔误",
        title="更正后的处罚",
    )
    to_revoke = factories.record(by=samr_staff, ent=entity, title="被撤销的处罚")
    revocation = services.credit_record_supersede(
        actor=samr_staff, record_id=to_revoke.pk, action="revocation", reason="决定被撤销"
    )
    return {
        "public": public,
        "shared": shared,
        "authorised": authorised,
        "original": original,
        "correction": correction,
        "to_revoke": to_revoke,
        "revocation": revocation,
    }


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    assert body["detail"]
    if field is not None:
        assert body.get("field") == field, body
    return body


# --- entities: reads ----------------------------------------------------------------------------
ENTITY_FIELDS = {
    "uscc",
    "name",
    "former_names",
    "kind",
    "region",
    "region_name",
    "province_name",
    "industry",
    "status",
    "established",
    "deregistered",
    "registration_authority",
}


def test_entity_list_is_public_and_shows_public_fields_only(anon, entity):
    response = anon.get(ENTITIES)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert set(row) == ENTITY_FIELDS
    assert row["uscc"] == entity.uscc
    assert row["registration_authority"] == "北京市市场监督管理局"
    assert row["province_name"] == "北京市" and row["region_name"] == "朝阳区"


def test_entity_list_filters(anon, samr_staff):
    a = factories.entity(
        by=samr_staff, name="北京星辰科技有限公司", region="110105", industry="I6510"
    )
    b = factories.entity(
        by=samr_staff,
        name="上海海风贸易有限公司",
        region="310115",
        industry="F5191",
        kind="individual",
    )
    services.entity_update(actor=samr_staff, uscc=b.uscc, status="revoked")

    def found(**params) -> set[str]:
        response = anon.get(ENTITIES, params)
        assert response.status_code == 200, response.content
        return {row["uscc"] for row in response.json()["results"]}

    assert found(region="110105") == {a.uscc}
    assert found(province="31") == {b.uscc}
    assert found(kind="individual") == {b.uscc}
    assert found(status="active") == {a.uscc}
    assert found(industry="I65") == {a.uscc}
    assert found(industry="i") == {a.uscc}
    assert found(q="星辰科技") == {a.uscc}
    assert found(q="星辰", province="31") == set()
    assert found(q=b.uscc.lower()) == {b.uscc}


def test_entity_name_search_ranks_the_closest_name_first(anon, samr_staff):
    factories.entity(by=samr_staff, name="华信科技服务中心有限公司")
    exact = factories.entity(by=samr_staff, name="华信科技有限公司")
    response = anon.get(ENTITIES, {"q": "华信科技有限公司"})
    assert response.status_code == 200
    assert response.json()["results"][0]["uscc"] == exact.uscc


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"q": "有限公司"}, "query_too_broad", "q"),
        ({"q": "BAD_CHECKSUM"}, "uscc_checksum", None),
        ({"province": "1"}, "invalid", "province"),
        ({"region": "11010X"}, "invalid", "region"),
        ({"kind": "pirate"}, "invalid_choice", "kind"),
        ({"industry": "65-10"}, "invalid", "industry"),
    ],
)
def test_entity_list_bad_parameters_are_400_with_code(anon, entity, params, code, field):
    if params.get("q") == "BAD_CHECKSUM":
        params = {"q": entity.uscc[:17] + ("0" if entity.uscc[17] != "0" else "1")}
    assert_error(anon.get(ENTITIES, params), 400, code, field)


def test_entity_retrieve_normalises_the_uscc(anon, entity):
    spaced = " ".join([entity.uscc[:6], entity.uscc[6:12], entity.uscc[12:]])
    for form in (entity.uscc, entity.uscc.lower(), spaced, full_width(entity.uscc)):
        response = anon.get(ENTITIES + quote(form) + "/")
        assert response.status_code == 200, (form, response.content)
        assert response.json()["uscc"] == entity.uscc


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda u: u[:17], "uscc_length"),
        (lambda u: u + "0", "uscc_length"),
        (lambda u: u[:10] + "I" + u[11:], "uscc_character"),
        (lambda u: "Z" + u[1:], "uscc_character"),
        (lambda u: u[:17] + ("0" if u[17] != "0" else "1"), "uscc_checksum"),
        (lambda u: " ", "uscc_empty"),
    ],
)
def test_each_malformed_uscc_has_its_own_code(anon, entity, make, code):
    body = assert_error(anon.get(ENTITIES + quote(make(entity.uscc)) + "/"), 400, code)
    assert "/" in body["detail"]  # bilingual: "中文 / English"


def test_unknown_entity_is_404(anon, db):
    assert_error(anon.get(ENTITIES + factories.make_uscc() + "/"), 404, "entity_not_found")


def test_entity_detail_shows_roles_with_masked_id_numbers_only(anon, entity, samr_staff):
    person = services.person_register(actor=samr_staff, name="张三", id_number=ID_NUMBER)
    services.entity_role_assign(
        actor=samr_staff, uscc=entity.uscc, person=person, kind="legal_representative"
    )
    response = anon.get(ENTITIES + entity.uscc + "/")
    assert response.status_code == 200
    (role,) = response.json()["roles"]
    assert role["name"] == "张三" and role["kind"] == "legal_representative"
    assert role["id_number_masked"] == person.id_number_masked != ID_NUMBER
    assert ID_NUMBER.encode() not in response.content
    assert ID_NUMBER.lower().encode() not in response.content


# --- entities: writes ---------------------------------------------------------------------------
def test_staff_registers_an_entity(samr_staff):
    code = factories.make_uscc("440305")
    response = session(samr_staff).post(
        ENTITIES,
        {
            "uscc": code.lower(),
            "name": "深圳测试有限公司",
            "kind": "enterprise",
            "established": "2020-05-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["uscc"] == code and response.json()["roles"] == []
    assert MarketEntity.objects.get(uscc=code).registration_authority.code == "SAMR-110000"
    assert AuditEvent.objects.filter(
        action="entity.register", target_id=code, source="api"
    ).exists()


def test_api_client_registers_an_entity(samr_api):
    code = factories.make_uscc()
    response = samr_api.post(
        ENTITIES, {"uscc": code, "name": "接口登记有限公司", "kind": "enterprise"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert MarketEntity.objects.filter(uscc=code).exists()


def test_registering_twice_is_a_conflict(samr_staff, entity):
    response = session(samr_staff).post(
        ENTITIES, {"uscc": entity.uscc, "name": "重复", "kind": "enterprise"}, format="json"
    )
    assert_error(response, 409, "entity_exists", "uscc")


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"name": "缺少代码", "kind": "enterprise"}, "required", "uscc"),
        ({"uscc": "123", "name": "x", "kind": "enterprise"}, "uscc_length", "uscc"),
        ({"uscc": "CHECKSUM", "name": "x", "kind": "enterprise"}, "uscc_checksum", "uscc"),
        ({"uscc": "GOOD", "name": "x", "kind": "castle"}, "invalid_choice", "kind"),
        ({"uscc": "GOOD", "name": {"zh": "x"}, "kind": "enterprise"}, "invalid", "name"),
        (
            {"uscc": "GOOD", "name": "x", "kind": "enterprise", "established": "soon"},
            "invalid",
            "established",
        ),
        (
            {"uscc": "GOOD", "name": "x", "kind": "enterprise", "established": "2999-01-01"},
            "invalid",
            "established",
        ),
        (
            {"uscc": "GOOD", "name": "x", "kind": "enterprise", "state_owned": "maybe"},
            "invalid",
            "state_owned",
        ),
        ({"uscc": "GOOD", "name": "   ", "kind": "enterprise"}, "blank", "name"),
    ],
)
def test_bad_entity_input_is_400_and_nothing_written(samr_staff, payload, code, field):
    good = factories.make_uscc()
    replace = {"GOOD": good, "CHECKSUM": good[:17] + ("0" if good[17] != "0" else "1")}
    payload = {k: replace.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    before = (MarketEntity.objects.count(), AuditEvent.objects.count())
    response = session(samr_staff).post(ENTITIES, payload, format="json")
    assert_error(response, 400, code, field)
    assert (MarketEntity.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("body", ['{"uscc": ', "[1, 2]", "null", '"text"'])
def test_malformed_json_is_400(samr_staff, body):
    response = session(samr_staff).post(ENTITIES, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] in {"parse_error", "invalid", "null"}


def test_anonymous_write_is_401_with_code(anon):
    response = anon.post(
        ENTITIES, {"uscc": factories.make_uscc(), "name": "x", "kind": "enterprise"}, format="json"
    )
    assert_error(response, 401, "not_authenticated")


def test_bad_token_is_401(db):
    response = token_client("not-a-token").get(ENTITIES)
    assert_error(response, 401, "authentication_failed")


def test_session_write_without_csrf_token_is_refused(samr_staff):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(samr_staff)
    response = client.post(
        ENTITIES, {"uscc": factories.make_uscc(), "name": "x", "kind": "enterprise"}, format="json"
    )
    assert_error(response, 403, "permission_denied")
    assert MarketEntity.objects.count() == 0


def test_owner_updates_an_entity(entity, samr_staff):
    response = session(samr_staff).patch(
        ENTITIES + entity.uscc.lower() + "/",
        {"name": "北京华信数字科技有限公司", "industry": "I6510", "reason": "变更登记"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "北京华信数字科技有限公司"
    assert body["former_names"] == ["北京华信科技有限公司"]
    event = AuditEvent.objects.filter(action="entity.update").latest("id")
    assert event.reason == "变更登记" and event.source == "api"


def test_update_bad_input_and_unknown_entity(entity, samr_staff):
    client = session(samr_staff)
    assert_error(
        client.patch(ENTITIES + entity.uscc + "/", {"status": "asleep"}, format="json"),
        400,
        "invalid_choice",
        "status",
    )
    assert_error(
        client.patch(ENTITIES + factories.make_uscc() + "/", {"name": "x"}, format="json"),
        404,
        "entity_not_found",
    )
    assert client.put(ENTITIES + entity.uscc + "/", {"name": "x"}, format="json").status_code == 405


# --- records: reads -----------------------------------------------------------------------------
RECORD_FIELDS = {
    "id",
    "uscc",
    "entity_name",
    "catalogue_item",
    "catalogue_item_name",
    "catalogue_kind",
    "source_department",
    "source_department_name",
    "action",
    "supersedes",
    "scope",
    "severity",
    "title",
    "content",
    "document_number",
    "legal_basis",
    "conduct_date",
    "decision_date",
    "published_at",
    "reason",
    "created_at",
}


def test_anonymous_sees_only_public_records_in_force(anon, ledger):
    response = anon.get(RECORDS)
    assert response.status_code == 200
    assert ids(response) == {ledger["public"].pk, ledger["correction"].pk}
    row = next(r for r in response.json()["results"] if r["id"] == ledger["correction"].pk)
    assert set(row) == RECORD_FIELDS
    assert row["action"] == "correction" and row["supersedes"] == ledger["original"].pk
    assert row["catalogue_item"] == "CF" and row["catalogue_kind"] == "penalty"
    assert row["source_department"] == "SAMR-110000"
    for hidden in ("shared", "authorised", "original", "to_revoke", "revocation"):
        assert ledger[hidden].title.encode() not in response.content
    assert not AccessLog.objects.exists()


def test_records_are_newest_first(anon, entity, samr_staff):
    first = factories.record(by=samr_staff, ent=entity)
    second = factories.record(by=samr_staff, ent=entity)
    rows = anon.get(RECORDS).json()["results"]
    assert [r["id"] for r in rows] == [second.pk, first.pk]


def test_regulator_sees_shared_and_own_authorised_and_the_read_is_logged(
    ledger, entity, tax_staff, samr_api
):
    tax_view = session(tax_staff).get(RECORDS, {"purpose": "纳税信用复核"})
    assert ids(tax_view) == {ledger["public"].pk, ledger["correction"].pk, ledger["shared"].pk}
    log = AccessLog.objects.get(actor=tax_staff)
    assert log.uscc == entity.uscc and log.purpose == "纳税信用复核"
    assert log.department_code == "TAX-110000" and log.source == "api"

    samr_view = samr_api.get(RECORDS)
    assert ledger["authorised"].pk in ids(samr_view) and ledger["shared"].pk in ids(samr_view)
    assert AccessLog.objects.filter(department_code="SAMR-110000").count() == 1


def test_one_access_log_per_entity_in_the_page(samr_staff, tax_staff):
    entities = [factories.entity(by=samr_staff) for _ in range(3)]
    for ent in entities:
        factories.record(by=tax_staff, ent=ent, catalogue_code="NS", severity="none")
        factories.record(by=tax_staff, ent=ent, catalogue_code="NS", severity="none")
    session(samr_staff).get(RECORDS)
    assert sorted(AccessLog.objects.values_list("uscc", flat=True)) == sorted(
        e.uscc for e in entities
    )


def test_entity_user_sees_its_own_record_in_full_without_a_log(ledger, entity_user):
    """In full, except its complaint records (catalogue TS, authorised): their masking rule
    keeps the reporter from the entity reported on (33/13)."""
    response = session(entity_user).get(RECORDS)
    assert ledger["shared"].pk in ids(response)
    assert ledger["authorised"].pk not in ids(response)
    assert ledger["authorised"].catalogue_item.code == "TS"
    assert not AccessLog.objects.exists()


def test_record_filters(anon, entity, samr_staff, tax_staff):
    other = factories.entity(by=samr_staff)
    old = factories.record(
        by=samr_staff,
        ent=entity,
        severity="serious",
        decision_date=datetime.date(2024, 3, 1),
        conduct_date=datetime.date(2024, 1, 10),
    )
    licence = factories.record(
        by=tax_staff,
        ent=other,
        catalogue_code="XK",
        severity="none",
        decision_date=datetime.date(2025, 6, 1),
    )

    def found(**params) -> set[int]:
        response = anon.get(RECORDS, params)
        assert response.status_code == 200, response.content
        return ids(response)

    assert found(uscc=entity.uscc.lower()) == {old.pk}
    assert found(uscc=full_width(other.uscc)) == {licence.pk}
    assert found(catalogue_item="XK") == {licence.pk}
    assert found(kind="penalty") == {old.pk}
    assert found(severity="serious") == {old.pk}
    assert found(source_department="TAX-110000") == {licence.pk}
    assert found(decision_date_after="2025-01-01") == {licence.pk}
    assert found(decision_date_before="2024-12-31") == {old.pk}
    assert found(conduct_date_after="2024-01-01", conduct_date_before="2024-01-31") == {old.pk}
    today = timezone.localdate().isoformat()
    assert found(recorded_after=today, recorded_before=today) == {old.pk, licence.pk}
    assert found(recorded_before="2000-01-01") == set()


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"uscc": "123"}, "uscc_length", "uscc"),
        ({"uscc": "9111010555555555I5"}, "uscc_character", "uscc"),
        ({"severity": "awful"}, "invalid_choice", "severity"),
        ({"kind": "gossip"}, "invalid_choice", "kind"),
        ({"decision_date_after": "yesterday"}, "invalid", "decision_date"),
        ({"page": "999"}, "not_found", None),
    ],
)
def test_record_list_bad_parameters(anon, entity, params, code, field):
    status = 404 if code == "not_found" else 400
    assert_error(anon.get(RECORDS, params), status, code, field)


def test_record_retrieve_has_list_visibility(anon, ledger, tax_staff):
    assert anon.get(f"{RECORDS}{ledger['public'].pk}/").json()["title"] == "公开处罚"
    for hidden in ("shared", "authorised", "original", "revocation"):
        assert_error(anon.get(f"{RECORDS}{ledger[hidden].pk}/"), 404, "record_not_found")
    for bad in ("999999", "abc", "0", "-1", "99999999999999999999999"):
        assert_error(anon.get(f"{RECORDS}{bad}/"), 404, "record_not_found")
    # Another department: shared yes (logged), the owner's authorised record no.
    tax = session(tax_staff)
    assert tax.get(f"{RECORDS}{ledger['shared'].pk}/?purpose=check").status_code == 200
    assert AccessLog.objects.filter(actor=tax_staff, purpose="check").count() == 1
    assert_error(tax.get(f"{RECORDS}{ledger['authorised'].pk}/"), 404, "record_not_found")


# --- records: writes ----------------------------------------------------------------------------
def record_payload(uscc: str, /, **overrides) -> dict:
    return {
        "uscc": uscc,
        "catalogue_item": "CF",
        "title": "未按规定公示年度报告",
        "severity": "general",
        "document_number": "京市监罚〔2025〕12号",
        "decision_date": "2025-01-15",
        **overrides,
    }


def test_staff_and_api_clients_create_records(entity, tax_staff, samr_api):
    response = session(tax_staff).post(RECORDS, record_payload(entity.uscc.lower()), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["uscc"] == entity.uscc and body["source_department"] == "TAX-110000"
    assert body["scope"] == "public" and body["action"] == "original"
    assert set(body) == RECORD_FIELDS

    response = samr_api.post(RECORDS, record_payload(entity.uscc, scope="shared"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["scope"] == "shared"
    assert CreditRecord.objects.count() == 2
    assert AuditEvent.objects.filter(action="record.create", source="api").count() == 2


def test_api_writes_are_audited_with_the_request_id(entity, samr_staff):
    response = session(samr_staff).post(
        RECORDS, record_payload(entity.uscc), format="json", HTTP_X_REQUEST_ID="req-0123456789"
    )
    assert response.status_code == 201
    assert AuditEvent.objects.latest("id").request_id == "req-0123456789"


@pytest.mark.parametrize(
    ("overrides", "status", "code", "field"),
    [
        ({"catalogue_item": "NOPE"}, 400, "unknown_catalogue_item", "catalogue_item"),
        ({"conduct_date": "FUTURE"}, 400, "date_in_future", "conduct_date"),
        ({"decision_date": "FUTURE"}, 400, "date_in_future", "decision_date"),
        ({"severity": "none"}, 400, "invalid_severity", "severity"),
        ({"severity": "catastrophic"}, 400, "invalid_choice", "severity"),
        ({"scope": "everyone"}, 400, "invalid_choice", "scope"),
        (
            {"catalogue_item": "TS", "severity": "none", "scope": "public"},
            400,
            "scope_wider_than_catalogue",
            "scope",
        ),
        ({"title": ""}, 400, "blank", "title"),
        ({"title": None}, 400, "null", "title"),
        ({"title": ["a", "b"]}, 400, "invalid", "title"),
        ({"decision_date": 20250115}, 400, "invalid", "decision_date"),
        ({"decision_date": "2025-13-01"}, 400, "invalid", "decision_date"),
        ({"uscc": "123"}, 400, "uscc_length", "uscc"),
        ({"uscc": "UNKNOWN"}, 404, "entity_not_found", None),
    ],
)
def test_bad_record_input_is_refused_and_nothing_written(
    entity, samr_staff, overrides, status, code, field
):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    values = {"FUTURE": tomorrow, "UNKNOWN": factories.make_uscc()}
    overrides = {k: values.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    before = (CreditRecord.objects.count(), AuditEvent.objects.count())
    response = session(samr_staff).post(
        RECORDS, record_payload(entity.uscc, **overrides), format="json"
    )
    assert_error(response, status, code, field)
    assert (CreditRecord.objects.count(), AuditEvent.objects.count()) == before


def test_missing_fields_are_named(samr_staff):
    response = session(samr_staff).post(RECORDS, {}, format="json")
    body = assert_error(response, 400, "required")
    assert body["field"] in {"uscc", "catalogue_item", "title"}


def test_malformed_json_record_is_400(samr_staff):
    response = session(samr_staff).post(RECORDS, b'{"uscc": "x",', content_type="application/json")
    assert_error(response, 400, "parse_error")
    response = session(samr_staff).post(RECORDS, "uscc=1", content_type="text/csv")
    assert_error(response, 415, "unsupported_media_type")


def test_owner_corrects_and_revokes_through_the_api(entity, samr_staff, samr_api):
    record = factories.record(by=samr_staff, ent=entity, title="罚款五千元")
    response = samr_api.post(
        f"{RECORDS}{record.pk}/correct/",
        {"reason": "金额笔误", "title": "罚款五百元", "severity": "minor"},
        format="json",
    )
    assert response.status_code == 201, response.content
    correction = response.json()
    assert correction["action"] == "correction" and correction["supersedes"] == record.pk
    assert correction["title"] == "罚款五百元" and correction["severity"] == "minor"
    assert correction["reason"] == "金额笔误"

    response = session(samr_staff).post(
        f"{RECORDS}{correction['id']}/revoke/", {"reason": "决定被撤销"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["action"] == "revocation"
    assert ids(APIClient().get(RECORDS)) == set()


def test_supersede_errors(entity, samr_staff, tax_staff):
    record = factories.record(by=samr_staff, ent=entity)
    client = session(samr_staff)
    url = f"{RECORDS}{record.pk}/"
    assert_error(client.post(url + "revoke/", {}, format="json"), 400, "required", "reason")
    assert_error(
        client.post(url + "correct/", {"reason": " "}, format="json"), 400, "blank", "reason"
    )
    assert_error(
        client.post(url + "correct/", {"reason": "x", "severity": "none"}, format="json"),
        400,
        "invalid_severity",
        "severity",
    )
    assert (
        client.post(url + "correct/", {"reason": "x", "title": "新"}, format="json").status_code
        == 201
    )
    # The owner is told the record was superseded; it does not pretend it is missing.
    assert_error(
        client.post(url + "revoke/", {"reason": "x"}, format="json"), 409, "already_superseded"
    )
    assert_error(
        client.post(f"{RECORDS}999999/revoke/", {"reason": "x"}, format="json"),
        404,
        "record_not_found",
    )


def test_other_department_cannot_learn_that_an_authorised_record_exists(
    entity, samr_staff, tax_staff
):
    hidden = factories.record(by=samr_staff, ent=entity, catalogue_code="TS", severity="none")
    missing = hidden.pk + 1000
    tax = session(tax_staff)
    for pk in (hidden.pk, missing):
        assert_error(
            tax.post(f"{RECORDS}{pk}/revoke/", {"reason": "x"}, format="json"),
            404,
            "record_not_found",
        )


# --- reference data -----------------------------------------------------------------------------
def test_catalogue_and_departments_are_public_and_read_only(anon, samr, tax):
    catalogue = anon.get("/api/v1/catalogue/")
    assert catalogue.status_code == 200
    codes = {row["code"] for row in catalogue.json()["results"]}
    assert {"XK", "CF", "TS"} <= codes
    cf = anon.get("/api/v1/catalogue/CF/").json()
    assert cf["kind"] == "penalty" and cf["severities"] == [
        "warning",
        "minor",
        "general",
        "serious",
    ]
    departments = anon.get("/api/v1/departments/").json()["results"]
    assert {"SAMR-110000", "TAX-110000"} <= {d["code"] for d in departments}
    assert set(departments[0]) == {"code", "name", "name_en", "region", "registers_entities"}
    assert anon.post("/api/v1/departments/", {"code": "X"}, format="json").status_code in {401, 405}
    assert_error(anon.get("/api/v1/catalogue/NOPE/"), 404, "not_found")


def test_api_root_lists_the_endpoints(anon, db):
    body = anon.get("/api/v1/").json()
    assert set(body) == {"entities", "records", "decisions", "catalogue", "departments"}


# --- personal data never leaks to anonymous callers --------------------------------------------
def test_no_unmasked_id_number_in_any_anonymous_response(anon, entity, samr_staff, ledger):
    person = services.person_register(actor=samr_staff, name="李四", id_number=ID_NUMBER)
    services.entity_role_assign(
        actor=samr_staff, uscc=entity.uscc, person=person, kind="actual_controller"
    )
    urls = [
        ENTITIES,
        f"{ENTITIES}?q=华信科技",
        f"{ENTITIES}{entity.uscc}/",
        RECORDS,
        f"{RECORDS}?uscc={entity.uscc}",
        f"{RECORDS}{ledger['public'].pk}/",
        "/api/v1/catalogue/",
        "/api/v1/departments/",
        "/api/v1/",
        "/api/schema/",
    ]
    for url in urls:
        response = anon.get(url)
        assert response.status_code == 200, url
        assert ID_NUMBER.encode() not in response.content, url
        assert ID_NUMBER[:17].encode() not in response.content, url
        assert ID_NUMBER[6:14].encode() not in response.content, url  # the birth date


# --- schema and docs ---------------------------------------------------------------------------
def test_schema_is_served_and_covers_every_endpoint(anon, db):
    response = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    for path in (
        "/api/v1/entities/",
        "/api/v1/entities/{uscc}/",
        "/api/v1/records/",
        "/api/v1/records/{id}/",
        "/api/v1/records/{id}/correct/",
        "/api/v1/records/{id}/revoke/",
        "/api/v1/catalogue/",
        "/api/v1/departments/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/entities/{uscc}/"]) >= {"get", "patch"}
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    list_params = {p["name"] for p in paths["/api/v1/records/"]["get"]["parameters"]}
    assert {
        "uscc",
        "catalogue_item",
        "kind",
        "severity",
        "source_department",
        "purpose",
        "decision_date_after",
        "recorded_before",
        "page",
    } <= list_params


def test_docs_are_served_without_external_urls(anon, db):
    response = anon.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert "drf_spectacular_sidecar" in html  # the UI comes from our own static files
    for cdn in ("cdn.jsdelivr", "unpkg", "cdnjs", "googleapis"):
        assert cdn not in html


# --- query counts: list pages do not grow with their rows ---------------------------------------
def test_entity_list_query_count(anon, samr_staff, django_assert_max_num_queries):
    for i in range(25):
        factories.entity(by=samr_staff, name=f"星河{i}号科技有限公司")
    with django_assert_max_num_queries(3):
        assert len(anon.get(ENTITIES).json()["results"]) == 20
    with django_assert_max_num_queries(8):
        assert anon.get(ENTITIES, {"q": "星河"}).json()["count"] == 25


def test_entity_detail_query_count(anon, entity, samr_staff, django_assert_max_num_queries):
    people = [
        services.person_register(actor=samr_staff, name="甲", id_number=ID_NUMBER),
        services.person_register(
            actor=samr_staff, name="乙", id_number="E1234567", id_kind="passport"
        ),
        services.person_register(
            actor=samr_staff, name="丙", id_number="E7654321", id_kind="passport"
        ),
    ]
    for person, kind in zip(
        people, ("legal_representative", "principal", "actual_controller"), strict=True
    ):
        services.entity_role_assign(actor=samr_staff, uscc=entity.uscc, person=person, kind=kind)
    with django_assert_max_num_queries(3):
        assert len(anon.get(f"{ENTITIES}{entity.uscc}/").json()["roles"]) == 3


@pytest.mark.parametrize("who", ["anonymous", "staff", "api_client"])
def test_record_list_query_count(who, samr_staff, samr_api, django_assert_max_num_queries):
    entities = [factories.entity(by=samr_staff) for _ in range(5)]
    for i in range(25):
        factories.record(by=samr_staff, ent=entities[i % 5])
    client = {"anonymous": APIClient(), "staff": session(samr_staff), "api_client": samr_api}[who]
    with django_assert_max_num_queries(8):
        response = client.get(RECORDS)
    assert len(response.json()["results"]) == 20
