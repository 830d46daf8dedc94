"""The public forms: an objection, a tip-off, and the status look-up. They collect and shape
input only; every rule (what may be objected to, file types and sizes) is the services'."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from credit_portal.web import DateInput, LocalForm, MultipleFileField
from registry.models import Department

from .models import Outcome, Target, TipOff


class _Captcha(LocalForm):
    """A CAPTCHA drawn on the server (django-simple-captcha: no outside service), left out for
    a signed-in entity account."""

    captcha = CaptchaField(
        label=_("验证码 / verification code"),
        error_messages={"invalid": _("验证码不正确，请重新输入。/ The code is wrong; try again.")},
    )

    def __init__(self, *args, captcha: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not captcha:
            del self.fields["captcha"]


class ObjectionForm(_Captcha):
    uscc = forms.CharField(
        label=_("统一社会信用代码 / USCC"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    target_kind = forms.ChoiceField(label=_("异议对象 / item"), choices=Target.choices)
    target_id = forms.CharField(
        label=_("信息编号 / item number"),
        required=False,
        max_length=20,
        help_text=_(
            "从信用信息页面的“提出异议”链接进入时自动填写；选择“其他信息”时可不填。/ Filled in "
            "when you come from a record's “object” link; leave blank for other information."
        ),
    )
    grounds = forms.CharField(
        label=_("异议理由 / grounds"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "请写明哪些信息有误、正确的情况和依据。/ Say what is wrong, what is right and why."
        ),
    )
    evidence = MultipleFileField(label=_("证明材料 / evidence"))
    filer_name = forms.CharField(label=_("姓名或名称 / name"), max_length=100)
    filer_contact = forms.CharField(label=_("联系电话或电子邮箱 / phone or e-mail"), max_length=100)
    field_order = [
        "uscc",
        "target_kind",
        "target_id",
        "grounds",
        "evidence",
        "filer_name",
        "filer_contact",
        "captcha",
    ]


class TipOffForm(_Captcha):
    uscc = forms.CharField(
        label=_("被举报主体统一社会信用代码 / USCC of the entity"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    department = forms.ModelChoiceField(
        label=_("主管部门（可不选）/ competent department (optional)"),
        queryset=Department.objects.order_by("code"),
        required=False,
        to_field_name="code",
        help_text=_(
            "不选时转交该主体的登记机关。/ Left blank, it goes to the entity's registration "
            "authority."
        ),
    )
    conduct = forms.CharField(
        label=_("举报事项 / conduct reported"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    conduct_date = forms.DateField(label=_("发生日期 / date"), required=False, widget=DateInput())
    evidence = MultipleFileField(label=_("证明材料 / evidence"))
    anonymous = forms.BooleanField(label=_("匿名举报 / report anonymously"), required=False)
    reporter_name = forms.CharField(
        label=_("举报人姓名 / your name"), max_length=100, required=False
    )
    reporter_contact = forms.CharField(
        label=_("联系电话或电子邮箱 / phone or e-mail"), max_length=100, required=False
    )
    field_order = [
        "uscc",
        "department",
        "conduct",
        "conduct_date",
        "evidence",
        "anonymous",
        "reporter_name",
        "reporter_contact",
        "captcha",
    ]


class StatusForm(LocalForm):
    tracking_number = forms.CharField(label=_("受理编号 / tracking number"), max_length=20)
    code = forms.CharField(
        label=_("查询码 / code"),
        max_length=20,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


# --- the workbench ------------------------------------------------------------------------------
class ProposeForm(LocalForm):
    outcome = forms.ChoiceField(label=_("处理结果 / outcome"), choices=Outcome.choices)
    reasons = forms.CharField(
        label=_("处理理由 / reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    action = forms.ChoiceField(
        label=_("对信息的处理 / what is done to the item"),
        required=False,
        choices=[
            ("", _("按处理结果默认（成立则撤销，部分成立则更正）/ by the outcome")),
            ("revocation", _("撤销 / revoke")),
            ("correction", _("更正 / correct")),
        ],
    )
    title = forms.CharField(
        label=_("更正后的标题 / corrected title"), required=False, max_length=300
    )
    content = forms.CharField(
        label=_("更正后的内容 / corrected content"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def correction(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("action", "title", "content") if data.get(k)}


class NoteForm(LocalForm):
    note = forms.CharField(
        label=_("退回理由 / why it goes back"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ForwardForm(LocalForm):
    department = forms.ModelChoiceField(
        label=_("核查部门 / department"),
        queryset=Department.objects.order_by("code"),
        to_field_name="code",
    )


class CloseForm(LocalForm):
    outcome = forms.ChoiceField(label=_("处理结果 / outcome"), choices=TipOff.Outcome.choices)
    reply = forms.CharField(
        label=_("答复举报人 / reply to the reporter"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    record_title = forms.CharField(
        label=_("记入信用记录的标题（举报属实时可填）/ credit record title (if substantiated)"),
        required=False,
        max_length=300,
    )
    record_content = forms.CharField(
        label=_("记录内容（不得包含举报人信息）/ record content (never the reporter)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
