"""Persons and their roles in market entities."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError

from .. import personal
from ..models import EntityRole, Person
from ._common import _entity, _require_owner
from .access import ENTITY_PERM, regulator_required


# --- persons and roles -------------------------------------------------------------------------
@transaction.atomic
def person_register(*, actor, name: str, id_number: str, id_kind: str = "resident") -> Person:
    """Find or create the person with this ID number (looked up by keyed hash)."""
    viewer = regulator_required(actor)
    if id_kind not in Person.IdKind.values:
        raise DomainError(_("证件类型无效。/ Unknown document kind."), field="id_kind")
    number = personal.validate(id_number, id_kind)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写姓名。/ Enter the name."), field="name")
    digest = personal.lookup_hash(number)
    existing = Person.objects.filter(id_number_hash=digest).first()
    if existing is not None:
        return existing
    person = Person.objects.create(
        name=name,
        id_kind=id_kind,
        id_number_encrypted=personal.encrypt(number),
        id_number_hash=digest,
        id_number_masked=personal.mask(number),
    )
    # The audit trail never holds the number itself.
    audit_event_record(
        actor=actor,
        action="person.register",
        target=person,
        department_code=viewer.department_code,
        after={"name": name, "id_number": person.id_number_masked},
    )
    return person


@transaction.atomic
def entity_role_assign(
    *,
    actor,
    uscc: str,
    person: Person,
    kind: str,
    since: datetime.date | None = None,
) -> EntityRole:
    """Record a legal representative, principal or actual controller; a new legal
    representative ends the previous one's term."""
    viewer = regulator_required(actor)
    if kind not in EntityRole.Kind.values:
        raise DomainError(_("角色无效。/ Unknown role."), field="kind")
    entity = _entity(uscc, lock=True)
    _require_owner(viewer, ENTITY_PERM, entity, "市场主体")
    since = since or timezone.localdate()
    current = EntityRole.objects.filter(entity=entity, kind=kind, until__isnull=True)
    if current.filter(person=person).exists():
        return current.get(person=person)
    if kind == EntityRole.Kind.LEGAL_REPRESENTATIVE:
        current.update(until=since)
    role = EntityRole.objects.create(entity=entity, person=person, kind=kind, since=since)
    audit_event_record(
        actor=actor,
        action="entity_role.assign",
        target=role,
        department_code=viewer.department_code,
        after={"uscc": entity.uscc, "person": person.pk, "kind": kind},
    )
    return role
