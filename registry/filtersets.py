"""Query-string filters for registry lists (API and, where useful, the workbench).

Filters narrow a queryset that a selector has already limited to what the caller may see; they
never widen it. Name search goes through ``selectors.entity_search`` inside
``selectors.public_query`` (ranked, suffix-stripped, under a statement timeout).
"""

from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from . import selectors
from .fields import uscc_param
from .models import CatalogueItem, CreditRecord, Decision, MarketEntity, Severity

_REGION = RegexValidator(r"^\d{6}$", _("行政区划码为6位数字。/ A region code has 6 digits."))
_PROVINCE = RegexValidator(r"^\d{2}$", _("省级代码为2位数字。/ A province code has 2 digits."))
_INDUSTRY = RegexValidator(
    r"^[A-Ta-t]?\d{0,4}$",
    _(
        "行业代码为门类字母或GB/T 4754数字代码。/ An industry code is a GB/T 4754 section letter "
        "or digits."
    ),
)


class EntityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=100,
        label=_("名称或统一社会信用代码 / name or USCC"),
    )
    region = django_filters.CharFilter(
        field_name="region", validators=[_REGION], label=_("行政区划 / region (6 digits)")
    )
    province = django_filters.CharFilter(
        field_name="region",
        lookup_expr="startswith",
        validators=[_PROVINCE],
        label=_("省级代码 / province (2 digits)"),
    )
    kind = django_filters.ChoiceFilter(choices=MarketEntity.Kind.choices)
    status = django_filters.ChoiceFilter(choices=MarketEntity.Status.choices)
    industry = django_filters.CharFilter(
        method="filter_industry",
        validators=[_INDUSTRY],
        label=_("行业代码前缀 / industry code prefix"),
    )

    class Meta:
        model = MarketEntity
        fields = ["q", "region", "province", "kind", "status", "industry"]

    def filter_industry(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(industry__startswith=value.upper())

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The ranked search is sliced, so it cannot be filtered further: run it under the
        # public statement timeout, then keep its order on the filtered queryset.
        ranked = selectors.public_query(
            lambda: list(selectors.entity_search(value).values_list("uscc", flat=True))
        )
        if not ranked:
            return queryset.none()
        order = Case(
            *[When(uscc=code, then=Value(i)) for i, code in enumerate(ranked)],
            output_field=IntegerField(),
        )
        return queryset.filter(uscc__in=ranked).order_by(order)


class RecordFilterSet(django_filters.FilterSet):
    uscc = django_filters.CharFilter(method="filter_uscc", label=_("统一社会信用代码 / USCC"))
    catalogue_item = django_filters.CharFilter(
        field_name="catalogue_item__code", label=_("目录编码 / catalogue item code")
    )
    kind = django_filters.ChoiceFilter(
        field_name="catalogue_item__kind",
        choices=CatalogueItem.Kind.choices,
        label=_("目录类别 / catalogue kind"),
    )
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    source_department = django_filters.CharFilter(
        field_name="source_department__code", label=_("来源部门代码 / source department code")
    )
    conduct_date = django_filters.DateFromToRangeFilter()
    decision_date = django_filters.DateFromToRangeFilter()
    recorded = django_filters.DateFromToRangeFilter(field_name="created_at")

    class Meta:
        model = CreditRecord
        fields = [
            "uscc",
            "catalogue_item",
            "kind",
            "severity",
            "source_department",
            "conduct_date",
            "decision_date",
            "recorded",
        ]

    def filter_uscc(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(entity_id=uscc_param(value))


class DecisionFilterSet(django_filters.FilterSet):
    uscc = django_filters.CharFilter(method="filter_uscc", label=_("统一社会信用代码 / USCC"))
    kind = django_filters.ChoiceFilter(choices=Decision.Kind.choices)
    department = django_filters.CharFilter(
        field_name="department__code", label=_("决定部门代码 / deciding department code")
    )
    status = django_filters.ChoiceFilter(choices=Decision.Status.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    decision_date = django_filters.DateFromToRangeFilter()
    published = django_filters.DateFromToRangeFilter(field_name="published_at")
    region = django_filters.CharFilter(
        field_name="entity__region",
        validators=[_REGION],
        label=_("市场主体行政区划 / entity region (6 digits)"),
    )
    province = django_filters.CharFilter(
        field_name="entity__region",
        lookup_expr="startswith",
        validators=[_PROVINCE],
        label=_("市场主体省级代码 / entity province (2 digits)"),
    )

    class Meta:
        model = Decision
        fields = [
            "uscc",
            "kind",
            "department",
            "status",
            "severity",
            "decision_date",
            "published",
            "region",
            "province",
        ]

    def filter_uscc(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(entity_id=uscc_param(value))
