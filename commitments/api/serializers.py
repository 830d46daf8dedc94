"""Serializers of the commitments API: input shape only; the services check the rules."""

from __future__ import annotations

from rest_framework import serializers

from registry.fields import UsccField

from ..models import (
    Commitment,
    CommitmentKind,
    CommitmentTemplate,
    EducationAttendance,
    EducationSession,
    LicensingItem,
    MissingMaterial,
    VoluntaryDisclosure,
)


class TemplateSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", default="", read_only=True)

    class Meta:
        model = CommitmentTemplate
        fields = ["id", "kind", "item", "version", "title", "text", "published_at"]
        read_only_fields = fields


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = MissingMaterial
        fields = ["id", "name", "deadline", "supplied_at"]
        read_only_fields = fields


class CommitmentSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="entity_id", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    item = serializers.CharField(source="item.code", default="", read_only=True)
    template_version = serializers.IntegerField(source="template.version", read_only=True)
    materials = MaterialSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "number",
            "kind",
            "uscc",
            "department",
            "item",
            "template",
            "template_version",
            "status",
            "public",
            "made_at",
            "fulfilment",
            "fulfilment_recorded_at",
            "breached_at",
            "materials",
        ]
        read_only_fields = fields


class MaterialInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    deadline = serializers.DateField(help_text="after today, at most 90 days on (configurable)")


class CommitmentCreateInputSerializer(serializers.Serializer):
    uscc = UsccField()
    kind = serializers.ChoiceField(choices=CommitmentKind.choices)
    template = serializers.IntegerField(help_text="id of the current published template")
    item = serializers.CharField(required=False, allow_blank=True, default="")
    department = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="entity users: the department"
    )
    materials = MaterialInputSerializer(many=True, required=False, default=list)


class FulfilmentInputSerializer(serializers.Serializer):
    fulfilment = serializers.ChoiceField(choices=Commitment.Fulfilment.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SupplyInputSerializer(serializers.Serializer):
    material = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="id of one of its materials"
    )


class LicensingItemSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", read_only=True)

    class Meta:
        model = LicensingItem
        fields = [
            "code",
            "name",
            "name_en",
            "department",
            "commitment_applies",
            "missing_materials_allowed",
        ]
        read_only_fields = fields


class DisclosureSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="entity_id", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)

    class Meta:
        model = VoluntaryDisclosure
        fields = [
            "id",
            "uscc",
            "department",
            "kind",
            "title",
            "content",
            "status",
            "reason",
            "submitted_at",
            "decided_at",
        ]
        read_only_fields = fields


class DisclosureSubmitInputSerializer(serializers.Serializer):
    uscc = UsccField()
    department = serializers.CharField()
    kind = serializers.ChoiceField(choices=VoluntaryDisclosure.Kind.choices)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField()
    authenticity_committed = serializers.BooleanField(
        help_text="the entity vouches that it is true (required: true)"
    )
    sharing_consented = serializers.BooleanField(
        help_text="the entity consents to its sharing (required: true)"
    )


class DisclosureDecideInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[("verified", "verified"), ("rejected", "rejected"), ("revoked", "revoked")]
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class EducationSessionSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", read_only=True)
    fee = serializers.SerializerMethodField(help_text="always 0: integrity education is free")

    class Meta:
        model = EducationSession
        fields = ["id", "title", "department", "mode", "starts_at", "place", "fee"]
        read_only_fields = fields

    def get_fee(self, obj) -> int:
        return 0


class EducationSessionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    mode = serializers.ChoiceField(choices=EducationSession.Mode.choices)
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AttendanceSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="entity_id", read_only=True)

    class Meta:
        model = EducationAttendance
        fields = ["id", "session", "uscc", "attendee", "recorded_at"]
        read_only_fields = fields


class AttendanceInputSerializer(serializers.Serializer):
    uscc = UsccField()
    attendee = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
