"""Forms of the commitment pages, public and workbench. They parse input only: every rule
(template version, good standing, deadlines, ownership) is the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from credit_portal.web import DateInput, Form, local_choices, local_label
from registry.models import Department

from . import selectors
from .models import CommitmentKind, CommitmentTemplate, EducationSession, VoluntaryDisclosure


def _departments():
    return Department.objects.filter(active=True).order_by("code")


class VoluntaryCommitmentForm(forms.Form):
    """A voluntary public commitment, made by a signed-in entity on the current template. The
    version read is sent back, so a newer version published meanwhile is a clear refusal."""

    template_id = forms.IntegerField(widget=forms.HiddenInput)
    department = forms.ModelChoiceField(
        label=_("受理部门"),
        queryset=_departments(),
        to_field_name="code",
        empty_label=_("请选择"),
    )
    confirm = forms.BooleanField(
        label=_("我已阅读承诺书全文，自愿作出上述承诺，并同意向社会公开。"), required=True
    )


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CommitmentTemplate) -> str:
        kind = local_label(CommitmentKind(obj.kind).label)
        item = f" · {obj.item.name}" if obj.item else ""
        return _("%(kind)s%(item)s · %(title)s（第%(version)s版）") % {
            "kind": kind,
            "item": item,
            "title": obj.title,
            "version": obj.version,
        }


class CommitmentRecordForm(Form):
    """A department records a commitment an applicant signed at its window. Every published
    version is offered, so a commitment signed on an old version is refused with the reason
    rather than silently moved to the new one."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    template = TemplateChoiceField(
        label=_("承诺书格式文本（类型、事项、版本）"),
        queryset=selectors.published_templates(),
        empty_label=_("请选择"),
    )


class MaterialForm(Form):
    """One missing material and its deadline (acceptance with missing materials only)."""

    name = forms.CharField(label=_("待补正材料"), max_length=200, required=False)
    deadline = forms.DateField(label=_("补正期限"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        name, deadline = (data.get("name") or "").strip(), data.get("deadline")
        if name and deadline is None and "deadline" not in self.errors:
            self.add_error("deadline", _("请填写“%(name)s”的补正期限。") % {"name": name})
        if deadline is not None and not name:
            self.add_error("name", _("请填写材料名称。"))
        return data


MaterialFormSet = forms.formset_factory(MaterialForm, extra=3, max_num=20, validate_max=True)


def materials_of(formset) -> list[tuple[str, object]]:
    """The filled rows of a valid material formset, as (name, deadline)."""
    return [
        (f.cleaned_data["name"].strip(), f.cleaned_data["deadline"])
        for f in formset.forms
        if f.cleaned_data.get("name")
    ]


class DisclosureForm(Form):
    """An entity registers credit information about itself (35/5). The two promises are left
    to the service, which refuses with the reason; the text typed is kept on the page."""

    department = forms.ModelChoiceField(
        label=_("核实部门"), queryset=_departments(), to_field_name="code", empty_label=_("请选择")
    )
    kind = forms.ChoiceField(label=_("信息类别"))
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 6}))
    authenticity_committed = forms.BooleanField(
        label=_("本主体承诺所注册的信息真实、准确、完整，如有不实愿承担相应责任。"),
        required=False,
    )
    sharing_consented = forms.BooleanField(
        label=_("同意经核实后向社会公开并与有关部门共享。"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = local_choices(VoluntaryDisclosure.Kind.choices)
        self.fields["kind"].choices = [("", _("请选择")), *kinds]


class EducationSessionForm(Form):
    title = forms.CharField(label=_("课程名称"), max_length=200)
    mode = forms.ChoiceField(label=_("举办方式"))
    starts_at = forms.DateTimeField(
        label=_("开始时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("地点或网址"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = local_choices(EducationSession.Mode.choices)


class AttendanceForm(Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    attendee = forms.CharField(label=_("参加人"), max_length=100, required=False)
