"""Public discipline pages (35/8-12, 33/9-18): the three list kinds and their published rules,
the public joint-punishment and red lists, one public listing, the measures list and the
public statistics of measure tasks; and the signed-in entity's own proposals and listings,
where it is told of a proposed listing and states its case (35/9).

Thin: the selectors decide what the public sees (key-attention listings, proposals,
rejections, exits and statements never appear here), the services decide every write.
Discipline sits below ``disclosure``, so these pages render plainly (no page cache of
disclosure's); they are small, indexed reads.
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credit_portal.errors import DomainError, NotFound
from credit_portal.web import error_page, forbidden, local_label, paginate
from registry.roles import Role, Viewer, viewer_for

from . import selectors, services
from .forms import ListingSearchForm, MeasureFilterForm, StatementForm
from .models import Listing, ListKind

L = Listing.Status
PUBLIC_KINDS = [str(kind) for kind in selectors.PUBLIC_KINDS]


# --- labels ---------------------------------------------------------------------------------------
def _kind_title(kind: str) -> str:
    return local_label(ListKind(kind).label)


# --- the lists, their rules and the public listings ----------------------------------------------
def lists_home(request: HttpRequest) -> HttpResponse:
    """The three list kinds explained, their rules in force and links to what is public."""
    in_force = list(selectors.rules_published().filter(retired_at=None))
    counts = dict(
        selectors.listings_public()
        .order_by()
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    kinds = [
        {
            "kind": kind,
            "title": _kind_title(kind),
            "public": kind in PUBLIC_KINDS,
            "count": counts.get(kind, 0),
            "rules": [r for r in in_force if r.kind == kind],
        }
        for kind in ListKind.values
    ]
    return render(request, "discipline/public_lists.html", {"kinds": kinds})


def _kind_or_404(request: HttpRequest, kind: str) -> HttpResponse | None:
    if kind == ListKind.ATTENTION:
        return error_page(
            request,
            NotFound(
                _(
                    "重点关注名单仅在部门之间共享，不向社会公开。/ The key-attention list is "
                    "shared between departments only and is not public."
                ),
                code="list_not_public",
            ),
        )
    if kind not in PUBLIC_KINDS:
        return error_page(
            request, NotFound(_("没有这类名单。/ No such list."), code="kind_not_found")
        )
    return None


def kind_list(request: HttpRequest, kind: str) -> HttpResponse:
    """A public list: punishment or red listings shown now, searchable by name or USCC."""
    refusal = _kind_or_404(request, kind)
    if refusal:
        return refusal
    form = ListingSearchForm(request.GET)
    context = {"form": form, "kind": kind, "title": _kind_title(kind)}
    if not form.is_valid():
        return render(request, "discipline/public_kind.html", context, status=400)
    query = form.cleaned_data["q"].strip()
    page, base_qs = paginate(request, selectors.listings_public(kind, query), capped=True)
    context.update(page=page, base_qs=base_qs, query=query)
    return render(request, "discipline/public_kind.html", context)


def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        listing = selectors.listing_public(pk)
    except DomainError as exc:
        return error_page(request, exc)
    return render(
        request,
        "discipline/public_listing.html",
        {"listing": listing, "bases": list(listing.bases.all())},  # prefetched by the selector
    )


def rule_list(request: HttpRequest) -> HttpResponse:
    """Every published version, grouped by code: codes with a version in force first, each
    group newest version (the one in force) first; old versions stay readable because the
    listings made under them keep them."""
    rules = list(selectors.rules_published())
    groups = [list(g) for _code, g in groupby(rules, key=lambda r: r.code)]
    for group in groups:
        group.sort(key=lambda r: -r.version)
    # Codes with a version in force (not retired) first.
    groups.sort(
        key=lambda g: (g[0].retired_at is not None, ListKind.values.index(g[0].kind), g[0].code)
    )
    return render(request, "discipline/public_rules.html", {"groups": groups})


def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        rule = selectors.rule_public(pk)
    except DomainError as exc:
        return error_page(request, exc)
    return render(request, "discipline/public_rule.html", {"rule": rule})


# --- the measures list and the statistics --------------------------------------------------------
def measure_list(request: HttpRequest) -> HttpResponse:
    """The measures list in force (33/9-15), by list kind and category."""
    form = MeasureFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "discipline/public_measures.html", {"form": form}, status=400)
    measures = selectors.measures_published(form.cleaned_data["kind"])
    if form.cleaned_data["category"]:
        measures = measures.filter(category=form.cleaned_data["category"])
    page, base_qs = paginate(request, measures)
    return render(
        request,
        "discipline/public_measures.html",
        {"form": form, "page": page, "base_qs": base_qs},
    )


def statistics(request: HttpRequest) -> HttpResponse:
    """Measure tasks per implementing department: coverage and delays are public (35/14)."""
    rows = [
        {
            "department": row.department,
            "total": row.total,
            "fed_back": row.fed_back,
            "coverage": f"{row.coverage:.1%}" if row.total else "—",
            "overdue": row.overdue,
            "late": row.late,
        }
        for row in selectors.task_statistics()
    ]
    return render(request, "discipline/public_statistics.html", {"rows": rows})


# --- the signed-in entity: its proposals and listings, and its statement -----------------------
def _entity_only(request: HttpRequest) -> tuple[Viewer, HttpResponse | None]:
    viewer = viewer_for(request.user)
    if viewer.role != Role.ENTITY_USER:
        return viewer, forbidden(
            request,
            _(
                "只有市场主体账号可以查看本主体的名单信息和陈述申辩。/ Only entity accounts see "
                "their own listings and state their case."
            ),
        )
    return viewer, None


def _mine_page(
    request: HttpRequest,
    viewer: Viewer,
    *,
    bound: tuple[int, StatementForm] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The entity's page; ``bound`` is the statement form just posted (listing id, form):
    its text is kept, in the listing's form or, when that listing has none on this page (it
    was decided meanwhile, or is not this entity's), under the error on top."""
    page, base_qs = paginate(request, selectors.entity_proposals(viewer.entity_uscc))
    attached = False
    for listing in page.object_list:
        listing.public = listing.kind in PUBLIC_KINDS and listing.status in (L.LISTED, L.SUSPENDED)
        if listing.status == L.PROPOSED:
            if bound and bound[0] == listing.pk:
                listing.form, attached = bound[1], True
            else:
                listing.form = StatementForm(
                    initial={"statement": listing.statement}, auto_id=f"id_%s_{listing.pk}"
                )
    kept = ""
    if bound and not attached:
        kept = bound[1].data.get("statement", "")
        error = error or " ".join(str(e) for e in bound[1].errors.get("statement", []))
    orders = list(selectors.rectifications_for(viewer).prefetch_related("interviews")[:50])
    context = {
        "page": page, "base_qs": base_qs, "error": error, "kept": kept, "orders": orders,
    }  # fmt: skip
    return render(request, "discipline/mine.html", context, status=status)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    viewer, refusal = _entity_only(request)
    if refusal:
        return refusal
    return _mine_page(request, viewer)


@require_POST
@login_required
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    """The entity states its case on a proposed listing (35/9); the service decides whether
    it still may (its own entity, not yet decided)."""
    viewer, refusal = _entity_only(request)
    if refusal:
        return refusal
    form = StatementForm(request.POST, auto_id=f"id_%s_{pk}")
    if not form.is_valid():
        return _mine_page(request, viewer, bound=(pk, form), status=400)
    try:
        services.listing_statement_record(
            actor=request.user, listing_id=pk, statement=form.cleaned_data["statement"]
        )
    except DomainError as exc:
        # Shown on top (the listing may not be on this page, or not this entity's at all).
        return _mine_page(
            request, viewer, bound=(pk, form), error=str(exc.message), status=exc.status
        )
    messages.success(
        request,
        _("陈述申辩已提交，认定部门将在作出决定前听取。"),
    )
    return redirect("discipline:mine")
