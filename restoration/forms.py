"""The restoration forms. They collect and shape input only; eligibility, proof, file types
and sizes are the services' to decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from credit_portal.web import LocalForm, MultipleFileField

from .models import RestorationApplication, RestorationEvidence

SUPPORTING = [c for c in RestorationEvidence.Kind.choices if c[0] != "correction"]


class ApplyForm(LocalForm):
    items = forms.MultipleChoiceField(
        label=_("申请修复的事项 / items to restore"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择要修复的事项。/ Choose what to restore.")},
    )
    correction = forms.CharField(
        label=_("纠正失信行为、消除不良影响的情况 / how the conduct was corrected"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "写明已履行的义务、已完成的整改和消除影响的措施。/ Say what was done: obligations "
            "fulfilled, rectification completed, harm removed."
        ),
    )
    proof = MultipleFileField(
        label=_("纠正失信行为的证明 / proof of correction"),
        help_text=_(
            "系统已核实履行或整改完成的事项无需上传。/ Not needed for items the portal already "
            "shows as fulfilled or rectified."
        ),
    )
    supporting_kind = forms.ChoiceField(
        label=_("其他材料类别（可选）/ kind of other material (optional)"),
        choices=SUPPORTING,
        initial="other",
    )
    supporting = MultipleFileField(
        label=_("其他材料（可选）/ other material (optional)"),
        help_text=_(
            "信用核查、信用报告、公益活动、专题培训等材料可以附上，均非必需，本网站不收取任何"
            "费用。/ A verification, credit report, public-interest activity or training may "
            "be attached; none is required, and the portal charges nothing."
        ),
    )
    contact = forms.CharField(
        label=_("联系方式（可选）/ contact (optional)"), max_length=100, required=False
    )
    template_id = forms.IntegerField(widget=forms.HiddenInput)
    commitment = forms.BooleanField(
        label=_("本单位已阅读并作出上述信用修复承诺 / We make the restoration commitment above"),
        required=False,
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(c.key, c.display_label) for c in candidates if c.eligible]


class ReasonsForm(LocalForm):
    reasons = forms.CharField(
        label=_("理由 / reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProposeForm(ReasonsForm):
    outcome = forms.ChoiceField(
        label=_("审查意见 / proposal"),
        choices=RestorationApplication.Outcome.choices,
        widget=forms.RadioSelect,
    )
    field_order = ["outcome", "reasons"]


class NoteForm(LocalForm):
    note = forms.CharField(
        label=_("退回理由 / reason for returning"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
