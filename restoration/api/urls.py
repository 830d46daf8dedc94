"""Restoration API routes, mounted at /api/v1/ under the namespace "restoration-api"."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("restoration-statistics", views.StatisticsViewSet, basename="statistics")
router.register("restoration-applications", views.ApplicationViewSet, basename="application")
urlpatterns = router.urls
