from django.contrib import admin

from .models import AccessLog, AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit trail is append-only: the admin shows it and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "action",
        "actor_repr",
        "department_code",
        "source",
        "target_type",
        "target_id",
    )
    list_filter = ("source", "action")
    search_fields = ("target_id", "actor_repr", "request_id", "department_code")


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_repr", "department_code", "uscc", "what", "purpose")
    search_fields = ("uscc", "actor_repr")
