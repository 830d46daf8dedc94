"""Public pages of objections and tip-offs, mounted at /objections/ (namespace "objections")."""

from django.urls import path

from . import views

urlpatterns = [
    path("new/", views.objection_new, name="new"),
    path("filed/", views.filed, name="filed"),
    path("status/", views.objection_status, name="status"),
    path("tip-offs/new/", views.tipoff_new, name="tipoff-new"),
    path("tip-offs/status/", views.tipoff_status, name="tipoff-status"),
    path("statistics/", views.statistics, name="statistics"),
]
