"""Serializers of the objections API: a case never carries its filer or its reporter."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Objection, Outcome, TipOff


class ObjectionSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="entity_id", read_only=True)
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    department = serializers.CharField(
        source="department.code", read_only=True, allow_null=True, default=None
    )
    escalated = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = [
            "id",
            "tracking_number",
            "uscc",
            "entity_name",
            "target_kind",
            "target_id",
            "target_label",
            "department",
            "status",
            "grounds",
            "filed_at",
            "mark_due",
            "marked_at",
            "forward_due",
            "decide_due",
            "proposed_outcome",
            "proposal",
            "proposed_at",
            "outcome",
            "reasons",
            "decided_at",
            "escalated",
        ]
        read_only_fields = fields

    def get_escalated(self, objection: Objection) -> list[str]:
        return [e.clock for e in objection.escalations.all()]


class ObjectionProposeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reasons = serializers.CharField(max_length=5000)
    correction = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text='e.g. {"action": "correction", "content": "..."}; "action": "revocation"',
    )


class ObjectionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class TipOffSerializer(serializers.ModelSerializer):
    """A tip-off without its reporter (33/13: the API never carries it)."""

    uscc = serializers.CharField(source="entity_id", read_only=True)
    department = serializers.CharField(
        source="department.code", read_only=True, allow_null=True, default=None
    )
    handler = serializers.CharField(
        source="handler.get_username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = TipOff
        fields = [
            "id",
            "tracking_number",
            "uscc",
            "department",
            "status",
            "conduct",
            "conduct_date",
            "anonymous",
            "filed_at",
            "due",
            "handler",
            "outcome",
            "reply",
            "closed_at",
        ]
        read_only_fields = fields


class TipOffCloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=TipOff.Outcome.choices)
    reply = serializers.CharField(max_length=5000)
    record_title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    record_content = serializers.CharField(required=False, allow_blank=True)


class ObjectionStatisticsRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    filed = serializers.IntegerField()
    decided = serializers.IntegerField()
    upheld = serializers.IntegerField()
    open = serializers.IntegerField()
    upheld_rate = serializers.FloatField(allow_null=True, help_text="percent of decided")
    mean_days = serializers.FloatField(allow_null=True, help_text="filing to decision")


class ObjectionStatisticsSerializer(serializers.Serializer):
    objections_by_department = ObjectionStatisticsRowSerializer(many=True)
    objections_by_kind = ObjectionStatisticsRowSerializer(many=True)
    tipoffs_by_department = ObjectionStatisticsRowSerializer(many=True)
