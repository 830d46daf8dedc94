"""Filters of the commitments API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from registry.filtersets import _uscc_param

from .models import Commitment, CommitmentKind


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
        return queryset.filter(entity_id=_uscc_param(value))
