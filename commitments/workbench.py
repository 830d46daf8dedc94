"""The department's commitment pages in the regulator workbench: the queues (materials due,
fulfilment to record, breaches), one commitment with its materials, and voluntary
registrations to verify. Thin: the services decide, the selectors choose what is shown."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from credit_portal.errors import DomainError, NotFound
from credit_portal.web import (
    add_domain_error,
    error_page,
    form_error_status,
    local_choices,
    paginate,
)
from registry.access import department_view

from . import selectors, services
from .forms import (
    AttendanceForm,
    CommitmentRecordForm,
    EducationSessionForm,
    MaterialFormSet,
    materials_of,
)
from .models import Commitment, EducationSession, VoluntaryDisclosure

QUEUE_TITLES = {
    "materials": gettext_lazy("待补正材料"),
    "record": gettext_lazy("待记录履行"),
    "breached": gettext_lazy("已认定未履行"),
}


class FulfilmentForm(forms.Form):
    fulfilment = forms.ChoiceField(label=gettext_lazy("履行情况"))
    note = forms.CharField(
        label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fulfilment"].choices = local_choices(Commitment.Fulfilment.choices)


class DecideForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("verified", gettext_lazy("核实通过")), ("rejected", gettext_lazy("不予通过"))]
    )
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


@department_view
def queue(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer
    name = request.GET.get("queue", "materials")
    name = name if name in selectors.QUEUES else "materials"
    page, base_qs = paginate(request, selectors.department_queue(viewer, name))
    tabs = [(key, title, key == name) for key, title in QUEUE_TITLES.items()]
    return render(
        request,
        "commitments/workbench_queue.html",
        {
            "page": page,
            "base_qs": base_qs,
            "queue": name,
            "tabs": tabs,
            "today": timezone.localdate(),
        },
    )


def _own(viewer, commitment_id: int) -> Commitment | None:
    return (
        Commitment.objects.filter(pk=commitment_id, department=viewer.department)
        .select_related("entity", "template", "item")
        .first()
    )


def _render_detail(request, commitment, form=None, status=200) -> HttpResponse:
    return render(
        request,
        "commitments/workbench_detail.html",
        {
            "commitment": commitment,
            "materials": list(commitment.materials.all()),
            "form": form or FulfilmentForm(),
            "closed": commitment.status
            in (Commitment.Status.FULFILLED, Commitment.Status.BREACHED),
        },
        status=status,
    )


def _not_own() -> NotFound:
    return NotFound(
        _("本部门没有这项承诺。/ Your department has no such commitment."),
        code="commitment_not_found",
    )


@department_view
def detail(request: HttpRequest, commitment_id: int) -> HttpResponse:
    viewer = request.viewer
    commitment = _own(viewer, commitment_id)
    if commitment is None:
        return error_page(request, _not_own())
    return _render_detail(request, commitment)


@require_POST
@department_view
def fulfilment(request: HttpRequest, commitment_id: int) -> HttpResponse:
    viewer = request.viewer
    commitment = _own(viewer, commitment_id)
    if commitment is None:
        return error_page(request, _not_own())
    form = FulfilmentForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, commitment, form, 400)
    try:
        services.commitment_fulfilment_record(
            actor=request.user,
            commitment_id=commitment.pk,
            fulfilment=form.cleaned_data["fulfilment"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        form.add_error(None, str(exc.message))
        return _render_detail(request, commitment, form, form_error_status(exc))
    messages.success(request, _("已记录履行情况。"))
    return redirect("commitments-workbench:detail", commitment_id=commitment.pk)


@require_POST
@department_view
def supply(request: HttpRequest, commitment_id: int, material_id: int) -> HttpResponse:
    viewer = request.viewer
    commitment = _own(viewer, commitment_id)
    if commitment is None or not commitment.materials.filter(pk=material_id).exists():
        return error_page(request, _not_own())
    try:
        services.material_supply(actor=request.user, material_id=material_id)
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(request, _("已记录材料补正。"))
    return redirect("commitments-workbench:detail", commitment_id=commitment.pk)


@department_view
def registrations(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer
    page, base_qs = paginate(request, selectors.department_registrations(viewer))
    return render(
        request,
        "commitments/workbench_registrations.html",
        {"page": page, "base_qs": base_qs},
    )


@require_POST
@department_view
def decide(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    viewer = request.viewer
    form = DecideForm(request.POST)
    if not VoluntaryDisclosure.objects.filter(
        pk=disclosure_id, department=viewer.department
    ).exists():
        return error_page(
            request,
            NotFound(
                _("本部门没有这条自愿注册信息。/ Your department has no such registration."),
                code="disclosure_not_found",
            ),
        )
    if not form.is_valid():
        messages.error(request, _("请选择核实结果。"))
        return redirect("commitments-workbench:registrations")
    try:
        services.disclosure_decide(
            actor=request.user,
            disclosure_id=disclosure_id,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("commitments-workbench:registrations")
    messages.success(request, _("已记录核实结果。"))
    return redirect("commitments-workbench:registrations")


def _render_record_form(request, form, formset, status=200) -> HttpResponse:
    return render(
        request,
        "commitments/workbench_form.html",
        {"form": form, "formset": formset},
        status=status,
    )


@department_view
def record(request: HttpRequest) -> HttpResponse:
    """Record a commitment an applicant signed at the department's window (approval on
    commitment, acceptance with missing materials, and the other kinds)."""
    if request.method != "POST":
        form = CommitmentRecordForm(initial={"uscc": request.GET.get("uscc", "")})
        return _render_record_form(request, form, MaterialFormSet(prefix="materials"))
    form = CommitmentRecordForm(request.POST)
    formset = MaterialFormSet(request.POST, prefix="materials")
    if not (form.is_valid() and formset.is_valid()):
        return _render_record_form(request, form, formset, 400)
    template = form.cleaned_data["template"]
    try:
        commitment = services.commitment_make(
            actor=request.user,
            uscc=form.cleaned_data["uscc"],
            kind=template.kind,
            template_id=template.pk,
            item_code=template.item.code if template.item else "",
            materials=materials_of(formset),
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_record_form(request, form, formset, form_error_status(exc))
    messages.success(request, _("承诺已录入，编号 %(number)s。") % {"number": commitment.number})
    return redirect("commitments-workbench:detail", commitment_id=commitment.pk)


# --- integrity education: free sessions and the attendance recorded (35/2) ---------------------
@department_view
def education(request: HttpRequest) -> HttpResponse:
    """The department's sessions, newest first, and the form to hold a new one."""
    viewer = request.viewer
    form = EducationSessionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                session = services.education_session_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = form_error_status(exc)
            else:
                messages.success(request, _("诚信教育场次已发布。"))
                return redirect("commitments-workbench:education-session", session_id=session.pk)
        else:
            status = 400
    page, base_qs = paginate(request, selectors.department_education_sessions(viewer))
    return render(
        request,
        "commitments/workbench_education.html",
        {"page": page, "base_qs": base_qs, "form": form},
        status=status,
    )


def _render_session(request, session, form=None, status=200) -> HttpResponse:
    page, base_qs = paginate(request, selectors.session_attendances(session))
    return render(
        request,
        "commitments/workbench_session.html",
        {"session": session, "page": page, "base_qs": base_qs, "form": form or AttendanceForm()},
        status=status,
    )


def _own_session(viewer, session_id: int) -> EducationSession | None:
    return EducationSession.objects.filter(pk=session_id, department=viewer.department).first()


def _no_session() -> NotFound:
    return NotFound(
        _("本部门没有这个诚信教育场次。/ Your department holds no such session."),
        code="session_not_found",
    )


@department_view
def education_session(request: HttpRequest, session_id: int) -> HttpResponse:
    """One session: who attended, and the form to record another attendance."""
    viewer = request.viewer
    session = _own_session(viewer, session_id)
    if session is None:
        return error_page(request, _no_session())
    if request.method != "POST":
        return _render_session(request, session)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        return _render_session(request, session, form, 400)
    try:
        services.education_attendance_record(
            actor=request.user,
            session_id=session.pk,
            uscc=form.cleaned_data["uscc"],
            attendee=form.cleaned_data["attendee"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_session(request, session, form, form_error_status(exc))
    messages.success(request, _("已记录参加情况。"))
    return redirect("commitments-workbench:education-session", session_id=session.pk)
