"""Rating pages: the workbench's (namespace "ratings-workbench", under /workbench/ratings/)
and the public site's (namespace "ratings", under /ratings/)."""

from django.urls import path

from . import views

workbench_urlpatterns = [
    path("", views.overview, name="overview"),
    path("start/", views.start, name="start"),
    path("entity/<str:uscc>/", views.entity, name="entity"),
    path("spot-checks/", views.plans, name="plans"),
    path("spot-checks/<int:plan_id>/", views.plan, name="plan"),
    path("spot-checks/<int:plan_id>/draw/", views.plan_draw, name="plan-draw"),
    path("spot-checks/checks/<int:check_id>/result/", views.check_result, name="check-result"),
]

urlpatterns = [path("mine/", views.mine, name="mine")]
