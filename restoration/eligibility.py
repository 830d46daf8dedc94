"""What an entity may ask to restore, and whether it may now: computed from the record, never
asked (2019 No. 35, art. 13; 2016 No. 33, art. 21; docs/architecture.md §5).

A published negative record may be restored once its minimum publicity period has passed
(``registry.selectors.record_restoration_from``) unless a configured rule bars its kind
(``RestorationBar``); a listing once its rule's minimum punishment period has passed
(``ListRule.restoration_after_months``). Neither while the same conduct was recorded again
since, while an objection holds it (the objection may decide it otherwise), or while another
application for it is open or has restored it. Each refusal is a reason with, where one
exists, the day from which the entity may apply.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal import holds
from credit_portal.web import english
from discipline.models import Listing, ListKind, Rectification
from registry import selectors as registry_selectors
from registry.models import CatalogueItem, CreditRecord, Department, MarketEntity
from registry.services import add_months

from .models import RestorationApplication, RestorationBar, RestorationConfig, RestorationItem

RECORD = RestorationItem.Kind.RECORD
LISTING = RestorationItem.Kind.LISTING
APPLIED = (*RestorationApplication.OPEN, RestorationApplication.Status.APPROVED)


@dataclass
class Candidate:
    """One item of the entity's that restoration is about, with its eligibility today."""

    kind: str
    pk: int
    label: str  # in Chinese: what an application keeps
    department: Department
    reasons: list[str] = field(default_factory=list)
    available_from: datetime.date | None = None
    found_proof: str = ""

    label_en: str = ""

    @property
    def display_label(self) -> str:
        """The label in the page's language."""
        return self.label_en if english() and self.label_en else self.label

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"

    @property
    def eligible(self) -> bool:
        return not self.reasons

    def refuse(self, reason: str, available_from: datetime.date | None = None) -> None:
        self.reasons.append(reason)
        if available_from and (self.available_from is None or available_from > self.available_from):
            self.available_from = available_from


def _day(record: CreditRecord) -> datetime.date:
    return (
        record.decision_date or record.conduct_date or timezone.localtime(record.created_at).date()
    )


def _negative_records(entity: MarketEntity):
    return registry_selectors.public_records().filter(
        entity=entity, catalogue_item__polarity=CatalogueItem.Polarity.NEGATIVE
    )


def _repeat(entity: MarketEntity, item_ids: set[int], since: datetime.date, exclude: set[int]):
    """The newest record in force of the same conduct (catalogue item) after ``since``."""
    later = [
        r
        for r in registry_selectors.records_in_force(entity)
        .filter(catalogue_item_id__in=item_ids)
        .exclude(pk__in=exclude)
        if _day(r) > since
    ]
    return max(later, key=_day, default=None)


def _applied(kind: str, ids: list[int], exclude_application: int | None) -> dict[int, str]:
    rows = RestorationItem.objects.filter(
        kind=kind, application__status__in=APPLIED, **{f"{kind}_id__in": ids}
    )
    if exclude_application:
        rows = rows.exclude(application_id=exclude_application)
    return dict(rows.values_list(f"{kind}_id", "application__number"))


def _bars() -> list[RestorationBar]:
    return list(RestorationBar.objects.filter(active=True))


def _barred(bars: list[RestorationBar], record: CreditRecord, penalty_type: str) -> str:
    for bar in bars:
        item_ok = bar.catalogue_item_id in (None, record.catalogue_item_id)
        type_ok = not bar.penalty_type or bar.penalty_type == penalty_type
        if item_ok and type_ok:
            return bar.rule
    return ""


def _decision(record: CreditRecord):
    try:
        return record.decision
    except CreditRecord.decision.RelatedObjectDoesNotExist:
        return None


def record_candidates(
    entity: MarketEntity,
    *,
    today: datetime.date | None = None,
    only: list[int] | None = None,
    application: int | None = None,
) -> list[Candidate]:
    """The entity's published negative records on display, each with its eligibility."""
    today = today or timezone.localdate()
    qs = _negative_records(entity).select_related("window", "decision", "source_department")
    if only is not None:
        qs = qs.filter(pk__in=only)
    records = list(qs.order_by("-created_at", "-id"))
    ids = [r.pk for r in records]
    held = holds.held("record", ids)
    decisions = {r.pk: _decision(r) for r in records}
    held_decisions = holds.held("decision", [d.pk for d in decisions.values() if d])
    applied = _applied(RECORD, ids, application)
    bars = _bars()
    unrated = RestorationConfig.in_force().unrated_min_months
    found = []
    for record in records:
        decision = decisions[record.pk]
        label = f"{record.catalogue_item.name}：{record.title}"
        label_en = f"{record.catalogue_item.name_en}: {record.title}"
        if record.document_number:
            label += f"（{record.document_number}）"
            label_en += f" ({record.document_number})"
        c = Candidate(RECORD, record.pk, label[:300], record.source_department, label_en=label_en)
        rule = _barred(bars, record, decision.penalty_type if decision else "")
        if rule:
            c.refuse(
                _("按规定不予提前修复：%(rule)s / Not restorable early under the rule: %(rule)s")
                % {"rule": rule}
            )
        restorable_from = registry_selectors.record_restoration_from(record, unrated_months=unrated)
        if restorable_from is None:
            c.refuse(
                _(
                    "公示期限规则不允许提前修复，期满自动停止公示。/ The publicity rules allow no "
                    "early restoration: display stops when the period ends."
                )
            )
        elif today < restorable_from:
            c.refuse(
                _(
                    "最短公示期至%(day)s届满，届满后方可申请。/ The minimum publicity period "
                    "ends on %(day)s: apply from then."
                )
                % {"day": restorable_from.isoformat()},
                restorable_from,
            )
        _refuse_repeat(c, entity, {record.catalogue_item_id}, _day(record), {record.pk}, today)
        if record.pk in held or (decision and decision.pk in held_decisions):
            _refuse_objection(c)
        if record.pk in applied:
            _refuse_applied(c, applied[record.pk])
        if decision and decision.fulfilled_on:
            c.found_proof = _("决定已履行（%(day)s）/ decision fulfilled (%(day)s)") % {
                "day": decision.fulfilled_on.isoformat()
            }
        found.append(c)
    return found


def _refuse_repeat(c, entity, item_ids, since, exclude, today) -> None:
    repeat = _repeat(entity, item_ids, since, exclude)
    if repeat is None:
        return
    unrated = RestorationConfig.in_force().unrated_min_months
    again = registry_selectors.record_restoration_from(repeat, unrated_months=unrated)
    c.refuse(
        _(
            "%(day)s再次发生同类失信行为（%(title)s），该记录可申请修复后方可一并申请。/ The "
            "same conduct was recorded again on %(day)s (%(title)s): apply once that record "
            "may be restored."
        )
        % {"day": _day(repeat).isoformat(), "title": repeat.title},
        again if again and again > today else None,
    )


def _refuse_objection(c: Candidate) -> None:
    c.refuse(
        _(
            "该信息正在异议核查中，核查结束后方可申请。/ An objection to it is being checked: "
            "apply once it is decided."
        )
    )


def _refuse_applied(c: Candidate, number: str) -> None:
    c.refuse(
        _("已在修复申请%(number)s中。/ Already in restoration application %(number)s.")
        % {"number": number}
    )


def listing_candidates(
    entity: MarketEntity,
    *,
    today: datetime.date | None = None,
    only: list[int] | None = None,
    application: int | None = None,
) -> list[Candidate]:
    """The entity's listings in force (punishment and key-attention lists), with eligibility."""
    today = today or timezone.localdate()
    qs = (
        Listing.objects.filter(
            entity=entity, status__in=[Listing.Status.LISTED, Listing.Status.SUSPENDED]
        )
        .exclude(kind=ListKind.RED)
        .select_related("rule", "department")
        .prefetch_related("bases__decision__record")
    )
    if only is not None:
        qs = qs.filter(pk__in=only)
    listings = list(qs.order_by("-listed_from", "-id"))
    ids = [x.pk for x in listings]
    held = holds.held("listing", ids)
    applied = _applied(LISTING, ids, application)
    rectified = dict(
        Rectification.objects.filter(
            listing_id__in=ids, status=Rectification.Status.RECTIFIED
        ).values_list("listing_id", "rectified_at")
    )
    found = []
    for listing in listings:
        label = f"{listing.rule.name}（{listing.listed_from or ''}）"
        label_en = f"{listing.rule.name_en or listing.rule.name} ({listing.listed_from or ''})"
        c = Candidate(LISTING, listing.pk, label[:300], listing.department, label_en=label_en)
        months = listing.rule.restoration_after_months
        if months is None:
            c.refuse(
                _(
                    "名单认定规则不允许提前修复，惩戒期满（%(until)s）自动移出。/ The list rule "
                    "allows no early restoration: the listing ends on %(until)s."
                )
                % {"until": listing.listed_until or "—"}
            )
        elif listing.listed_from and today < add_months(listing.listed_from, months):
            day = add_months(listing.listed_from, months)
            c.refuse(
                _(
                    "最短惩戒期至%(day)s届满，届满后方可申请。/ The minimum punishment period "
                    "ends on %(day)s: apply from then."
                )
                % {"day": day.isoformat()},
                day,
            )
        decisions = [b.decision for b in listing.bases.all() if b.decision and b.decision.record]
        records = [d.record for d in decisions]
        if records and listing.listed_from:
            _refuse_repeat(
                c,
                entity,
                {r.catalogue_item_id for r in records},
                listing.listed_from,
                {r.pk for r in records},
                today,
            )
        if listing.status == Listing.Status.SUSPENDED or listing.pk in held:
            _refuse_objection(c)
        if listing.pk in applied:
            _refuse_applied(c, applied[listing.pk])
        if listing.pk in rectified:
            c.found_proof = _("整改已完成 / rectification completed")
        elif decisions and all(d.fulfilled_on for d in decisions):
            c.found_proof = _("认定依据的处罚已履行 / the penalties it rests on were fulfilled")
        found.append(c)
    return found


def candidates(
    entity: MarketEntity,
    *,
    today: datetime.date | None = None,
    chosen: list[tuple[str, int]] | None = None,
    application: int | None = None,
) -> list[Candidate]:
    """Every item the entity may ask about (or only ``chosen``), with eligibility today.
    ``application``: an application's own items do not count as "already applied"."""
    if chosen is None:
        records = listings = None
    else:
        records = [pk for kind, pk in chosen if kind == RECORD]
        listings = [pk for kind, pk in chosen if kind == LISTING]
    found = []
    if records is None or records:
        found += record_candidates(entity, today=today, only=records, application=application)
    if listings is None or listings:
        found += listing_candidates(entity, today=today, only=listings, application=application)
    return found
