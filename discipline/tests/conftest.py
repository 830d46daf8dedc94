from __future__ import annotations

import pytest

from registry import services as registry_services
from registry.tests import factories as registry_factories

from . import factories

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def court(db):
    return registry_factories.department("COURT-110000", registers=False, name="北京市高级人民法院")


@pytest.fixture
def court_staff(court):
    return registry_factories.staff(court, username="court-staff")


@pytest.fixture
def punishment_rule(samr):
    return factories.rule(samr, code="SAMR-SERIOUS")


@pytest.fixture
def legal_rep(samr_staff, entity):
    person = registry_services.person_register(actor=samr_staff, name="张三", id_number=ID_NUMBER)
    registry_services.entity_role_assign(
        actor=samr_staff, uscc=entity.uscc, person=person, kind="legal_representative"
    )
    return person
