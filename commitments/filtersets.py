"""Filters of the commitments API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from registry.fields import uscc_param

from .models import (
    Commitment,
    CommitmentKind,
    CommitmentTemplate,
    EducationSession,
    LicensingItem,
    VoluntaryDisclosure,
)


class CommitmentFilterSet(django_filters.FilterSet):
    uscc = django_filters.CharFilter(method="filter_uscc", label=_("统一社会信用代码 / USCC"))
    kind = django_filters.ChoiceFilter(choices=CommitmentKind.choices)
    status = django_filters.ChoiceFilter(choices=Commitment.Status.choices)
    department = django_filters.CharFilter(
        field_name="department__code", label=_("受理部门代码 / department code")
    )
    made = django_filters.DateFromToRangeFilter(field_name="made_at")

    class Meta:
        model = Commitment
        fields = ["uscc", "kind", "status", "department", "made"]

    def filter_uscc(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(entity_id=uscc_param(value))


class DisclosureFilterSet(django_filters.FilterSet):
    uscc = django_filters.CharFilter(method="filter_uscc", label=_("统一社会信用代码 / USCC"))
    kind = django_filters.ChoiceFilter(choices=VoluntaryDisclosure.Kind.choices)
    status = django_filters.ChoiceFilter(choices=VoluntaryDisclosure.Status.choices)
    department = django_filters.CharFilter(
        field_name="department__code", label=_("核实部门代码 / department code")
    )
    submitted = django_filters.DateFromToRangeFilter(field_name="submitted_at")

    class Meta:
        model = VoluntaryDisclosure
        fields = ["uscc", "kind", "status", "department", "submitted"]

    def filter_uscc(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(entity_id=uscc_param(value))


class TemplateFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=CommitmentKind.choices)
    item = django_filters.CharFilter(field_name="item__code", label=_("事项编码 / item code"))

    class Meta:
        model = CommitmentTemplate
        fields = ["kind", "item"]


class LicensingItemFilterSet(django_filters.FilterSet):
    department = django_filters.CharFilter(
        field_name="department__code", label=_("实施部门代码 / department code")
    )
    commitment_applies = django_filters.BooleanFilter()
    missing_materials_allowed = django_filters.BooleanFilter()
    q = django_filters.CharFilter(method="filter_q", label=_("编码或名称 / code or name"))

    class Meta:
        model = LicensingItem
        fields = ["department", "commitment_applies", "missing_materials_allowed", "q"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class EducationSessionFilterSet(django_filters.FilterSet):
    department = django_filters.CharFilter(
        field_name="department__code", label=_("举办部门代码 / department code")
    )
    mode = django_filters.ChoiceFilter(choices=EducationSession.Mode.choices)
    starts = django_filters.DateFromToRangeFilter(field_name="starts_at")

    class Meta:
        model = EducationSession
        fields = ["department", "mode", "starts"]
