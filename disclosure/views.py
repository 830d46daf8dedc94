"""The public site: search by name or USCC, then one page per entity whose sections follow the
national credit report (ARCHITECTURE 5, "The public site"). Reads go through the registry's
selectors only; an anonymous visitor sees public records only."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from credit_portal.errors import DomainError
from registry import selectors
from registry.models import CatalogueItem, CreditRecord, MarketEntity
from registry.roles import viewer_for
from registry.views import (
    department_label,
    error_page,
    label_entity,
    label_records,
    paginate,
    role_rows,
    search_page,
)

from .forms import SearchForm

SECTION_LIMIT = 10  # records shown per section before "show all"
PUBLIC_PURPOSE = "public site view"

Kind = CatalogueItem.Kind
# Administrative management: licences, penalties and the other administrative decisions.
ADMINISTRATIVE_KINDS = {
    Kind.LICENCE, Kind.PENALTY, Kind.COMPULSION, Kind.CONFIRMATION, Kind.EXPROPRIATION,
    Kind.PAYMENT, Kind.RULING, Kind.COMPENSATION, Kind.INSPECTION, Kind.INTERVIEW,
}  # fmt: skip


@dataclass
class Section:
    key: str
    title: Promise
    note: Promise
    records: list[CreditRecord] = field(default_factory=list)
    page: Page | None = None  # set when this section is expanded and paginated
    base_qs: str = ""

    @property
    def count(self) -> int:
        return len(self.records)

    @property
    def shown(self) -> list[CreditRecord]:
        return list(self.page.object_list) if self.page else self.records[:SECTION_LIMIT]

    @property
    def more(self) -> bool:
        return self.page is None and self.count > SECTION_LIMIT


# The national credit report's categories, in its order (credit evaluation arrives with the
# ratings app and is not a credit record).
SECTIONS: list[tuple[str, Promise, Promise]] = [
    ("administrative", _("行政管理信息"), _("行政许可、行政处罚及其他行政管理决定")),
    ("dishonesty", _("严重失信主体名单"), _("列入严重失信主体名单等失信惩戒名单的信息")),
    ("commitment", _("信用承诺信息"), _("信用承诺及其履行情况")),
    ("judicial", _("司法判决信息"), _("司法判决及失信被执行人信息")),
    ("honesty", _("诚实守信信息"), _("守信激励名单、行政奖励等")),
    ("abnormal", _("经营异常信息"), _("列入经营异常名录的信息")),
    ("other", _("其他信息"), _("其他公共信用信息")),
]
SECTION_KEYS = {key for key, _title, _note in SECTIONS}


def section_of(record: CreditRecord) -> str:
    item = record.catalogue_item
    if item.kind in ADMINISTRATIVE_KINDS:
        return "administrative"
    if item.kind == Kind.LISTING:
        # Red lists are listings too: positive ones are honesty, negative ones dishonesty.
        return "honesty" if item.polarity == CatalogueItem.Polarity.POSITIVE else "dishonesty"
    return {
        Kind.COMMITMENT: "commitment",
        Kind.JUDICIAL: "judicial",
        Kind.REWARD: "honesty",
        Kind.ABNORMAL: "abnormal",
    }.get(item.kind, "other")


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "disclosure/home.html", {"form": SearchForm(), "sections": SECTIONS})


def search(request: HttpRequest) -> HttpResponse:
    """Exact USCC (spaces, full-width and lower case accepted) or names ranked by similarity."""
    return search_page(request, SearchForm(request.GET), "disclosure/search.html")


def entity_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    try:
        entity = selectors.entity_get(uscc)
    except DomainError as exc:
        return error_page(request, exc)
    if entity.uscc != uscc:  # e.g. lower case or full-width in the address bar
        return redirect("public:entity", uscc=entity.uscc)
    viewer = viewer_for(request.user)
    records = label_records(selectors.entity_records(viewer, entity, purpose=PUBLIC_PURPOSE))
    sections = {key: Section(key=key, title=title, note=note) for key, title, note in SECTIONS}
    for record in records:
        record.department_label = department_label(record.source_department)
        sections[section_of(record)].records.append(record)
    expanded = request.GET.get("section")
    if expanded in SECTION_KEYS:
        section = sections[expanded]
        section.page, section.base_qs = paginate(request, section.records)
    return render(
        request,
        "disclosure/entity.html",
        {
            "entity": label_entity(entity),
            "flags": _flags(entity, sections),
            "authority": department_label(entity.registration_authority),
            "roles": role_rows(selectors.entity_roles_public(entity)),
            "sections": list(sections.values()),
            "expanded": expanded if expanded in SECTION_KEYS else "",
            "record_count": len(records),
        },
    )


def _flags(entity: MarketEntity, sections: dict[str, Section]) -> list[tuple[str, str]]:
    """Status flags on top: registration status, punishment and incentive targets."""
    flags = [("ok" if entity.status == MarketEntity.Status.ACTIVE else "alert",
              entity.status_label)]  # fmt: skip
    if sections["dishonesty"].records:
        flags.append(("alert", str(_("失信惩戒对象"))))
    if any(r.catalogue_item.kind == Kind.LISTING for r in sections["honesty"].records):
        flags.append(("good", str(_("守信激励对象"))))
    return flags


def report_error(request: HttpRequest) -> HttpResponse:
    """The "find errors" page required of government websites (2017 No. 47)."""
    return render(request, "disclosure/report_error.html")
