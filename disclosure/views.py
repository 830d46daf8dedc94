"""The public site: search by name or USCC, one page per entity with tabs (basic information
and the national credit report's sections, licences, penalties, other decisions), the "double
publicity" listings and the timeliness statistics (docs/architecture.md §5, "The public site").

Views are thin: the selectors (registry's and disclosure's) apply every rule; an anonymous
visitor sees public information only. Each page's main content is cached (``caching``); the
page shell around it (language switch, who is signed in) is rendered per request, except the
entity page's for anonymous visitors, which is cached whole with the visitor's CSRF token
filled in (``caching.shared_page``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commitments import selectors as commitment_selectors
from credit_portal.errors import DomainError, NotFound
from credit_portal.pagination import CappedPaginator
from credit_portal.web import PER_PAGE, english, error_page, local_label
from discipline import selectors as discipline_selectors
from discipline.models import ListKind
from objections import selectors as objection_selectors
from ratings import selectors as rating_selectors
from registry import selectors as registry_selectors
from registry.labels import department_label
from registry.models import CatalogueItem, CreditRecord, Decision, MarketEntity
from registry.names import SEARCH_LIMIT
from registry.roles import Role, Viewer, viewer_for

from . import caching, selectors
from .forms import PublicityFilterForm, SearchForm, StatisticsFilterForm

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
    listed: bool = False  # the entity is on this section's list now (see the lists tab)

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


@dataclass(frozen=True)
class Tab:
    key: str
    title: Promise
    kinds: tuple[str, ...] = ()  # decision kinds shown; none for the basic tab


# The entity page's tabs. 名单信息: the public punishment and red listings of the discipline
# app; list records from other sources stay in the basic tab's national-report sections.
TABS: list[Tab] = [
    Tab("basic", _("基本信息")),
    Tab("licences", _("行政许可"), (Decision.Kind.LICENCE,)),
    Tab("penalties", _("行政处罚"), (Decision.Kind.PENALTY,)),
    Tab("other", _("其他行政决定"), selectors.OTHER_KINDS),
    Tab("commitments", _("信用承诺")),
    Tab("lists", _("名单信息")),
]
TAB_BY_KEY = {tab.key: tab for tab in TABS}


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


# --- helpers ----------------------------------------------------------------------------------
def _paginate(items, raw_page: str | None, params: dict[str, Any]) -> tuple[Page, str]:
    """A page of ``items`` and the query string for page links, built from parsed inputs only
    (never the raw query string: the result is cached and shown to others)."""
    page = CappedPaginator(items, PER_PAGE).get_page(raw_page)
    return page, urlencode({k: v for k, v in params.items() if v not in ("", None)})


def _shell(
    request: HttpRequest,
    title: str,
    body: str,
    *,
    status: int = 200,
    search_box: bool = True,
    shared: bool = False,
) -> HttpResponse:
    """The page around cached content: header, language switch (CSRF), navigation, footer.
    ``shared``: for ``caching.shared_page``, with the CSRF token left as its placeholder."""
    context = {"title": title, "body": mark_safe(body), "search_box": search_box}
    if shared:
        context["csrf_token"] = caching.CSRF_PLACEHOLDER
    return render(request, "disclosure/page.html", context, status=status)


def _fragment(template: str, context: dict[str, Any], status: int = 200) -> dict[str, Any]:
    # Rendered without the request: nothing of this visitor can reach the cache.
    return {"body": render_to_string(template, context), "status": status}


# --- home and search --------------------------------------------------------------------------
def home(request: HttpRequest) -> HttpResponse:
    def build() -> dict[str, Any]:
        return _fragment("disclosure/home.html", {"form": SearchForm(), "sections": SECTIONS})

    page = caching.cached(("home",), build, caching.HOME_TTL)
    return _shell(request, gettext("首页"), page["body"], search_box=False)


def search(request: HttpRequest) -> HttpResponse:
    """Exact USCC (spaces, full-width and lower case accepted) or names ranked by similarity.

    A malformed code, a too-short name or a too-broad query is a 400 with its message."""
    raw = request.GET.get("q", "")
    raw_page = request.GET.get("page")

    def build() -> dict[str, Any]:
        form = SearchForm(request.GET)
        query = form.cleaned_data["q"].strip() if form.is_valid() else ""
        context: dict[str, Any] = {"form": form, "query": query}
        if not query:
            return _fragment("disclosure/search.html", context)
        try:
            entities = registry_selectors.public_query(
                lambda: list(registry_selectors.entity_search(query, limit=SEARCH_LIMIT + 1))
            )
        except DomainError as exc:
            context["error"] = str(exc.message)
            return _fragment("disclosure/search.html", context, exc.status)
        context["truncated"] = len(entities) > SEARCH_LIMIT
        context["page"], context["base_qs"] = _paginate(
            entities[:SEARCH_LIMIT], raw_page, {"q": query}
        )
        return _fragment("disclosure/search.html", context)

    page = caching.cached(("search", raw, caching.page_key(raw_page)), build, caching.SEARCH_TTL)
    query = raw.strip()
    title = gettext("“%(query)s”的查询结果") % {"query": query} if query else gettext("信用查询")
    return _shell(request, title, page["body"], status=page["status"], search_box=False)


# --- the entity page ----------------------------------------------------------------------------
def entity_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    """One page per entity, with tabs that are plain links (?tab=...): they work without
    JavaScript and with the keyboard, and each tab is paginated."""
    try:
        found = selectors.entity_page_version(uscc)
    except DomainError as exc:
        return error_page(request, exc)
    code = found.code
    if code != uscc:  # e.g. lower case or full-width in the address bar
        return redirect("public:entity", uscc=code)
    viewer = viewer_for(request.user)
    tab = TAB_BY_KEY.get(request.GET.get("tab", ""), TABS[0])
    section = request.GET.get("section", "") if tab.key == "basic" else ""
    section = section if section in SECTION_KEYS else ""
    raw_page = request.GET.get("page")
    grades = (found.grades_public, found.grades_run)

    @functools.cache
    def entity() -> MarketEntity:  # read only when a page is built: a cache hit needs none
        return registry_selectors.entity_get(code)

    def build() -> dict[str, Any]:
        context = _entity_context(viewer, entity(), tab, section, raw_page, grades_public=grades[0])
        return _fragment("disclosure/entity.html", context)

    if viewer.role != Role.ANONYMOUS:
        # Staff and entity users see more than the public: only the public view is shared.
        return _shell(request, entity().name, build()["body"])
    parts = (
        "entity", code, found.version, timezone.localdate(), tab.key, section, *grades,
        caching.page_key(raw_page),
    )  # fmt: skip

    def body() -> str:
        return caching.cached(parts, build, caching.ENTITY_TTL)["body"]

    inputs = {"tab": tab.key, "section": section, "page": caching.page_key(raw_page)}
    if caching.shareable(request, inputs):
        # The whole page: a hit costs the version read and two cache reads, no template.
        return caching.shared_page(
            request,
            parts,
            lambda: _shell(request, entity().name, body(), shared=True),
            caching.ENTITY_TTL,
        )
    return _shell(request, entity().name, body())


def _entity_context(
    viewer: Viewer,
    entity: MarketEntity,
    tab: Tab,
    section: str,
    raw_page: str | None,
    *,
    grades_public: bool,
) -> dict[str, Any]:
    counts = selectors.entity_decision_counts(viewer, entity)
    tabs = [
        {
            "key": t.key,
            "title": t.title,
            "count": sum(counts.get(kind, 0) for kind in t.kinds) if t.kinds else None,
            "current": t.key == tab.key,
        }
        for t in TABS
    ]
    context: dict[str, Any] = {
        "entity": entity,
        # Items under objection are marked "异议处理中" (33/22); public ones link to the form.
        "objection_marks": objection_selectors.under_objection(entity.uscc),
        "objection_url": reverse("objections:new"),
        "tabs": tabs,
        "tab": tab,
        "authority": department_label(entity.registration_authority),
        "public_grade": (
            rating_selectors.public_grade(entity, public=grades_public)
            if tab.key == "basic"
            else None
        ),
    }
    # The public list kinds in force, for the flags on top (one small query).
    in_force = selectors.entity_listed_kinds(entity)
    if tab.key == "commitments":
        # Voluntary public commitments and verified registered information: public to all.
        commitments = commitment_selectors.public_commitments(entity)
        page, base_qs = _paginate(commitments, raw_page, {"tab": tab.key})
        disclosures = list(commitment_selectors.verified_disclosures(entity)[:SECTION_LIMIT])
        context.update(page=page, base_qs=base_qs, disclosures=disclosures)
        polarities = selectors.entity_listing_polarities(viewer, entity)
    elif tab.key == "lists":
        # Public punishment and red listings shown now (under objection: marked as such).
        context["listings"] = discipline_selectors.entity_listings_public(entity.uscc)
        polarities = selectors.entity_listing_polarities(viewer, entity)
    elif tab.kinds:
        decisions = selectors.entity_decisions(viewer, entity, tab.kinds)
        page, base_qs = _paginate(decisions, raw_page, {"tab": tab.key})
        context.update(page=page, base_qs=base_qs, show_kind=len(tab.kinds) > 1)
        # The list flags on top need the entity's list records: one small query here.
        polarities = selectors.entity_listing_polarities(viewer, entity)
    else:
        records = list(selectors.entity_other_records(viewer, entity, purpose=PUBLIC_PURPOSE))
        sections = {key: Section(key=key, title=title, note=note) for key, title, note in SECTIONS}
        for record in records:
            sections[section_of(record)].records.append(record)
        # Listings are not credit records: the national report's list sections point to
        # the lists tab while the entity is on a public list whose measures are in force.
        sections["dishonesty"].listed = ListKind.PUNISHMENT in in_force
        sections["honesty"].listed = ListKind.RED in in_force
        if section:
            expanded = sections[section]
            expanded.page, expanded.base_qs = _paginate(
                expanded.records, raw_page, {"section": section}
            )
        context.update(
            sections=list(sections.values()),
            expanded=section,
            roles=registry_selectors.entity_roles_public(entity),
        )
        polarities = {
            r.catalogue_item.polarity for r in records if r.catalogue_item.kind == Kind.LISTING
        }
    context["flags"] = _flags(entity, polarities, in_force)
    return context


def _flags(
    entity: MarketEntity, list_polarities: set[str], in_force: set[str]
) -> list[tuple[str, str]]:
    """Status flags on top: registration status, punishment and incentive targets, from the
    polarities of the entity's list records (red lists are positive) and from the public
    list kinds whose measures are in force (``in_force``: a listing under objection has its
    measures suspended)."""
    flags = [("ok" if entity.status == MarketEntity.Status.ACTIVE else "alert",
              local_label(entity.get_status_display()))]  # fmt: skip
    if list_polarities - {CatalogueItem.Polarity.POSITIVE} or ListKind.PUNISHMENT in in_force:
        flags.append(("alert", gettext("失信惩戒对象")))
    if CatalogueItem.Polarity.POSITIVE in list_polarities or ListKind.RED in in_force:
        flags.append(("good", gettext("守信激励对象")))
    return flags


# --- "double publicity" listings ------------------------------------------------------------------
PUBLICITY_FIELDS = ("department", "province", "county", "date_from", "date_to")


def publicity(request: HttpRequest, kind: str = "") -> HttpResponse:
    """Published decisions for everyone, newest first, filterable by department, region
    (province, city or county of the entity's USCC) and decision date. Bad filter values are
    a 400 page that says what is wrong."""
    if kind and kind not in Decision.Kind.values:
        return error_page(
            request,
            NotFound(
                gettext("没有这类行政决定。/ No such kind of decision."), code="kind_not_found"
            ),
        )
    raw = [request.GET.get(name, "") for name in PUBLICITY_FIELDS]
    raw_page = request.GET.get("page")
    raw_after = request.GET.get("after", "")[:40]

    def build() -> dict[str, Any]:
        form = PublicityFilterForm(request.GET)
        context: dict[str, Any] = {"form": form, "kind": kind, "kinds": _kind_links(request)}
        if not form.is_valid():
            return _fragment("disclosure/publicity.html", context, 400)
        filters = form.filters(kind)
        params = {name: request.GET.get(name, "") for name in PUBLICITY_FIELDS}
        decisions = selectors.publicity_decisions(filters)
        if raw_after:
            # Past the numbered pages: each page continues from the last one's key, so the
            # thousandth page costs what the first does (no OFFSET, no count).
            after = selectors.publicity_key(raw_after)
            if after is None:
                context["after_error"] = True
                return _fragment("disclosure/publicity.html", context, 400)
            rows = list(selectors.publicity_after(decisions, after)[: PER_PAGE + 1])
            context.update(
                continued=rows[:PER_PAGE],
                next_after=_key(rows[PER_PAGE - 1]) if len(rows) > PER_PAGE else "",
                base_qs=urlencode({k: v for k, v in params.items() if v}),
            )
            return _fragment("disclosure/publicity.html", context)
        page, base_qs = _paginate(decisions, raw_page, params)
        last_offered = page.paginator.capped and not page.has_next() and page.object_list
        context.update(
            page=page,
            base_qs=base_qs,
            next_after=_key(list(page.object_list)[-1]) if last_offered else "",
        )
        return _fragment("disclosure/publicity.html", context)

    # Publication, withdrawal and the end of display change the version (and so the key) at
    # once; display also ends by date. The timeout bounds what the version does not see (an
    # entity renamed).
    version = (registry_selectors.publication_version(), timezone.localdate())
    page = caching.cached(
        ("publicity", *version, kind, *raw, caching.page_key(raw_page), raw_after),
        build,
        caching.BOARD_TTL,
    )
    if kind:
        title = gettext("%(kind)s信息公示") % {"kind": local_label(Decision.Kind(kind).label)}
    else:
        title = gettext("行政决定信息公示（双公示）")
    return _shell(request, title, page["body"], status=page["status"])


def _key(decision: Decision) -> str:
    return f"{decision.decision_date.isoformat()}.{decision.pk}"


def _kind_links(request: HttpRequest) -> list[dict[str, str]]:
    """Links to each kind's listing that keep the current filters (no page number)."""
    params = urlencode({n: request.GET[n] for n in PUBLICITY_FIELDS if request.GET.get(n)})
    return [{"kind": "", "label": gettext("全部"), "qs": params}] + [
        {"kind": k, "label": local_label(Decision.Kind(k).label), "qs": params}
        for k in selectors.KIND_ORDER
    ]


# --- timeliness statistics ------------------------------------------------------------------------
def statistics(request: HttpRequest) -> HttpResponse:
    """Publication timeliness per department and kind, as charts (Chart.js, served from our
    own static files) and the same figures as a table."""
    raw = (request.GET.get("year", ""), request.GET.get("department", ""))

    def build() -> dict[str, Any]:
        form = StatisticsFilterForm(request.GET)
        if not form.is_valid():
            return _fragment("disclosure/statistics.html", {"form": form}, 400)
        report = selectors.timeliness_public(
            year=form.cleaned_data["year"], department=form.cleaned_data["department"]
        )
        return _fragment("disclosure/statistics.html", _statistics_context(form, report))

    page = caching.cached(("statistics", *raw, timezone.localdate()), build, caching.STATISTICS_TTL)
    return _shell(request, gettext("公示及时率统计"), page["body"], status=page["status"])


def _label_row(row: selectors.TimelinessRow, *, total: bool = False) -> dict[str, Any]:
    share = row.on_time_share
    if total and not row.department_code:
        department = gettext("全部部门")
    elif english() and row.department_name_en:
        department = row.department_name_en
    else:
        department = row.department_name
    return {
        "department": department,
        "kind": local_label(Decision.Kind(row.kind).label) if row.kind else gettext("合计"),
        "due": row.due,
        "on_time": row.on_time,
        "late": row.late,
        "overdue": row.overdue,
        "share": f"{share:.1%}" if share is not None else "—",
        "share_value": round(share * 100, 1) if share is not None else None,
        "median": f"{row.median_delay_days:g}" if row.median_delay_days is not None else "—",
        "median_value": row.median_delay_days,
        "is_total": total,
    }


def _statistics_context(form: StatisticsFilterForm, report: selectors.TimelinessReport) -> dict:
    groups = []  # each department's kinds, then its total
    totals = {row.department_code: row for row in report.departments}
    for code, total in totals.items():
        kinds = [_label_row(r) for r in report.rows if r.department_code == code]
        groups.append({"rows": kinds, "total": _label_row(total, total=True)})
    # One department chosen: the charts compare its kinds; otherwise they compare departments.
    if report.department_code:
        bars = [_label_row(r) for r in report.rows]
        axis = "kind"
    else:
        bars = [_label_row(r, total=True) for r in report.departments]
        axis = "department"
    chart = {
        "labels": [bar[axis] for bar in bars],
        "on_time": [bar["on_time"] for bar in bars],
        "late": [bar["late"] for bar in bars],
        "overdue": [bar["overdue"] for bar in bars],
        "share": [bar["share_value"] for bar in bars],
        "median": [bar["median_value"] for bar in bars],
        "text": {
            "on_time": gettext("按时公示"),
            "late": gettext("逾期公示"),
            "overdue": gettext("逾期未公示"),
            "share": gettext("按时公示率（%）"),
            "median": gettext("公示用时中位数（天）"),
        },
    }
    return {
        "form": form,
        "report": report,
        "groups": groups,
        "total": _label_row(report.total, total=True) if report.total else None,
        "chart": chart,
        "has_data": bool(report.rows),
    }


def report_error(request: HttpRequest) -> HttpResponse:
    """The "find errors" page required of government websites (2017 No. 47)."""
    return render(request, "disclosure/report_error.html")
