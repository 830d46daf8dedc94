"""Objections API routes, mounted at /api/v1/ under the namespace "objections-api"."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("objection-statistics", views.StatisticsViewSet, basename="statistics")
router.register("objections", views.ObjectionViewSet, basename="objection")
router.register("tip-offs", views.TipOffViewSet, basename="tipoff")
urlpatterns = router.urls
