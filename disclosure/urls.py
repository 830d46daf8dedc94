"""The public site ("Credit China" style), mounted at / under the namespace "public"."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("entity/<str:uscc>/", views.entity_detail, name="entity"),
    path("publicity/", views.publicity, name="publicity"),
    path("publicity/<slug:kind>/", views.publicity, name="publicity-kind"),
    path("statistics/", views.statistics, name="statistics"),
    path("report-error/", views.report_error, name="report-error"),
]
