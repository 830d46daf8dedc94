"""Project-wide pytest fixtures. Department/staff/entity helpers live in
registry/tests/factories.py and go through the services."""

from __future__ import annotations

import pytest

from registry.tests import factories


@pytest.fixture
def samr(db):
    """A registration authority (market regulation)."""
    return factories.department("SAMR-110000", registers=True, name="北京市市场监督管理局")


@pytest.fixture
def tax(db):
    """A department that does not register entities."""
    return factories.department("TAX-110000", registers=False, name="国家税务总局北京市税务局")


@pytest.fixture
def samr_staff(samr):
    return factories.staff(samr, username="samr-staff")


@pytest.fixture
def tax_staff(tax):
    return factories.staff(tax, username="tax-staff")


@pytest.fixture
def entity(samr_staff):
    return factories.entity(by=samr_staff, name="北京华信科技有限公司")


@pytest.fixture
def entity_user(entity):
    return factories.entity_user(entity, username="entity-user")
