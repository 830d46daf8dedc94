"""Shapes of the restoration API. Read-only except the handling actions' inputs."""

from __future__ import annotations

from rest_framework import serializers

from ..models import RestorationApplication, RestorationItem


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = RestorationItem
        fields = ["kind", "record", "listing", "label", "found_proof", "restored_at"]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    entity = serializers.CharField(source="entity_id", read_only=True)
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    commitment = serializers.CharField(source="commitment.number", read_only=True)
    items = ItemSerializer(many=True, read_only=True)
    escalations = serializers.SlugRelatedField(many=True, read_only=True, slug_field="clock")

    class Meta:
        model = RestorationApplication
        fields = [
            "id",
            "number",
            "entity",
            "entity_name",
            "department",
            "status",
            "commitment",
            "correction",
            "items",
            "submitted_at",
            "accept_due",
            "accepted_at",
            "decide_due",
            "proposed_outcome",
            "proposed_reasons",
            "reasons",
            "decided_at",
            "effect_due",
            "effective_at",
            "republished_at",
            "escalations",
        ]
        read_only_fields = fields


class ReasonsSerializer(serializers.Serializer):
    reasons = serializers.CharField(max_length=5000)


class ProposeSerializer(ReasonsSerializer):
    outcome = serializers.ChoiceField(choices=RestorationApplication.Outcome.choices)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class StatisticsRowSerializer(serializers.Serializer):
    department = serializers.CharField(source="label")
    applications = serializers.IntegerField()
    decided = serializers.IntegerField()
    approved = serializers.IntegerField()
    open = serializers.IntegerField()
    approval_rate = serializers.FloatField(allow_null=True)
    median_days = serializers.FloatField(allow_null=True)
