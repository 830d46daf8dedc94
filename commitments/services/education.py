"""Integrity education (35/2: free, never a condition of anything)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, NotFound, PermissionDenied
from registry import selectors as registry_selectors
from registry.services import regulator_required

from ..models import EducationAttendance, EducationSession


# --- integrity education (35/2: free, never a condition of anything) ---------------------------
@transaction.atomic
def education_session_create(
    *, actor, title: str, mode: str, starts_at: datetime.datetime, place: str = ""
) -> EducationSession:
    """A free session of integrity education held by the actor's department."""
    viewer = regulator_required(actor)
    if mode not in EducationSession.Mode.values:
        raise DomainError(_("举办方式无效。/ Unknown mode."), field="mode")
    if not (title or "").strip():
        raise DomainError(_("请填写课程名称。/ Enter the course."), field="title")
    session = EducationSession.objects.create(
        title=title.strip(),
        department=viewer.department,
        mode=mode,
        starts_at=starts_at,
        place=place.strip(),
    )
    audit_event_record(
        actor=actor,
        action="education.session_create",
        target=session,
        department_code=viewer.department_code,
        after={"title": session.title, "mode": mode},
    )
    return session


@transaction.atomic
def education_attendance_record(
    *, actor, session_id: int, uscc: str, attendee: str = ""
) -> EducationAttendance:
    """Record that an entity attended (by the holding department; once per entity)."""
    viewer = regulator_required(actor)
    try:
        session = EducationSession.objects.get(pk=int(session_id))
    except (EducationSession.DoesNotExist, TypeError, ValueError):
        raise NotFound(
            _("诚信教育场次不存在。/ No such session."), code="session_not_found"
        ) from None
    if session.department_id != viewer.department.pk:
        raise PermissionDenied(_("该场次由其他部门举办。/ Another department holds this session."))
    entity = registry_selectors.entity_get(uscc)
    attendance, created = EducationAttendance.objects.get_or_create(
        session=session, entity=entity, defaults={"attendee": attendee.strip()}
    )
    if created:
        audit_event_record(
            actor=actor,
            action="education.attendance",
            target=attendance,
            department_code=viewer.department_code,
            after={"session": session.pk, "uscc": entity.uscc},
        )
    return attendance
