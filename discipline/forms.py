"""Forms of the discipline pages, public and workbench. They parse input only: every rule
(authority, basis documents, statement period, state tables) is the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from credit_portal.web import DateInput, Form, local_choices, local_label

from .models import BanField, BasisKind, Listing, ListKind, ListRule, Measure, MeasureTaskItem
from .selectors import measures_published


class StatementForm(Form):
    """The entity states its case on a proposed listing (35/9)."""

    statement = forms.CharField(
        label=_("陈述申辩内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )


# --- workbench ----------------------------------------------------------------------------------
MAX_ID = 2**63 - 1  # bigint: a larger id typed in would be a database error, not a refusal


def _rule_label(rule: ListRule) -> str:
    return _("%(kind)s · %(name)s（%(code)s 第%(version)s版）") % {
        "kind": local_label(ListKind(rule.kind).label),
        "name": rule.display_name,
        "code": rule.code,
        "version": rule.version,
    }


class ListingSearchForm(Form):
    q = forms.CharField(
        label=_("主体名称或统一社会信用代码"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class MeasureFilterForm(Form):
    kind = forms.ChoiceField(label=_("适用名单"), required=False)
    category = forms.ChoiceField(label=_("措施类别"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set per request: local_label picks the half of "中文 / English" for the language.
        everything = [("", gettext("全部"))]
        self.fields["kind"].choices = everything + local_choices(ListKind.choices)
        self.fields["category"].choices = everything + local_choices(Measure.Category.choices)


class ListingProposeForm(Form):
    """Propose a listing. The rules offered are those in force that the department may
    recognise under; the rule code typed is the service's to check (authority, in force)."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    rule = forms.CharField(label=_("名单认定规则"), max_length=40, widget=forms.Select)
    facts = forms.CharField(
        label=_("认定事实"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        rules = (
            ListRule.objects.filter(
                published_at__isnull=False,
                retired_at=None,
                recognising_departments=viewer.department,
            )
            .order_by("kind", "code")
            .distinct()
        )
        self.rule_count = 0
        choices = [("", _("请选择"))]
        for rule in rules:
            choices.append((rule.code, _rule_label(rule)))
            self.rule_count += 1
        self.fields["rule"].widget.choices = choices


class BasisForm(Form):
    """One basis document (35/9: a judicial ruling, an administrative penalty or compulsion)."""

    kind = forms.ChoiceField(label=_("依据类别"), required=False)
    document_number = forms.CharField(label=_("文书号"), max_length=100, required=False)
    title = forms.CharField(label=_("文书名称"), max_length=300, required=False)
    issued_on = forms.DateField(label=_("文书日期"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("请选择")), *local_choices(BasisKind.choices)]

    def filled(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("kind", "document_number", "title", "issued_on"))

    def clean(self):
        data = super().clean()
        if self.filled() and not data.get("kind") and "kind" not in self.errors:
            self.add_error("kind", _("请选择依据类别。"))
        return data


BasisFormSet = forms.formset_factory(BasisForm, extra=5, max_num=5, validate_max=True)


def bases_of(formset) -> list[dict]:
    """The filled rows of a valid basis formset, as the service takes them."""
    return [
        {
            "kind": f.cleaned_data["kind"],
            "document_number": f.cleaned_data["document_number"],
            "title": f.cleaned_data["title"],
            "issued_on": f.cleaned_data["issued_on"],
        }
        for f in formset.forms
        if f.filled()
    ]


class ListingDecideForm(Form):
    decision = forms.ChoiceField(
        label=_("决定"),
        choices=[("list", _("列入名单")), ("reject", _("决定不予列入"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("决定说明（不予列入须说明理由）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ListingSuspendForm(Form):
    reason = forms.CharField(
        label=_("暂停理由（如异议受理情况）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ListingResumeForm(Form):
    note = forms.CharField(
        label=_("恢复说明（异议不成立的理由）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ListingExitForm(Form):
    reason = forms.ChoiceField(label=_("移出原因"))
    note = forms.CharField(
        label=_("移出说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = local_choices(Listing.ExitReason.choices)


class TaskFeedbackForm(Form):
    """The feedback on a measure task: one outcome and reason per measure. A blank outcome
    is sent as pending, so the service says which measure still needs one."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        outcomes = [
            ("", _("请选择")),
            *local_choices(
                (v, text)
                for v, text in MeasureTaskItem.Outcome.choices
                if v != MeasureTaskItem.Outcome.PENDING
            ),
        ]
        for item in self.items:
            self.fields[f"outcome_{item.measure_id}"] = forms.ChoiceField(
                label=_("实施情况"), choices=outcomes, required=False
            )
            self.fields[f"reason_{item.measure_id}"] = forms.CharField(
                label=_("理由（推荐性措施未实施的须说明）"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple]:
        return [
            (item, self[f"outcome_{item.measure_id}"], self[f"reason_{item.measure_id}"])
            for item in self.items
        ]

    def outcomes(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            item.measure_id: (
                data[f"outcome_{item.measure_id}"] or MeasureTaskItem.Outcome.PENDING,
                data[f"reason_{item.measure_id}"],
            )
            for item in self.items
        }


class RectificationOrderForm(Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    requirement = forms.CharField(
        label=_("整改要求"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateField(label=_("整改期限"), widget=DateInput())
    listing_id = forms.IntegerField(
        label=_("关联名单编号（可选）"), required=False, min_value=1, max_value=MAX_ID
    )


class NoteForm(Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


class InterviewHoldForm(Form):
    """The record of a held interview; a reminder interview also sets the new deadline."""

    held_on = forms.DateField(label=_("约谈日期"), required=False, widget=DateInput())
    attendees = forms.CharField(label=_("参加人员"), required=False, max_length=300)
    summary = forms.CharField(
        label=_("约谈记录"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_deadline = forms.DateField(
        label=_("新的整改期限（提示约谈）"), required=False, widget=DateInput()
    )


class AccessBanForm(Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    field = forms.ChoiceField(label=_("禁入领域"))
    starts = forms.DateField(label=_("起始日期"), widget=DateInput())
    ends = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=DateInput(),
        help_text=_("留空为终身禁入。"),
    )
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(
        label=_("依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    listing_id = forms.IntegerField(
        label=_("关联名单编号（可选）"), required=False, min_value=1, max_value=MAX_ID
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("请选择")), *local_choices(BanField.choices)]


class ReasonForm(Form):
    reason = forms.CharField(label=_("理由"), required=False, max_length=2000)


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        return _("%(name)s（%(code)s，%(kind)s）") % {
            "name": obj.display_name,
            "code": obj.code,
            "kind": _("强制性") if obj.mandatory else _("推荐性"),
        }


class MayReceiveForm(Form):
    """Ask whether an entity or a person may receive what a measure concerns (33/18). The
    ID number is never written back into the page."""

    measure = MeasureChoiceField(
        label=_("措施"), queryset=Measure.objects.none(), to_field_name="code"
    )
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40, required=False)
    id_number = forms.CharField(
        label=_("或：自然人身份证号码"),
        max_length=30,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    purpose = forms.CharField(label=_("查询用途"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures_published()
