from django.contrib import admin

from .models import CalendarGap, CalendarYear, OfficialDay


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "published", "source", "notice", "updated_at")
    list_filter = ("published", "source")


@admin.register(OfficialDay)
class OfficialDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "name", "source")
    list_filter = ("is_working_day", "source")
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(CalendarGap)
class CalendarGapAdmin(admin.ModelAdmin):
    list_display = ("year", "occurrences", "first_seen", "last_seen")
    readonly_fields = ("year", "occurrences", "first_seen", "last_seen")
