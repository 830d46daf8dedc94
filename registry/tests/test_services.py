"""Registry services and selectors: rules from docs/architecture.md §5 and the policy texts."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from stdnum.cn import ric

from credit_portal.audit.models import AccessLog, AuditEvent
from credit_portal.errors import Conflict, DomainError, NotFound, PermissionDenied
from registry import names, personal, selectors, services
from registry.models import CreditRecord, MarketEntity, Person
from registry.roles import ANONYMOUS, Role, viewer_for
from registry.tests import factories
from registry.uscc import InvalidUSCC

pytestmark = pytest.mark.django_db
ID_NUMBER = "11010519491231002X"


def test_register_entity_derives_region_and_grants_ownership(samr, samr_staff):
    code = factories.make_uscc("440305")
    entity = services.entity_register(
        actor=samr_staff, uscc=code.lower(), name="深圳测试有限公司", kind="enterprise"
    )
    assert entity.uscc == code and entity.region == "440305"
    assert services.department_owns(samr, services.ENTITY_PERM, entity)
    assert AuditEvent.objects.filter(action="entity.register", target_id=code).exists()


def test_only_registration_authorities_register_entities(tax_staff):
    with pytest.raises(PermissionDenied):
        services.entity_register(
            actor=tax_staff, uscc=factories.make_uscc(), name="x", kind="enterprise"
        )
    assert MarketEntity.objects.count() == 0


def test_unknown_region_code_is_refused(samr_staff):
    from registry.uscc import with_check_character

    with pytest.raises(InvalidUSCC) as exc:
        services.entity_register(
            actor=samr_staff,
            uscc=with_check_character("91999999MA01ABCDE"),
            name="x",
            kind="enterprise",
        )
    assert exc.value.code == "uscc_region"


def test_duplicate_registration_is_a_conflict(entity, samr_staff):
    with pytest.raises(Conflict):
        services.entity_register(actor=samr_staff, uscc=entity.uscc, name="x", kind="enterprise")


def test_rename_keeps_former_name_searchable(entity, samr_staff):
    services.entity_update(actor=samr_staff, uscc=entity.uscc, name="北京新名字网络有限公司")
    entity.refresh_from_db()
    assert entity.former_names == ["北京华信科技有限公司"]
    assert list(selectors.entity_search("华信科技")) == [entity]
    assert list(selectors.entity_search("新名字网络")) == [entity]


def test_update_with_no_change_writes_nothing(entity, samr_staff):
    before = AuditEvent.objects.count()
    services.entity_update(actor=samr_staff, uscc=entity.uscc, name=entity.name)
    assert AuditEvent.objects.count() == before


def test_other_department_cannot_update_entity(entity, tax_staff):
    with pytest.raises(PermissionDenied):
        services.entity_update(actor=tax_staff, uscc=entity.uscc, name="篡改")
    entity.refresh_from_db()
    assert entity.name == "北京华信科技有限公司"


def test_name_search_strips_generic_suffixes_and_ranks(samr_staff):
    exact = factories.entity(by=samr_staff, name="华为技术有限公司")
    other = factories.entity(by=samr_staff, name="深圳华为技术服务股份有限公司")
    assert names.strip_generic("北京华信科技（集团）有限公司") == "北京华信科技"
    found = list(selectors.entity_search("华为技术有限公司"))
    assert found[0] == exact and other in found
    with pytest.raises(DomainError):
        list(selectors.entity_search("有限公司"))  # generic words only: too broad


def test_search_by_uscc_is_exact_and_validated(entity):
    assert list(selectors.entity_search(entity.uscc.lower())) == [entity]
    with pytest.raises(InvalidUSCC):
        selectors.entity_search(entity.uscc[:-1] + ("0" if entity.uscc[-1] != "0" else "1"))


def test_person_id_number_is_encrypted_hashed_and_masked(samr_staff):
    person = services.person_register(actor=samr_staff, name="张三", id_number=ID_NUMBER.lower())
    raw = Person.objects.values_list("id_number_encrypted", "id_number_hash", "id_number_masked")
    encrypted, digest, masked = raw.get(pk=person.pk)
    assert ID_NUMBER not in encrypted and ID_NUMBER not in digest
    assert personal.decrypt(encrypted) == ID_NUMBER
    assert masked == "110*************2X" and ID_NUMBER[3:16] not in masked
    again = services.person_register(actor=samr_staff, name="张三", id_number=ID_NUMBER)
    assert again.pk == person.pk  # found by keyed hash
    event = AuditEvent.objects.get(action="person.register")
    assert ID_NUMBER not in str(event.after)


@pytest.mark.parametrize("bad", ["110105194912310021", "11010519491331002X", "1101051949"])
def test_invalid_id_numbers_are_refused(samr_staff, bad):
    with pytest.raises(personal.InvalidIdNumber):
        services.person_register(actor=samr_staff, name="李四", id_number=bad)
    assert Person.objects.count() == 0


def test_new_legal_representative_ends_the_previous_term(entity, samr_staff):
    a = services.person_register(actor=samr_staff, name="张三", id_number=ID_NUMBER)
    b = services.person_register(
        actor=samr_staff,
        name="王五",
        id_number="44030519900101123" + ric.calc_check_digit("44030519900101123" + "0"),
    )
    services.entity_role_assign(
        actor=samr_staff, uscc=entity.uscc, person=a, kind="legal_representative"
    )
    services.entity_role_assign(
        actor=samr_staff, uscc=entity.uscc, person=b, kind="legal_representative"
    )
    current = selectors.entity_roles_public(entity)
    assert [r.name for r in current] == ["王五"]


def test_record_scope_never_wider_than_catalogue(entity, samr_staff):
    with pytest.raises(DomainError) as exc:
        factories.record(
            by=samr_staff, ent=entity, catalogue_code="TS", severity="none", scope="public"
        )
    assert exc.value.code == "scope_wider_than_catalogue"
    narrowed = factories.record(by=samr_staff, ent=entity, scope="authorised")
    assert narrowed.scope == "authorised"


def test_warnings_are_not_published(entity, samr_staff):
    """SAMR Order 107 (docs/architecture.md §5): a warning penalty is not shown to the public."""
    record = factories.record(by=samr_staff, ent=entity, severity="warning")
    assert record.scope == "shared"
    assert selectors.entity_records(ANONYMOUS, entity) == []


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"catalogue_code": "NOPE"}, "unknown_catalogue_item"),
        ({"severity": "catastrophic"}, "invalid_severity"),
        ({"decision_date": timezone.localdate() + datetime.timedelta(days=1)}, "date_in_future"),
    ],
)
def test_bad_record_input_is_refused_and_nothing_written(entity, samr_staff, kwargs, code):
    counts = (CreditRecord.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        factories.record(by=samr_staff, ent=entity, **kwargs)
    assert exc.value.code == code
    assert (CreditRecord.objects.count(), AuditEvent.objects.count()) == counts


def test_unknown_entity_is_not_found(samr_staff):
    with pytest.raises(NotFound):
        factories.record(by=samr_staff, ent=MarketEntity(uscc=factories.make_uscc()))


def test_visibility_by_viewer_and_access_log(entity, samr_staff, tax_staff, entity_user):
    public = factories.record(by=samr_staff, ent=entity)
    shared = factories.record(by=samr_staff, ent=entity, catalogue_code="YT", severity="none")
    authorised = factories.record(by=samr_staff, ent=entity, catalogue_code="TS", severity="none")

    def seen(user):
        return {r.pk for r in selectors.entity_records(viewer_for(user), entity)}

    assert seen(None) == {public.pk}
    assert seen(tax_staff) == {public.pk, shared.pk}
    assert seen(samr_staff) == {public.pk, shared.pk, authorised.pk}
    # A complaint record (TS) is kept from the entity it is about (33/13, its masking rule).
    assert seen(entity_user) == {public.pk, shared.pk}
    assert viewer_for(entity_user).role == Role.ENTITY_USER
    logs = AccessLog.objects.filter(uscc=entity.uscc)
    assert {log.actor_repr for log in logs} == {"tax-staff", "samr-staff"}  # not the entity
