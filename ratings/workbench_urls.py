"""Workbench rating pages, mounted at /workbench/ratings/ (namespace "ratings-workbench")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("start/", views.start, name="start"),
    path("entity/<str:uscc>/", views.entity, name="entity"),
    path("spot-checks/", views.plans, name="plans"),
    path("spot-checks/<int:plan_id>/", views.plan, name="plan"),
    path("spot-checks/<int:plan_id>/draw/", views.plan_draw, name="plan-draw"),
    path("spot-checks/checks/<int:check_id>/result/", views.check_result, name="check-result"),
]
