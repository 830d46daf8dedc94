"""The regulator workbench: thin views over the registry's selectors and services.

Only department staff and heads (and platform administrators, for the shell and the admin link)
may enter. A refused service call is shown as a form error or a 4xx page, never a 500.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Page
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credit_portal.calendar.models import CalendarGap
from credit_portal.calendar.selectors import years_missing
from credit_portal.errors import DomainError, NotFound
from credit_portal.navigation import cards_for
from credit_portal.web import (
    add_domain_error,
    error_page,
    form_error_status,
    paginate,
)

from . import selectors, services
from . import uscc as uscc_codes
from .access import no_department, workbench_view
from .forms import (
    DecisionCreateForm,
    DecisionFilterForm,
    DecisionFulfilmentForm,
    DecisionWithdrawForm,
    EntityRegisterForm,
    EntitySearchForm,
    RecordCorrectForm,
    RecordCreateForm,
    RecordFilterForm,
    RecordRevokeForm,
)
from .labels import department_label
from .models import CreditRecord, Decision, PublicityScope
from .names import SEARCH_LIMIT
from .roles import Role, Viewer

WORKBENCH_PURPOSE = "workbench view"


def search_entities(request: HttpRequest, query: str) -> tuple[Page, str, bool]:
    """Search the register (exact USCC or ranked names) under the public statement timeout.

    Raises the selectors' DomainErrors (malformed USCC, too-short name, too broad).
    """
    entities = selectors.public_query(
        lambda: list(selectors.entity_search(query, limit=SEARCH_LIMIT + 1))
    )
    truncated = len(entities) > SEARCH_LIMIT
    page, base_qs = paginate(request, entities[:SEARCH_LIMIT])
    return page, base_qs, truncated


# --- pages --------------------------------------------------------------------------------
@workbench_view
def home(request: HttpRequest) -> HttpResponse:
    viewer: Viewer = request.viewer
    context: dict = {
        "viewer": viewer,
        "is_platform_admin": viewer.role == Role.PLATFORM_ADMIN,
        "department_name": department_label(viewer.department),
    }
    if viewer.is_regulator:
        context["open_alerts"] = selectors.department_alerts(viewer).count()
        context["cards"] = cards_for(viewer)
        context["waiting"] = [card for card in context["cards"] if card.count and card.waiting]
    if viewer.role == Role.PLATFORM_ADMIN:
        # Working-day deadlines are provisional for years without a holiday notice.
        this_year = timezone.localdate().year
        context["calendar_gaps"] = list(CalendarGap.objects.order_by("year"))
        context["years_missing"] = years_missing(range(this_year, this_year + 2))
    return render(request, "registry/home.html", context)


@workbench_view
def record_list(request: HttpRequest) -> HttpResponse:
    viewer: Viewer = request.viewer
    if not viewer.is_regulator:
        return no_department(request)
    form = RecordFilterForm(request.GET)
    records = selectors.department_records(viewer).select_related("superseded_by")
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        if selectors.looks_like_uscc(query):
            records = records.filter(entity_id=uscc_codes.normalise(query))
        else:
            records = records.filter(Q(title__icontains=query) | Q(entity__name__icontains=query))
    page, base_qs = paginate(request, records)
    return render(
        request,
        "registry/record_list.html",
        {
            "form": form,
            "page": page,
            "base_qs": base_qs,
            "query": query,
            "department_name": department_label(viewer.department),
        },
    )


MAX_ID = 2**63 - 1  # bigint: a larger id in the URL would be a database error, not a 404


def _own_record(viewer: Viewer, record_id: int) -> CreditRecord | None:
    if record_id > MAX_ID:
        return None
    return (
        selectors.department_records(viewer)
        .select_related("superseded_by", "source_department")
        .filter(pk=record_id)
        .first()
    )


def _render_record(
    request: HttpRequest,
    record: CreditRecord,
    *,
    correct_form=None,
    revoke_form=None,
    status: int = 200,
) -> HttpResponse:
    history = list(selectors.record_history(record))
    superseded = any(r.supersedes_id == record.pk for r in history)
    can_supersede = not superseded and record.action != CreditRecord.Action.REVOCATION
    return render(
        request,
        "registry/record_detail.html",
        {
            "record": record,
            "history": history,
            "can_supersede": can_supersede,
            "entity": record.entity,
            "correct_form": correct_form or RecordCorrectForm(record=record),
            "revoke_form": revoke_form or RecordRevokeForm(),
        },
        status=status,
    )


def _not_own_record() -> DomainError:
    return NotFound(_("本部门没有这条信用记录。"), code="record_not_found")


@workbench_view
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    viewer: Viewer = request.viewer
    if not viewer.is_regulator:
        return no_department(request)
    record = _own_record(viewer, record_id)
    if record is None:
        return error_page(request, _not_own_record())
    return _render_record(request, record)


@require_POST
@workbench_view
def record_supersede(request: HttpRequest, record_id: int) -> HttpResponse:
    """Correct or revoke: the service decides who may (the owning department only)."""
    viewer: Viewer = request.viewer
    if record_id > MAX_ID:
        return error_page(request, _not_own_record())
    own = _own_record(viewer, record_id) if viewer.is_regulator else None
    action = request.POST.get("action", "")
    if action == CreditRecord.Action.CORRECTION:
        form = RecordCorrectForm(request.POST, record=own)
    else:
        form = RecordRevokeForm(request.POST)
    forms_for = (
        {"correct_form": form}
        if action == CreditRecord.Action.CORRECTION
        else {"revoke_form": form}
    )
    if not form.is_valid():
        if own is None:
            return error_page(request, _not_own_record())
        return _render_record(request, own, status=400, **forms_for)
    changes = form.changes() if isinstance(form, RecordCorrectForm) else {}
    try:
        new = services.credit_record_supersede(
            actor=request.user,
            record_id=record_id,
            action=action,
            reason=form.cleaned_data["reason"],
            **changes,
        )
    except DomainError as exc:
        if own is None:
            return error_page(request, exc)
        add_domain_error(form, exc)
        return _render_record(request, own, status=form_error_status(exc), **forms_for)
    if new.action == CreditRecord.Action.REVOCATION:
        messages.success(request, _("信用记录已撤销。"))
    else:
        messages.success(request, _("信用记录已更正。"))
    return redirect("workbench:record-detail", record_id=new.pk)


@workbench_view
def record_create(request: HttpRequest) -> HttpResponse:
    viewer: Viewer = request.viewer
    if not viewer.is_regulator:
        return no_department(request)
    if request.method == "POST":
        form = RecordCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = services.credit_record_create(
                    actor=request.user,
                    uscc=data["uscc"],
                    catalogue_code=data["catalogue_item"].code,
                    title=data["title"],
                    severity=data["severity"],
                    content=data["content"],
                    document_number=data["document_number"],
                    legal_basis=data["legal_basis"],
                    conduct_date=data["conduct_date"],
                    decision_date=data["decision_date"],
                    scope=data["scope"] or None,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                return render(
                    request,
                    "registry/record_form.html",
                    {"form": form},
                    status=form_error_status(exc),
                )
            messages.success(request, _("信用记录已保存。"))
            return redirect("workbench:record-detail", record_id=record.pk)
        return render(request, "registry/record_form.html", {"form": form}, status=400)
    initial = {"uscc": request.GET.get("uscc", "")}
    return render(request, "registry/record_form.html", {"form": RecordCreateForm(initial=initial)})


@workbench_view
def entity_register(request: HttpRequest) -> HttpResponse:
    viewer: Viewer = request.viewer
    if not viewer.is_regulator:
        return no_department(request)
    if request.method == "POST":
        form = EntityRegisterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entity = services.entity_register(
                    actor=request.user,
                    uscc=data["uscc"],
                    name=data["name"],
                    kind=data["kind"],
                    industry=data["industry"],
                    address=data["address"],
                    established=data["established"],
                    state_owned=data["state_owned"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                return render(
                    request,
                    "registry/entity_form.html",
                    {"form": form},
                    status=form_error_status(exc),
                )
            messages.success(request, _("市场主体已登记。"))
            return redirect("workbench:entity-detail", uscc=entity.uscc)
        return render(request, "registry/entity_form.html", {"form": form}, status=400)
    return render(
        request,
        "registry/entity_form.html",
        {
            "form": EntityRegisterForm(),
            "may_register": bool(viewer.department.registers_entities),
        },
    )


def search_page(request: HttpRequest, form: forms.Form, template: str) -> HttpResponse:
    """One search page for the public site and the workbench: a bad query is a 4xx message."""
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context: dict = {"form": form, "query": query}
    status = 200
    if query:
        try:
            context["page"], context["base_qs"], context["truncated"] = search_entities(
                request, query
            )
        except DomainError as exc:
            context["error"] = str(exc.message)
            status = exc.status
    return render(request, template, context, status=status)


@workbench_view
def entity_search(request: HttpRequest) -> HttpResponse:
    return search_page(request, EntitySearchForm(request.GET), "registry/entity_search.html")


@workbench_view
def entity_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    """Public, shared and own-authorised records; reading non-public ones writes the AccessLog."""
    viewer: Viewer = request.viewer
    try:
        entity = selectors.entity_get(uscc)
    except DomainError as exc:
        return error_page(request, exc)
    if entity.uscc != uscc:
        return redirect("workbench:entity-detail", uscc=entity.uscc)
    records = list(selectors.entity_records(viewer, entity, purpose=WORKBENCH_PURPOSE))
    page, base_qs = paginate(request, records)
    return render(
        request,
        "registry/entity.html",
        {
            "entity": entity,
            "authority": department_label(entity.registration_authority),
            "roles": selectors.entity_roles_public(entity),
            # Records of the viewer's own department link to their correction page.
            "own_department_id": viewer.department.pk if viewer.is_regulator else None,
            "page": page,
            "base_qs": base_qs,
            "record_count": len(records),
        },
    )


# --- decisions and the publicity queue (35/15) ------------------------------------------------
def _own_decisions(viewer: Viewer):
    """The department's own decisions in every state (the selector's visibility, narrowed)."""
    return selectors.decisions_visible(viewer).filter(department=viewer.department)


def _own_decision(viewer: Viewer, decision_id: int) -> Decision | None:
    if decision_id > MAX_ID:
        return None
    return _own_decisions(viewer).select_related("record__window").filter(pk=decision_id).first()


def _not_own_decision() -> DomainError:
    return NotFound(_("本部门没有这项行政决定。"), code="decision_not_found")


def _return_to(request: HttpRequest, default: str) -> str:
    """Back to the page the button was on (e.g. the queue), if it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@workbench_view
def decision_list(request: HttpRequest) -> HttpResponse:
    viewer: Viewer = request.viewer
    if not viewer.is_regulator:
        return no_department(request)
    form = DecisionFilterForm(request.GET)
    decisions = _own_decisions(viewer).order_by("-decision_date", "-id")
    query = ""
    if form.is_valid():
        data = form.cleaned_data
        query = data["q"].strip()
        if data["status"]:
            decisions = decisions.filter(status=data["status"])
        if data["kind"]:
            decisions = decisions.filter(kind=data["kind"])
        if data["overdue"]:
            decisions = decisions.filter(
                status=Decision.Status.RECORDED, publicity_due__lt=timezone.localdate()
            )
    if query:
        if selectors.looks_like_uscc(query):
            decisions = decisions.filter(entity_id=uscc_codes.normalise(query))
        else:
            decisions = decisions.filter(
                Q(document_number__icontains=query)
                | Q(title__icontains=query)
                | Q(entity__name__icontains=query)
            )
    page, base_qs = paginate(request, decisions)
    return render(
        request,
        "registry/decision_list.html",
        {
            "form": form,
            "page": page,
            "base_qs": base_qs,
            "filtered": any(request.GET.get(k) for k in ("q", "status", "kind", "overdue")),
            "department_name": department_label(viewer.department),
        },
        status=200 if form.is_valid() else 400,
    )


@workbench_view
def decision_create(request: HttpRequest) -> HttpResponse:
    viewer: Viewer = request.viewer
    if not viewer.is_regulator:
        return no_department(request)
    if request.method != "POST":
        initial = {"uscc": request.GET.get("uscc", "")}
        return render(
            request, "registry/decision_form.html", {"form": DecisionCreateForm(initial=initial)}
        )
    form = DecisionCreateForm(request.POST)
    if not form.is_valid():
        return render(request, "registry/decision_form.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        decision = services.decision_record(
            actor=request.user,
            uscc=data["uscc"],
            kind=data["kind"],
            document_number=data["document_number"],
            decision_date=data["decision_date"],
            title=data["title"],
            content=data["content"],
            legal_basis=data["legal_basis"],
            severity=data["severity"],
            penalty_type=data["penalty_type"],
            penalty_amount=data["penalty_amount"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return render(
            request, "registry/decision_form.html", {"form": form}, status=form_error_status(exc)
        )
    messages.success(
        request,
        _("行政决定已录入，请在 %(due)s 前公示。") % {"due": decision.publicity_due.isoformat()},
    )
    return redirect("workbench:decision-detail", decision_id=decision.pk)


def _render_decision(
    request: HttpRequest,
    decision: Decision,
    *,
    withdraw_form: DecisionWithdrawForm | None = None,
    fulfil_form: DecisionFulfilmentForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    window = getattr(decision.record, "window", None) if decision.record_id else None
    return render(
        request,
        "registry/decision_detail.html",
        {
            "decision": decision,
            "entity": decision.entity,
            "window": window,
            "error": error,
            "can_publish": decision.status == Decision.Status.RECORDED,
            "can_withdraw": decision.status != Decision.Status.WITHDRAWN,
            "withdraw_form": withdraw_form or DecisionWithdrawForm(),
            "can_fulfil": decision.status == Decision.Status.PUBLISHED
            and decision.fulfilled_on is None,
            "fulfil_form": fulfil_form or DecisionFulfilmentForm(),
        },
        status=status,
    )


@workbench_view
def decision_detail(request: HttpRequest, decision_id: int) -> HttpResponse:
    viewer: Viewer = request.viewer
    if not viewer.is_regulator:
        return no_department(request)
    decision = _own_decision(viewer, decision_id)
    if decision is None:
        return error_page(request, _not_own_decision())
    return _render_decision(request, decision)


@require_POST
@workbench_view
def decision_publish(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Publish: the service writes the credit record and its window and resolves the alert."""
    viewer: Viewer = request.viewer
    if not viewer.is_regulator:
        return no_department(request)
    # Another department's decision is a 404 here, as on the detail page.
    decision = _own_decision(viewer, decision_id)
    if decision is None:
        return error_page(request, _not_own_decision())
    try:
        published = services.decision_publish(actor=request.user, decision_id=decision.pk)
    except DomainError as exc:
        return _render_decision(request, decision, error=str(exc.message), status=exc.status)
    if published.record is not None and published.record.scope != PublicityScope.PUBLIC:
        messages.success(request, _("行政决定已公示；按规定不向社会公开，只在部门间共享。"))
    else:
        messages.success(request, _("行政决定已公示。"))
    default = reverse("workbench:decision-detail", kwargs={"decision_id": decision.pk})
    return redirect(_return_to(request, default))


def _decision_form_action(
    request: HttpRequest, decision_id: int, form_class, form_key: str, call, done: str
) -> HttpResponse:
    """A form on the decision page: checked, handed to ``call(decision, cleaned_data)`` (the
    service), back to the page with ``done``; a refusal shows the page again with the message
    at the form and everything typed kept."""
    viewer: Viewer = request.viewer
    if not viewer.is_regulator:
        return no_department(request)
    decision = _own_decision(viewer, decision_id)
    if decision is None:
        return error_page(request, _not_own_decision())
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_decision(request, decision, **{form_key: form}, status=400)
    try:
        call(decision, form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_decision(
            request, decision, **{form_key: form}, status=form_error_status(exc)
        )
    messages.success(request, done)
    return redirect("workbench:decision-detail", decision_id=decision.pk)


@require_POST
@workbench_view
def decision_withdraw(request: HttpRequest, decision_id: int) -> HttpResponse:
    """A changed, revoked or annulled decision leaves public display; the ledger keeps it."""
    return _decision_form_action(
        request,
        decision_id,
        DecisionWithdrawForm,
        "withdraw_form",
        lambda decision, data: services.decision_change(
            actor=request.user,
            decision_id=decision.pk,
            change=data["change"],
            reason=data["reason"],
            change_date=data["change_date"],
        ),
        _("行政决定已撤下；信用记录中保留其历史。"),
    )


@require_POST
@workbench_view
def decision_fulfilled(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Record that the entity did what the decision required (fine paid, order carried out)."""
    return _decision_form_action(
        request,
        decision_id,
        DecisionFulfilmentForm,
        "fulfil_form",
        lambda decision, data: services.decision_fulfilment_record(
            actor=request.user,
            decision_id=decision.pk,
            fulfilled_on=data["fulfilled_on"],
            note=data["note"],
        ),
        _("已登记履行情况。"),
    )


@workbench_view
def alert_list(request: HttpRequest) -> HttpResponse:
    """The department's queue: decisions past their publicity due date, oldest first."""
    viewer: Viewer = request.viewer
    if not viewer.is_regulator:
        return no_department(request)
    alerts = selectors.department_alerts(viewer).order_by("decision__publicity_due", "pk")
    page, base_qs = paginate(request, alerts)
    return render(
        request,
        "registry/alert_list.html",
        {
            "page": page,
            "base_qs": base_qs,
            "department_name": department_label(viewer.department),
        },
    )
