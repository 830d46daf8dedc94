"""Workbench forms: they parse input only. Every rule (USCC check, catalogue severities, scope,
ownership) is enforced by the services; a refused call becomes a form error via
``add_domain_error``."""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from credit_portal.web import DateInput, Form, local_choices, local_label

from .models import (
    CatalogueItem,
    CreditRecord,
    Decision,
    MarketEntity,
    PublicityScope,
    Severity,
)


class RecordFilterForm(Form):
    q = forms.CharField(
        label=_("统一社会信用代码或标题"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class EntitySearchForm(Form):
    q = forms.CharField(
        label=_("名称或统一社会信用代码"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class EntityRegisterForm(Form):
    """Register a market entity (services.entity_register)."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("主体类型"))
    industry = forms.CharField(
        label=_("行业代码（GB/T 4754）"),
        max_length=5,
        required=False,
    )
    address = forms.CharField(label=_("住所"), max_length=300, required=False)
    established = forms.DateField(label=_("成立日期"), required=False, widget=DateInput())
    state_owned = forms.BooleanField(label=_("国有企业"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = local_choices(MarketEntity.Kind.choices)


def _scope_choices() -> list[tuple[str, str]]:
    return [("", _("按目录规定")), *local_choices(PublicityScope.choices)]


class RecordCreateForm(Form):
    """Record a credit record for the user's department (services.credit_record_create)."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    catalogue_item = forms.ModelChoiceField(
        label=_("目录项"),
        queryset=CatalogueItem.objects.none(),
        to_field_name="code",
    )
    severity = forms.ChoiceField(label=_("严重程度"), initial=Severity.NONE)
    title = forms.CharField(label=_("标题"), max_length=300)
    content = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    document_number = forms.CharField(label=_("文书号"), max_length=100, required=False)
    legal_basis = forms.CharField(
        label=_("依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    conduct_date = forms.DateField(label=_("行为日期"), required=False, widget=DateInput())
    decision_date = forms.DateField(label=_("决定日期"), required=False, widget=DateInput())
    scope = forms.ChoiceField(
        label=_("公开范围"),
        required=False,
        help_text=_("可比目录规定更窄，不能更宽。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only active items may be used (the service refuses the others as well).
        self.fields["catalogue_item"].queryset = CatalogueItem.objects.filter(active=True)
        self.fields["catalogue_item"].label_from_instance = _catalogue_label
        self.fields["severity"].choices = local_choices(Severity.choices)
        self.fields["scope"].choices = _scope_choices()


def _catalogue_label(item: CatalogueItem) -> str:
    english = (translation.get_language() or "").startswith("en")
    return f"{item.code} {item.name_en if english and item.name_en else item.name}"


class RecordRevokeForm(Form):
    reason = forms.CharField(label=_("撤销理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "revoke_%s")  # unique ids next to the correction form
        super().__init__(*args, **kwargs)


class RecordCorrectForm(Form):
    """A correction: changed fields plus the reason (services.credit_record_supersede)."""

    reason = forms.CharField(label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 3}))
    title = forms.CharField(label=_("标题"), max_length=300)
    severity = forms.ChoiceField(label=_("严重程度"))
    content = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    document_number = forms.CharField(label=_("文书号"), max_length=100, required=False)
    legal_basis = forms.CharField(
        label=_("依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    conduct_date = forms.DateField(label=_("行为日期"), required=False, widget=DateInput())
    decision_date = forms.DateField(label=_("决定日期"), required=False, widget=DateInput())
    scope = forms.ChoiceField(label=_("公开范围"), required=False)

    def __init__(self, *args, record: CreditRecord | None, **kwargs):
        # ``record`` is None for a record outside the user's department: the form only parses
        # and the service refuses the change.
        if record is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": record.title,
                    "severity": record.severity,
                    "content": record.content,
                    "document_number": record.document_number,
                    "legal_basis": record.legal_basis,
                    "conduct_date": record.conduct_date,
                    "decision_date": record.decision_date,
                    "scope": record.scope,
                },
            )
        kwargs.setdefault("auto_id", "correct_%s")  # unique ids next to the revocation form
        super().__init__(*args, **kwargs)
        # The catalogue item fixes the allowed tiers; the service checks them again.
        if record is None:
            allowed = Severity.values
        else:
            allowed = record.catalogue_item.severities or [Severity.NONE]
        self.fields["severity"].choices = [
            (value, local_label(label)) for value, label in Severity.choices if value in allowed
        ]
        self.fields["scope"].choices = _scope_choices()

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("reason")
        if not data.get("scope"):
            data["scope"] = None
        return data


# --- decisions (35/15) ---------------------------------------------------------------------------
class DecisionFilterForm(Form):
    q = forms.CharField(
        label=_("统一社会信用代码、文书号、标题或主体名称"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(label=_("状态"), required=False)
    kind = forms.ChoiceField(label=_("决定类别"), required=False)
    overdue = forms.BooleanField(label=_("只看逾期未公示"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部")), *local_choices(Decision.Status.choices)]
        self.fields["kind"].choices = [("", _("全部")), *local_choices(Decision.Kind.choices)]


class DecisionCreateForm(Form):
    """Record a decision for the user's department (services.decision_record)."""

    kind = forms.ChoiceField(label=_("决定类别"))
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    document_number = forms.CharField(label=_("决定文书号"), max_length=100)
    decision_date = forms.DateField(label=_("决定日期"), widget=DateInput())
    title = forms.CharField(label=_("标题"), max_length=300)
    content = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    legal_basis = forms.CharField(
        label=_("依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    severity = forms.ChoiceField(
        label=_("严重程度"),
        initial=Severity.NONE,
        help_text=_("须为该类决定在信用信息目录中规定的分级；公示期限按分级确定。"),
    )
    penalty_type = forms.ChoiceField(
        label=_("处罚种类"), required=False, help_text=_("仅行政处罚填写。")
    )
    penalty_amount = forms.DecimalField(
        label=_("罚没金额（元）"),
        required=False,
        max_digits=16,
        decimal_places=2,
        help_text=_("仅行政处罚填写。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = local_choices(Decision.Kind.choices)
        self.fields["severity"].choices = local_choices(Severity.choices)
        self.fields["penalty_type"].choices = [
            ("", "—"),
            *local_choices(Decision.PenaltyType.choices),
        ]


class DecisionFulfilmentForm(Form):
    """The entity did what the decision required (services.decision_fulfilment_record):
    restoration then needs no proof of it from the entity."""

    fulfilled_on = forms.DateField(
        label=_("履行完毕日期"), required=False, widget=DateInput(), help_text=_("默认今天。")
    )
    note = forms.CharField(
        label=_("履行说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "fulfil_%s")
        super().__init__(*args, **kwargs)


class DecisionWithdrawForm(Form):
    """A changed, revoked or annulled decision (services.decision_change)."""

    change = forms.ChoiceField(label=_("变更情况"))
    change_date = forms.DateField(
        label=_("变更日期"),
        required=False,
        widget=DateInput(),
        help_text=_("决定被变更、撤销或确认无效之日，默认今天；撤下时限自此起算。"),
    )
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "withdraw_%s")
        super().__init__(*args, **kwargs)
        self.fields["change"].choices = local_choices(Decision.Change.choices)
