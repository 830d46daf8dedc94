"""Query-string filters of the discipline API. They narrow what a selector already limited to
the caller's view; they never widen it."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import uscc as uscc_codes
from registry.fields import uscc_param
from registry.roles import viewer_for

from .models import (
    AccessBan,
    BanField,
    Interview,
    LiabilityWarning,
    Listing,
    ListKind,
    ListRule,
    Measure,
    MeasureTask,
    Rectification,
)


class _ByUscc(django_filters.FilterSet):
    uscc = django_filters.CharFilter(method="filter_uscc", label=_("统一社会信用代码 / USCC"))
    uscc_field = "entity_id"

    def filter_uscc(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{self.uscc_field: uscc_param(value)})


class _CurrentByDefault(django_filters.FilterSet):
    """Published versions: the current ones unless ``current=false`` asks for every version
    (listings and tasks keep the version they were made under, so old ones stay readable)."""

    current = django_filters.BooleanFilter(
        method="filter_current",
        label=_("仅现行版本（默认是；否：全部已发布版本）/ current versions only (default true)"),
    )

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data.setdefault("current", "true")
        super().__init__(data, *args, **kwargs)

    def filter_current(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.filter(retired_at=None) if value else queryset


class ListRuleFilterSet(_CurrentByDefault):
    kind = django_filters.ChoiceFilter(choices=ListKind.choices)
    code = django_filters.CharFilter(max_length=40)

    class Meta:
        model = ListRule
        fields = ["kind", "code", "current"]


class MeasureFilterSet(_CurrentByDefault):
    list_kind = django_filters.ChoiceFilter(
        choices=ListKind.choices,
        method="filter_list_kind",
        label=_("适用名单 / list kind it applies to"),
    )
    category = django_filters.ChoiceFilter(choices=Measure.Category.choices)
    effect = django_filters.ChoiceFilter(choices=Measure.Effect.choices)
    mandatory = django_filters.BooleanFilter()
    department = django_filters.CharFilter(
        field_name="department__code", label=_("实施部门代码 / implementing department code")
    )
    code = django_filters.CharFilter(max_length=40)

    class Meta:
        model = Measure
        fields = ["list_kind", "category", "effect", "mandatory", "department", "code", "current"]

    def filter_list_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(list_kinds__contains=[value])


class ListingFilterSet(_ByUscc):
    kind = django_filters.ChoiceFilter(choices=ListKind.choices)
    status = django_filters.ChoiceFilter(choices=Listing.Status.choices)
    department = django_filters.CharFilter(
        field_name="department__code", label=_("认定部门代码 / recognising department code")
    )
    rule = django_filters.CharFilter(field_name="rule__code", label=_("规则编码 / rule code"))
    q = django_filters.CharFilter(
        method="filter_q", max_length=100, label=_("名称或统一社会信用代码 / name or USCC")
    )
    listed_from = django_filters.DateFromToRangeFilter(field_name="listed_from")

    class Meta:
        model = Listing
        fields = ["uscc", "kind", "status", "department", "rule", "q", "listed_from"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(entity__uscc=uscc_codes.normalise(value)) | Q(entity__name__icontains=value)
        )


class MeasureTaskFilterSet(_ByUscc):
    uscc_field = "listing__entity_id"
    side = django_filters.ChoiceFilter(
        choices=[
            ("implementing", _("本部门实施 / implemented by my department")),
            ("initiating", _("本部门发起 / set by my department's listings")),
        ],
        method="filter_side",
        label=_("任务方 / side"),
    )
    status = django_filters.ChoiceFilter(choices=MeasureTask.Status.choices)
    listing = django_filters.NumberFilter(field_name="listing_id", min_value=1)
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("逾期未反馈 / open past the feedback date")
    )

    class Meta:
        model = MeasureTask
        fields = ["side", "uscc", "status", "listing", "overdue"]

    def filter_side(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        department = viewer_for(self.request.user).department
        if value == "implementing":
            return queryset.filter(department=department)
        return queryset.filter(listing__department=department)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        late = Q(status=MeasureTask.Status.OPEN, feedback_due__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class RectificationFilterSet(_ByUscc):
    status = django_filters.ChoiceFilter(choices=Rectification.Status.choices)
    deadline = django_filters.DateFromToRangeFilter(field_name="deadline")
    listing = django_filters.NumberFilter(field_name="listing_id", min_value=1)

    class Meta:
        model = Rectification
        fields = ["uscc", "status", "deadline", "listing"]


class InterviewFilterSet(_ByUscc):
    uscc_field = "rectification__entity_id"
    kind = django_filters.ChoiceFilter(choices=Interview.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Interview.Status.choices)

    class Meta:
        model = Interview
        fields = ["uscc", "kind", "status"]


class AccessBanFilterSet(_ByUscc):
    field = django_filters.ChoiceFilter(choices=BanField.choices)
    department = django_filters.CharFilter(
        field_name="department__code", label=_("决定部门代码 / deciding department code")
    )
    lifelong = django_filters.BooleanFilter(
        field_name="ends", lookup_expr="isnull", label=_("终身禁入 / lifelong")
    )

    class Meta:
        model = AccessBan
        fields = ["uscc", "field", "department", "lifelong"]


class LiabilityWarningFilterSet(_ByUscc):
    resolved = django_filters.BooleanFilter(
        field_name="resolved_at", lookup_expr="isnull", exclude=True, label=_("已处理 / resolved")
    )

    class Meta:
        model = LiabilityWarning
        fields = ["uscc", "resolved"]
