"""Public statistics API serializers: the input serializer checks shape, the output ones render
what ``disclosure.selectors.timeliness`` returned (figures only, never a decision)."""

from __future__ import annotations

from rest_framework import serializers

from registry.models import Decision


class TimelinessQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=2019,
        help_text="year of decision (default: this year); from 2019 (2019 No. 35) on",
    )
    department = serializers.CharField(
        required=False, max_length=40, help_text="department code (default: all departments)"
    )


class TimelinessRowSerializer(serializers.Serializer):
    department = serializers.CharField(
        source="department_code", help_text="department code; empty in the grand total"
    )
    department_name = serializers.CharField()
    department_name_en = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=Decision.Kind.choices,
        allow_blank=True,
        help_text="decision kind; empty in a department's total and the grand total",
    )
    due = serializers.IntegerField(help_text="decisions counted: published, or past due")
    on_time = serializers.IntegerField(help_text="published on or before publicity_due")
    late = serializers.IntegerField(help_text="published after publicity_due")
    overdue = serializers.IntegerField(help_text="unpublished, publicity_due has passed")
    on_time_share = serializers.FloatField(
        allow_null=True, help_text="on_time / due; null when nothing is due"
    )
    median_delay_days = serializers.FloatField(
        allow_null=True,
        help_text="median calendar days from decision date to publication (to as_of for "
        "overdue decisions); null when nothing is due",
    )


class TimelinessReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    department = serializers.CharField(
        source="department_code", help_text="the department filter; empty for all"
    )
    as_of = serializers.DateField(help_text="the day the figures were computed for")
    total = TimelinessRowSerializer(allow_null=True)
    departments = TimelinessRowSerializer(many=True, help_text="each department's total")
    rows = TimelinessRowSerializer(many=True, help_text="each department and kind")
