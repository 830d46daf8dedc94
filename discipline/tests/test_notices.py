"""Notices of a listed state-owned enterprise, public institution or state organ to its
higher authority and the audit office (33/13): the recipient notes that it read one, in the
workbench or the API; nobody else may, and a second read changes nothing."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from credit_portal.audit.models import AuditEvent
from credit_portal.errors import PermissionDenied
from discipline import services
from discipline.models import AuthorityNotice
from registry.tests import factories as registry_factories

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(samr, samr_staff, punishment_rule):
    audit = registry_factories.department("AUDIT-110000", registers=False, name="北京市审计局")
    services.discipline_config_set(
        actor=registry_factories.platform_admin(),
        feedback_days=5,
        interview_days=5,
        red_clean_years=3,
        audit_office=audit,
    )
    soe = registry_factories.entity(by=samr_staff, state_owned=True, name="北京国有建设有限公司")
    factories.listed(by=samr_staff, entity=soe, rule=punishment_rule)
    return AuthorityNotice.objects.get(recipient="audit_office")


def test_the_audit_office_reads_its_notice_in_the_workbench_once(client, notice):
    auditor = registry_factories.staff(notice.department, username="auditor")
    client.force_login(auditor)
    page = client.get("/workbench/discipline/bans/").content.decode()
    url = f"/workbench/discipline/notices/{notice.pk}/read/"
    assert "北京国有建设有限公司" in page and url in page
    assert client.post(url).status_code == 302
    notice.refresh_from_db()
    first = notice.read_at
    assert first is not None
    assert url not in client.get("/workbench/discipline/bans/").content.decode()
    client.post(url)
    notice.refresh_from_db()
    assert notice.read_at == first
    assert AuditEvent.objects.filter(action="authority_notice.read").count() == 1


def test_only_the_recipient_reads_it(client, notice, tax_staff):
    with pytest.raises(PermissionDenied):
        services.authority_notice_read(actor=tax_staff, notice_id=notice.pk)
    client.force_login(tax_staff)
    assert client.post(f"/workbench/discipline/notices/{notice.pk}/read/").status_code == 403
    api = APIClient()
    api.force_authenticate(tax_staff)
    assert api.post(f"/api/v1/authority-notices/{notice.pk}/read/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_api_marks_it_read(notice):
    api = APIClient()
    assert api.post(f"/api/v1/authority-notices/{notice.pk}/read/").status_code == 401
    api.force_authenticate(registry_factories.staff(notice.department, username="auditor"))
    response = api.post(f"/api/v1/authority-notices/{notice.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
