"""The department's discipline pages in the regulator workbench (35/8-12, 33/9-22): its
listings from proposal to exit, the measure tasks it implements or initiated, rectification
orders and interviews, access bans with appointment warnings, and the "may receive" check.

Thin: forms parse, the services decide (a refusal is shown on the form with its message and
its status), the selectors choose what is shown. A department never sees another's proposals.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from credit_portal.errors import DomainError
from credit_portal.web import add_domain_error, error_page, form_error_status, local_label, paginate
from registry import personal
from registry.access import department_view
from registry.roles import Viewer

from . import selectors, services, transitions
from .forms import (
    AccessBanForm,
    BasisFormSet,
    InterviewHoldForm,
    ListingDecideForm,
    ListingExitForm,
    ListingProposeForm,
    ListingResumeForm,
    ListingSearchForm,
    ListingSuspendForm,
    MayReceiveForm,
    NoteForm,
    ReasonForm,
    RectificationOrderForm,
    StatementForm,
    TaskFeedbackForm,
    bases_of,
)
from .models import (
    Interview,
    Listing,
    MeasureTask,
    MeasureTaskItem,
    Rectification,
)

L = Listing.Status
T = MeasureTask.Status
NS = "discipline-workbench"


def _url(name: str) -> str:
    return reverse(f"{NS}:{name}")


# --- state shown on the pages (labels come from the template filters) ---------------------------
def _listing_state(listing: Listing, today=None) -> Listing:
    today = today or timezone.localdate()
    listing.stated = listing.statement_at is not None
    # The decision's own guard says whether the statement period allows it now.
    listing.ready = listing.status == L.PROPOSED and (
        transitions.listing_refusal(
            L.PROPOSED,
            L.LISTED,
            today=today,
            statement_due=listing.statement_due,
            stated=listing.stated,
        )
        is None
    )
    return listing


def _task_state(task: MeasureTask, today=None) -> MeasureTask:
    today = today or timezone.localdate()
    task.is_overdue = task.status == T.OPEN and task.feedback_due < today
    return task


def _error_text(form: forms.Form) -> str:
    """The first error of a form the page does not show (a hand-made POST)."""
    for errors in form.errors.values():
        return str(errors[0])
    return _("请求无效。")


# --- listings ------------------------------------------------------------------------------------
LISTING_TABS = (L.PROPOSED, L.LISTED, L.SUSPENDED, L.REJECTED, L.EXITED)


@department_view
def listings(request: HttpRequest) -> HttpResponse:
    """The department's listings by status; proposals show whether they may be decided."""
    viewer: Viewer = request.viewer
    status = request.GET.get("status", L.PROPOSED)
    status = status if status in LISTING_TABS else L.PROPOSED
    form = ListingSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page, base_qs = paginate(request, selectors.department_listings(viewer, status, query=query))
    today = timezone.localdate()
    for listing in page.object_list:
        _listing_state(listing, today)
    tabs = [(value, local_label(L(value).label), value == status) for value in LISTING_TABS]
    return render(
        request,
        "discipline/workbench_listings.html",
        {
            "page": page,
            "base_qs": base_qs,
            "tabs": tabs,
            "status": status,
            "form": form,
            "query": query,
        },
    )


def _render_propose(request, form, formset, status: int = 200) -> HttpResponse:
    return render(
        request,
        "discipline/workbench_listing_form.html",
        {"form": form, "formset": formset},
        status=status,
    )


@department_view
def listing_new(request: HttpRequest) -> HttpResponse:
    """Propose a listing on its basis documents (35/9); the entity is then heard."""
    viewer: Viewer = request.viewer
    if request.method != "POST":
        form = ListingProposeForm(viewer=viewer, initial={"uscc": request.GET.get("uscc", "")})
        return _render_propose(request, form, BasisFormSet(prefix="bases"))
    form = ListingProposeForm(request.POST, viewer=viewer)
    formset = BasisFormSet(request.POST, prefix="bases")
    if not (form.is_valid() and formset.is_valid()):
        return _render_propose(request, form, formset, 400)
    data = form.cleaned_data
    try:
        listing = services.listing_propose(
            actor=request.user,
            uscc=data["uscc"],
            rule_code=data["rule"],
            facts=data["facts"],
            bases=bases_of(formset),
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_propose(request, form, formset, form_error_status(exc))
    messages.success(
        request,
        _("已拟列入，陈述申辩期至 %(due)s。") % {"due": listing.statement_due.isoformat()},
    )
    return redirect(f"{NS}:listing", listing_id=listing.pk)


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "statement": StatementForm,
    "decide": ListingDecideForm,
    "suspend": ListingSuspendForm,
    "resume": ListingResumeForm,
    "exit": ListingExitForm,
}
# Which actions the recognising department is offered in each state; the services decide.
STATE_ACTIONS = {
    L.PROPOSED: ("statement", "decide"),
    L.LISTED: ("suspend", "exit"),
    L.SUSPENDED: ("resume", "exit"),
}


def _action_form(action: str, data=None) -> forms.Form:
    # Several forms on one page: ids per action, so labels point at their own fields.
    return ACTION_FORMS[action](data, auto_id=f"id_{action}_%s")


def _actions(viewer: Viewer, listing: Listing) -> tuple[str, ...]:
    if listing.department_id != viewer.department.pk:
        return ()
    return STATE_ACTIONS.get(listing.status, ())


def _render_listing(
    request: HttpRequest, listing: Listing, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    viewer: Viewer = request.viewer
    bound = bound or {}
    _listing_state(listing)
    own = listing.department_id == viewer.department.pk
    bases = list(listing.bases.all())
    tasks = list(selectors.listing_tasks(viewer, listing))
    today = timezone.localdate()
    for task in tasks:
        _task_state(task, today)
        task.applied = sum(i.outcome == MeasureTaskItem.Outcome.APPLIED for i in task.item_list)
    marks = list(selectors.listing_marks(viewer, listing))
    notices = list(selectors.listing_notices(viewer, listing))
    action_forms = {
        name: bound.get(name) or _action_form(name) for name in _actions(viewer, listing)
    }
    return render(
        request,
        "discipline/workbench_listing.html",
        {
            "listing": listing,
            "own": own,
            "bases": bases,
            "tasks": tasks,
            "marks": marks,
            "notices": notices,
            "forms": action_forms,
        },
        status=status,
    )


@department_view
def listing(request: HttpRequest, listing_id: int) -> HttpResponse:
    try:
        found = selectors.listing_visible(request.viewer, listing_id)
    except DomainError as exc:
        return error_page(request, exc)
    selectors.log_listing_reads(request.viewer, [found], purpose="workbench view")
    return _render_listing(request, found)


def _listing_action(
    request: HttpRequest,
    listing_id: int,
    action: str,
    call: Callable[[dict], Listing],
    done: str,
) -> HttpResponse:
    """Parse the action's form, call its service, and come back to the listing page; a
    refusal is shown on the form with the service's message and status."""
    viewer: Viewer = request.viewer
    try:
        found = selectors.listing_visible(viewer, listing_id)
    except DomainError as exc:
        return error_page(request, exc)
    form = _action_form(action, request.POST)
    shown = action in _actions(viewer, found)
    if not form.is_valid():
        if not shown:
            return error_page(request, DomainError(_error_text(form)))
        return _render_listing(request, found, {action: form}, 400)
    try:
        call(form.cleaned_data)
    except DomainError as exc:
        if not shown:
            return error_page(request, exc)
        add_domain_error(form, exc)
        return _render_listing(request, found, {action: form}, form_error_status(exc))
    messages.success(request, done)
    return redirect(f"{NS}:listing", listing_id=found.pk)


@require_POST
@department_view
def listing_statement(request: HttpRequest, listing_id: int) -> HttpResponse:
    """Record a statement the entity made in writing (35/9: heard before listing)."""
    return _listing_action(
        request,
        listing_id,
        "statement",
        lambda data: services.listing_statement_record(
            actor=request.user, listing_id=listing_id, statement=data["statement"]
        ),
        _("已记录陈述申辩。"),
    )


@require_POST
@department_view
def listing_decide(request: HttpRequest, listing_id: int) -> HttpResponse:
    return _listing_action(
        request,
        listing_id,
        "decide",
        lambda data: services.listing_decide(
            actor=request.user,
            listing_id=listing_id,
            list_entity=data["decision"] == "list",
            note=data["note"],
        ),
        _("已作出决定。"),
    )


@require_POST
@department_view
def listing_suspend(request: HttpRequest, listing_id: int) -> HttpResponse:
    return _listing_action(
        request,
        listing_id,
        "suspend",
        lambda data: services.listing_suspend(
            actor=request.user, listing_id=listing_id, reason=data["reason"]
        ),
        _("已暂停惩戒（异议核查中）。"),
    )


@require_POST
@department_view
def listing_resume(request: HttpRequest, listing_id: int) -> HttpResponse:
    return _listing_action(
        request,
        listing_id,
        "resume",
        lambda data: services.listing_resume(
            actor=request.user, listing_id=listing_id, note=data["note"]
        ),
        _("已恢复惩戒。"),
    )


@require_POST
@department_view
def listing_exit(request: HttpRequest, listing_id: int) -> HttpResponse:
    return _listing_action(
        request,
        listing_id,
        "exit",
        lambda data: services.listing_exit(
            actor=request.user, listing_id=listing_id, reason=data["reason"], note=data["note"]
        ),
        _("已移出名单，相关惩戒措施任务已撤销或待解除。"),
    )


# --- measure tasks -------------------------------------------------------------------------------
TASK_TABS = {
    T.OPEN: gettext_lazy("待实施"),
    T.FED_BACK: gettext_lazy("已反馈"),
    T.LIFTING: gettext_lazy("待解除"),
    T.LIFTED: gettext_lazy("已解除"),
    T.SUSPENDED: gettext_lazy("异议暂停"),
}


@department_view
def tasks(request: HttpRequest) -> HttpResponse:
    """The tasks the department implements, and the follow-up of the tasks its listings set
    (coverage and delays per implementing department, 33/18)."""
    viewer: Viewer = request.viewer
    status = request.GET.get("status", T.OPEN)
    status = status if status in TASK_TABS else T.OPEN
    page, base_qs = paginate(request, selectors.tasks_for(viewer, status))
    initiated, initiated_qs = paginate(request, selectors.initiated_tasks(viewer), param="ipage")
    today = timezone.localdate()
    for task in (*page.object_list, *initiated.object_list):
        _task_state(task, today)
    return render(
        request,
        "discipline/workbench_tasks.html",
        {
            "page": page,
            "base_qs": base_qs,
            "tabs": [(key, title, key == status) for key, title in TASK_TABS.items()],
            "status": status,
            "initiated": initiated,
            "initiated_qs": initiated_qs,
            "statistics": selectors.task_statistics(initiating=viewer.department),
        },
    )


def _feedback_shown(viewer: Viewer, task: MeasureTask) -> bool:
    return task.department_id == viewer.department.pk and task.status == T.OPEN


def _render_task(
    request: HttpRequest,
    task: MeasureTask,
    items: list[MeasureTaskItem],
    form: TaskFeedbackForm | None = None,
    lift_error: str = "",
    status: int = 200,
) -> HttpResponse:
    viewer: Viewer = request.viewer
    _task_state(task)
    listing = task.listing
    own = task.department_id == viewer.department.pk
    return render(
        request,
        "discipline/workbench_task.html",
        {
            "task": task,
            "listing": listing,
            "items": items,
            "form": (form or TaskFeedbackForm(items=items))
            if _feedback_shown(viewer, task)
            else None,
            "may_lift": own and task.status == T.LIFTING,
            "lift_error": lift_error,
        },
        status=status,
    )


def _task_and_items(request: HttpRequest, task_id: int):
    task = selectors.task_get(request.viewer, task_id)
    return task, list(task.items.select_related("measure"))


@department_view
def task(request: HttpRequest, task_id: int) -> HttpResponse:
    """One task, one row per measure; the implementing department feeds back on all of them
    at once (applied, or for a recommended measure, not applied with the reason)."""
    viewer: Viewer = request.viewer
    try:
        found, items = _task_and_items(request, task_id)
    except DomainError as exc:
        return error_page(request, exc)
    if request.method != "POST":
        return _render_task(request, found, items)
    form = TaskFeedbackForm(request.POST, items=items)
    shown = _feedback_shown(viewer, found)
    if not form.is_valid():
        if not shown:
            return error_page(request, DomainError(_error_text(form)))
        return _render_task(request, found, items, form, status=400)
    try:
        services.task_feedback(actor=request.user, task_id=found.pk, outcomes=form.outcomes())
    except DomainError as exc:
        if not shown:
            return error_page(request, exc)
        add_domain_error(form, exc)
        return _render_task(request, found, items, form, status=form_error_status(exc))
    messages.success(request, _("已反馈措施实施情况。"))
    return redirect(f"{NS}:task", task_id=found.pk)


@require_POST
@department_view
def task_lift(request: HttpRequest, task_id: int) -> HttpResponse:
    """Confirm the measures of an exited listing are lifted (35/13)."""
    try:
        found, items = _task_and_items(request, task_id)
    except DomainError as exc:
        return error_page(request, exc)
    try:
        services.task_lift(actor=request.user, task_id=found.pk)
    except DomainError as exc:
        return _render_task(
            request, found, items, lift_error=str(exc.message), status=form_error_status(exc)
        )
    messages.success(request, _("已确认解除惩戒措施。"))
    return redirect(f"{NS}:task", task_id=found.pk)


# --- rectification and interviews ----------------------------------------------------------------
RECTIFICATION_TABS = tuple(Rectification.Status.values)


def _render_rectifications(
    request: HttpRequest, bound: dict | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    """The department's orders by status, and the interviews it has to hold, each with the
    form to record it. ``bound``: the form that was just refused, by (kind, id)."""
    viewer: Viewer = request.viewer
    bound = bound or {}
    tab = request.GET.get("status", Rectification.Status.ORDERED)
    tab = tab if tab in RECTIFICATION_TABS else Rectification.Status.ORDERED
    page, base_qs = paginate(request, selectors.rectifications_for(viewer, tab))
    for order in page.object_list:
        order.complete_form = bound.get(("complete", order.pk)) or NoteForm(
            auto_id=f"id_c{order.pk}_%s"
        )
    due, due_qs = paginate(request, selectors.interviews_due(viewer), param="ipage")
    today = timezone.localdate()
    for interview in due.object_list:
        interview.is_reminder = interview.kind == Interview.Kind.REMINDER
        interview.is_overdue = interview.due_by < today
        interview.form = bound.get(("interview", interview.pk)) or InterviewHoldForm(
            auto_id=f"id_iv{interview.pk}_%s", initial={"held_on": today}
        )
    tabs = [
        (value, local_label(Rectification.Status(value).label), value == tab)
        for value in RECTIFICATION_TABS
    ]
    return render(
        request,
        "discipline/workbench_rectifications.html",
        {
            "page": page,
            "base_qs": base_qs,
            "tabs": tabs,
            "status": tab,
            "due": due,
            "due_qs": due_qs,
            "closed": (Rectification.Status.RECTIFIED,),
            "error": error,
        },
        status=status,
    )


@department_view
def rectifications(request: HttpRequest) -> HttpResponse:
    return _render_rectifications(request)


def _row_action(
    request: HttpRequest,
    form: forms.Form,
    key: tuple[str, int],
    call: Callable[[dict], object],
    done: str,
    render_page: Callable[..., HttpResponse],
    back: str,
) -> HttpResponse:
    """An action on one row of a list page: on refusal the page is shown again with the
    message on top and on the row's form (when the row is on the page)."""
    if not form.is_valid():
        return render_page(request, {key: form}, _error_text(form), 400)
    try:
        call(form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return render_page(request, {key: form}, str(exc.message), form_error_status(exc))
    messages.success(request, done)
    return redirect(back)


@require_POST
@department_view
def interview_hold(request: HttpRequest, interview_id: int) -> HttpResponse:
    """Record a held interview ("who recognises, interviews", 35/11)."""
    return _row_action(
        request,
        InterviewHoldForm(request.POST, auto_id=f"id_iv{interview_id}_%s"),
        ("interview", interview_id),
        lambda data: services.interview_hold(
            actor=request.user,
            interview_id=interview_id,
            held_on=data["held_on"],
            summary=data["summary"],
            attendees=data["attendees"],
            new_deadline=data["new_deadline"],
        ),
        _("约谈记录已保存，并已记入信用记录。"),
        _render_rectifications,
        f"{_url('rectifications')}?status={Rectification.Status.REMINDED}",
    )


@require_POST
@department_view
def rectification_complete(request: HttpRequest, rectification_id: int) -> HttpResponse:
    return _row_action(
        request,
        NoteForm(request.POST, auto_id=f"id_c{rectification_id}_%s"),
        ("complete", rectification_id),
        lambda data: services.rectification_complete(
            actor=request.user, rectification_id=rectification_id, note=data["note"]
        ),
        _("已记录整改完成。"),
        _render_rectifications,
        f"{_url('rectifications')}?status={Rectification.Status.RECTIFIED}",
    )


def _render_order(request, form, status: int = 200) -> HttpResponse:
    return render(
        request, "discipline/workbench_rectification_form.html", {"form": form}, status=status
    )


@department_view
def rectification_new(request: HttpRequest) -> HttpResponse:
    """Order rectification by a deadline (35/11); a missed deadline brings interviews."""
    if request.method != "POST":
        initial = {"uscc": request.GET.get("uscc", ""), "listing_id": request.GET.get("listing")}
        return _render_order(request, RectificationOrderForm(initial=initial))
    form = RectificationOrderForm(request.POST)
    if not form.is_valid():
        return _render_order(request, form, 400)
    data = form.cleaned_data
    try:
        services.rectification_order(
            actor=request.user,
            uscc=data["uscc"],
            requirement=data["requirement"],
            deadline=data["deadline"],
            listing_id=data["listing_id"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_order(request, form, form_error_status(exc))
    messages.success(request, _("已下达限期整改通知。"))
    return redirect(_url("rectifications"))


# --- access bans, appointment warnings and authority notices -----------------------------------
def _render_bans(
    request: HttpRequest,
    bound: dict | None = None,
    error: str = "",
    status: int = 200,
    impose_form: AccessBanForm | None = None,
) -> HttpResponse:
    viewer: Viewer = request.viewer
    bound = bound or {}
    # Bans in force, and the department's own of every state (one not begun yet can be
    # lifted; a lifted one shows why).
    bans = selectors.bans_for(viewer).order_by("-starts", "-id")
    page, base_qs = paginate(request, bans)
    for ban in page.object_list:
        ban.own = ban.department_id == viewer.department.pk
        ban.lift_form = bound.get(("lift", ban.pk)) or ReasonForm(auto_id=f"id_b{ban.pk}_%s")
    warnings, warnings_qs = paginate(
        request, selectors.warnings_for(viewer).select_related("role"), param="wpage"
    )
    for warning in warnings.object_list:
        warning.resolve_form = bound.get(("resolve", warning.pk)) or NoteForm(
            auto_id=f"id_w{warning.pk}_%s"
        )
        source = warning.ban.entity if warning.ban_id else warning.mark.listing.entity
        warning.source_entity = source
    notices, notices_qs = paginate(request, selectors.notices_for(viewer), param="npage")
    initial = {
        "uscc": request.GET.get("uscc", ""),
        "listing_id": request.GET.get("listing"),
        "starts": timezone.localdate(),
    }
    return render(
        request,
        "discipline/workbench_bans.html",
        {
            "page": page,
            "base_qs": base_qs,
            "warnings": warnings,
            "warnings_qs": warnings_qs,
            "notices": notices,
            "notices_qs": notices_qs,
            "form": impose_form or AccessBanForm(initial=initial),
            "error": error,
            "today": timezone.localdate(),  # a ban's state: not begun, in force or ended
        },
        status=status,
    )


@department_view
def bans(request: HttpRequest) -> HttpResponse:
    """Access bans in force (35/10), and the form to impose one; the department's open
    appointment warnings and the notices it received (33/13)."""
    if request.method != "POST":
        return _render_bans(request)
    form = AccessBanForm(request.POST)
    if not form.is_valid():
        return _render_bans(request, status=400, impose_form=form)
    data = form.cleaned_data
    try:
        services.access_ban_impose(
            actor=request.user,
            uscc=data["uscc"],
            field=data["field"],
            starts=data["starts"],
            ends=data["ends"],
            reason=data["reason"],
            legal_basis=data["legal_basis"],
            listing_id=data["listing_id"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_bans(request, status=form_error_status(exc), impose_form=form)
    messages.success(request, _("禁入决定已作出，并约束其法定代表人、主要负责人和实际控制人。"))
    return redirect(_url("bans"))


@require_POST
@department_view
def ban_lift(request: HttpRequest, ban_id: int) -> HttpResponse:
    return _row_action(
        request,
        ReasonForm(request.POST, auto_id=f"id_b{ban_id}_%s"),
        ("lift", ban_id),
        lambda data: services.access_ban_lift(
            actor=request.user, ban_id=ban_id, reason=data["reason"]
        ),
        _("已解除禁入。"),
        _render_bans,
        _url("bans"),
    )


@require_POST
@department_view
def warning_resolve(request: HttpRequest, warning_id: int) -> HttpResponse:
    return _row_action(
        request,
        NoteForm(request.POST, auto_id=f"id_w{warning_id}_%s"),
        ("resolve", warning_id),
        lambda data: services.liability_warning_resolve(
            actor=request.user, warning_id=warning_id, note=data["note"]
        ),
        _("已记录预警处理情况。"),
        _render_bans,
        _url("bans"),
    )


@require_POST
@department_view
def notice_read(request: HttpRequest, notice_id: int) -> HttpResponse:
    try:
        services.authority_notice_read(actor=request.user, notice_id=notice_id)
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(request, _("已标记为已阅。"))
    return redirect(f"{_url('bans')}#notices-title")


# --- "may this entity (or person) receive it?" (33/18) ------------------------------------------
@department_view
def check(request: HttpRequest) -> HttpResponse:
    """Staff ask before granting: the answer, its reasons and what is behind it. Asked by
    POST so an ID number never sits in a URL; the page shows it masked only."""
    viewer: Viewer = request.viewer
    if request.method != "POST":
        return _render_check(request, MayReceiveForm())
    form = MayReceiveForm(request.POST)
    if not form.is_valid():
        return _render_check(request, form, status=400)
    data = form.cleaned_data
    try:
        answer = selectors.may_receive(
            viewer,
            measure_code=data["measure"].code,
            uscc=data["uscc"].strip(),
            id_number=data["id_number"].strip(),
            purpose=data["purpose"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_check(request, form, status=form_error_status(exc))
    subject = data["uscc"].strip().upper() or personal.mask(data["id_number"])
    return _render_check(request, form, answer=answer, subject=subject)


def _render_check(request, form, *, answer=None, subject: str = "", status: int = 200):
    context: dict = {"form": form, "answer": answer, "subject": subject}
    if answer is not None:
        context["bans"] = list(answer.bans)
        context["marks"] = list(answer.marks)
    return render(request, "discipline/workbench_check.html", context, status=status)
