"""Serializers of the ratings API (output shapes; the selectors apply the rules)."""

from __future__ import annotations

from rest_framework import serializers

from ..models import (
    EvaluationModel,
    Indicator,
    Rating,
    RatingRun,
    SpotCheck,
    SpotCheckPlan,
    SupervisionTier,
)


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "position",
            "code",
            "name",
            "source",
            "catalogue_kinds",
            "polarity",
            "severities",
            "max_age_days",
            "flag",
            "weight",
            "max_effect",
        ]
        read_only_fields = fields


class EvaluationModelSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = EvaluationModel
        fields = [
            "id",
            "code",
            "version",
            "name",
            "industry",
            "base_score",
            "cap",
            "band_a",
            "band_b",
            "band_c",
            "published_at",
            "indicators",
        ]
        read_only_fields = fields


class TierSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupervisionTier
        fields = ["grade", "name", "ratio"]
        read_only_fields = fields


class ExplanationLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=9, decimal_places=2)


class RatingSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    run = serializers.IntegerField()
    rated_at = serializers.DateTimeField(help_text="the data point of the run")
    grade = serializers.CharField()
    score = serializers.DecimalField(
        max_digits=7, decimal_places=2, required=False, help_text="regulators and the entity"
    )
    model = serializers.IntegerField(required=False)
    model_version = serializers.IntegerField(required=False)
    explanation = ExplanationLineSerializer(many=True, required=False)


class RatingRunSerializer(serializers.ModelSerializer):
    percent = serializers.SerializerMethodField()
    eta_seconds = serializers.SerializerMethodField()

    class Meta:
        model = RatingRun
        fields = [
            "id",
            "kind",
            "status",
            "as_at",
            "chunks_total",
            "chunks_done",
            "rated",
            "grades_changed",
            "created_at",
            "finished_at",
            "percent",
            "eta_seconds",
        ]
        read_only_fields = fields

    def _progress(self, run):
        from .. import selectors

        return selectors.run_progress(run)

    def get_percent(self, run) -> int:
        return self._progress(run).percent

    def get_eta_seconds(self, run) -> int | None:
        eta = self._progress(run).eta
        return int(eta.total_seconds()) if eta is not None else None


class GradeChangeSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="entity_id")

    class Meta:
        model = Rating
        fields = ["uscc", "previous_grade", "grade", "score", "run"]
        read_only_fields = fields


class SpotCheckPlanSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", read_only=True)
    inspectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    targets = serializers.IntegerField(source="checks.count", read_only=True)

    class Meta:
        model = SpotCheckPlan
        fields = [
            "id", "department", "title", "items", "period_start", "period_end",
            "region_prefix", "industry_prefix", "inspectors", "per_check", "conflict_days",
            "status", "seed", "drawn_at", "targets",
        ]  # fmt: skip
        read_only_fields = fields


class SpotCheckPlanInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    items = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    inspectors = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), allow_empty=False
    )
    region_prefix = serializers.CharField(required=False, allow_blank=True, default="")
    industry_prefix = serializers.CharField(required=False, allow_blank=True, default="")
    per_check = serializers.IntegerField(required=False, default=2, min_value=1, max_value=5)
    conflict_days = serializers.IntegerField(
        required=False, default=365, min_value=0, max_value=3650
    )


class SpotCheckSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="entity_id", read_only=True)
    inspectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = SpotCheck
        fields = ["id", "plan", "uscc", "tier", "inspectors", "result", "note", "recorded_at",
                  "decision"]  # fmt: skip
        read_only_fields = fields


class SpotCheckResultInputSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=SpotCheck.Result.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
