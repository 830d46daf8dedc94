"""API v1 serializers: input serializers check shape only (the services check the rules),
output serializers render what a selector returned."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry import selectors
from registry import uscc as uscc_codes
from registry.fields import UsccField
from registry.models import (
    CatalogueItem,
    CreditRecord,
    Decision,
    Department,
    MarketEntity,
    PublicityScope,
    PublicityWindow,
    Severity,
)


# --- reference data -------------------------------------------------------------------------
class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name", "name_en", "region", "registers_entities"]
        read_only_fields = fields


class CatalogueItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogueItem
        fields = [
            "code",
            "name",
            "name_en",
            "kind",
            "polarity",
            "severities",
            "publicity_scope",
            "publicity_period_rule",
            "legal_basis",
        ]
        read_only_fields = fields


# --- market entities --------------------------------------------------------------------------
class EntitySerializer(serializers.ModelSerializer):
    """Public registration facts only: no address, no people (those are on the detail, masked)."""

    region_name = serializers.SerializerMethodField()
    province_name = serializers.SerializerMethodField()
    registration_authority = serializers.CharField(
        source="registration_authority.name", read_only=True
    )

    class Meta:
        model = MarketEntity
        fields = [
            "uscc",
            "name",
            "former_names",
            "kind",
            "region",
            "region_name",
            "province_name",
            "industry",
            "status",
            "established",
            "deregistered",
            "registration_authority",
        ]
        read_only_fields = fields

    def get_region_name(self, entity: MarketEntity) -> str:
        return uscc_codes.region(entity.region).name

    def get_province_name(self, entity: MarketEntity) -> str:
        return uscc_codes.region(entity.region).province


class PublicRoleSerializer(serializers.Serializer):
    """A current role with the person's name and MASKED ID number (never the number)."""

    kind = serializers.CharField()
    kind_display = serializers.CharField()
    name = serializers.CharField()
    id_number_masked = serializers.CharField()
    since = serializers.DateField(allow_null=True)


class EntityDetailSerializer(EntitySerializer):
    roles = serializers.SerializerMethodField()

    class Meta(EntitySerializer.Meta):
        fields = [*EntitySerializer.Meta.fields, "roles"]
        read_only_fields = fields

    @extend_schema_field(PublicRoleSerializer(many=True))
    def get_roles(self, entity: MarketEntity) -> list[dict]:
        return PublicRoleSerializer(selectors.entity_roles_public(entity), many=True).data


class EntityRegisterInputSerializer(serializers.Serializer):
    uscc = UsccField()
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=MarketEntity.Kind.choices)
    industry = serializers.CharField(max_length=5, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    established = serializers.DateField(required=False, allow_null=True, default=None)
    state_owned = serializers.BooleanField(required=False, default=False)


class EntityUpdateInputSerializer(serializers.Serializer):
    """Only the fields sent are changed; a new name keeps the old one as a former name."""

    name = serializers.CharField(max_length=200, required=False)
    status = serializers.ChoiceField(choices=MarketEntity.Status.choices, required=False)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    industry = serializers.CharField(max_length=5, required=False, allow_blank=True)
    deregistered = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


# --- credit records ---------------------------------------------------------------------------
class RecordSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="entity_id", read_only=True)
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    catalogue_item = serializers.CharField(source="catalogue_item.code", read_only=True)
    catalogue_item_name = serializers.CharField(source="catalogue_item.name", read_only=True)
    catalogue_kind = serializers.CharField(source="catalogue_item.kind", read_only=True)
    source_department = serializers.CharField(source="source_department.code", read_only=True)
    source_department_name = serializers.CharField(source="source_department.name", read_only=True)
    supersedes = serializers.IntegerField(source="supersedes_id", read_only=True, allow_null=True)

    class Meta:
        model = CreditRecord
        fields = [
            "id",
            "uscc",
            "entity_name",
            "catalogue_item",
            "catalogue_item_name",
            "catalogue_kind",
            "source_department",
            "source_department_name",
            "action",
            "supersedes",
            "scope",
            "severity",
            "title",
            "content",
            "document_number",
            "legal_basis",
            "conduct_date",
            "decision_date",
            "published_at",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


class _RecordFieldsInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    severity = serializers.ChoiceField(
        choices=Severity.choices,
        default=Severity.NONE,
        help_text="must be one of the catalogue item's tiers",
    )
    content = serializers.CharField(required=False, allow_blank=True, default="")
    document_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    conduct_date = serializers.DateField(required=False, allow_null=True, default=None)
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    scope = serializers.ChoiceField(
        choices=PublicityScope.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text="defaults to the catalogue item's scope; may narrow it, never widen it",
    )


class RecordCreateInputSerializer(_RecordFieldsInput):
    uscc = UsccField()
    catalogue_item = serializers.CharField(max_length=20, help_text="catalogue item code")


class RecordCorrectInputSerializer(serializers.Serializer):
    """A correction: the reason, and only the fields that change."""

    reason = serializers.CharField()
    title = serializers.CharField(max_length=300, required=False)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    content = serializers.CharField(required=False, allow_blank=True)
    document_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    legal_basis = serializers.CharField(required=False, allow_blank=True)
    conduct_date = serializers.DateField(required=False)
    decision_date = serializers.DateField(required=False)
    scope = serializers.ChoiceField(choices=PublicityScope.choices, required=False)


class RecordRevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


# --- decisions (35/15: published within 7 working days) -------------------------------------
class PublicityWindowSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublicityWindow
        fields = ["shown_from", "shown_until", "restoration_from", "stopped_at", "stop_reason"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    """A decision and its publicity clock; render querysets that select_related department,
    entity and record__window (``selectors.decisions_visible`` plus the window)."""

    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    uscc = serializers.CharField(source="entity_id", read_only=True)
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    on_time = serializers.SerializerMethodField(
        help_text="published on or before publicity_due; null while unpublished"
    )
    withdrawn_on_time = serializers.SerializerMethodField(
        help_text="withdrawn on or before withdrawal_due; null unless withdrawn"
    )
    window = serializers.SerializerMethodField(
        help_text="the publicity window of the published record (null when not shown publicly)"
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "kind",
            "department",
            "department_name",
            "uscc",
            "entity_name",
            "document_number",
            "decision_date",
            "publicity_due",
            "publicity_due_provisional",
            "published_at",
            "on_time",
            "status",
            "title",
            "content",
            "legal_basis",
            "severity",
            "penalty_type",
            "penalty_amount",
            "change",
            "change_date",
            "withdrawal_due",
            "withdrawn_at",
            "withdrawn_on_time",
            "window",
        ]
        read_only_fields = fields

    def get_on_time(self, decision: Decision) -> bool | None:
        if decision.published_at is None:
            return None
        return timezone.localtime(decision.published_at).date() <= decision.publicity_due

    def get_withdrawn_on_time(self, decision: Decision) -> bool | None:
        if decision.withdrawn_at is None or decision.withdrawal_due is None:
            return None
        return timezone.localtime(decision.withdrawn_at).date() <= decision.withdrawal_due

    @extend_schema_field(PublicityWindowSerializer(allow_null=True))
    def get_window(self, decision: Decision) -> dict | None:
        # Only a published, public record has a window; no query when there is no record.
        if decision.record_id is None:
            return None
        window = getattr(decision.record, "window", None)
        return PublicityWindowSerializer(window).data if window is not None else None


class DecisionCreateInputSerializer(serializers.Serializer):
    """Shape only: the service checks the kind, the severity tiers of the kind's catalogue
    item, the date, penalty fields and duplicates (codes invalid_kind, invalid_severity,
    date_in_future, decision_exists)."""

    uscc = UsccField()
    # A plain string so that an unknown kind gets the service's own code (invalid_kind).
    kind = serializers.CharField(
        max_length=16, help_text="one of: " + ", ".join(Decision.Kind.values)
    )
    document_number = serializers.CharField(max_length=100)
    decision_date = serializers.DateField(help_text="not in the future")
    title = serializers.CharField(max_length=300)
    content = serializers.CharField(required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    severity = serializers.ChoiceField(
        choices=Severity.choices,
        default=Severity.NONE,
        help_text="must be one of the tiers of the kind's catalogue item",
    )
    penalty_type = serializers.ChoiceField(
        choices=Decision.PenaltyType.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="penalties only (required for them)",
    )
    penalty_amount = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="yuan; penalties only",
    )


class DecisionWithdrawInputSerializer(serializers.Serializer):
    change = serializers.ChoiceField(choices=Decision.Change.choices)
    reason = serializers.CharField()
    change_date = serializers.DateField(
        required=False,
        default=None,
        help_text="the day the decision was changed, revoked or annulled (default today); "
        "withdrawal is due 3 working days (configurable) after it",
    )
