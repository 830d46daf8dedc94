"""Forms of the spot-check pages (parsing only; the services check the rules)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from credit_portal.web import DateInput, Form, local_choices

from .models import SpotCheck


class InspectorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        department = obj.membership.department.name if hasattr(obj, "membership") else ""
        return f"{obj.get_full_name() or obj.username}（{department}）"


class PlanForm(Form):
    title = forms.CharField(label=_("计划名称"), max_length=200)
    items = forms.CharField(label=_("检查事项"), widget=forms.Textarea(attrs={"rows": 3}))
    period_start = forms.DateField(label=_("开始日期"), widget=DateInput())
    period_end = forms.DateField(label=_("结束日期"), widget=DateInput())
    region_prefix = forms.CharField(label=_("区划代码前缀（可空）"), max_length=6, required=False)
    industry_prefix = forms.CharField(label=_("行业代码前缀（可空）"), max_length=5, required=False)
    per_check = forms.IntegerField(label=_("每户检查人员数"), min_value=1, max_value=5, initial=2)
    inspectors = InspectorChoiceField(
        label=_("检查人员库"),
        queryset=get_user_model()
        .objects.filter(membership__isnull=False, is_active=True)
        .select_related("membership__department")
        .order_by("membership__department__code", "username"),
        widget=forms.CheckboxSelectMultiple,
    )


class ResultForm(Form):
    result = forms.ChoiceField(label=_("检查结果"))
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = local_choices(SpotCheck.Result.choices)
