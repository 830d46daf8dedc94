"""Ratings API routes, mounted at /api/v1/ under the namespace "ratings-api"."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("evaluation-models", views.EvaluationModelViewSet, basename="evaluation-model")
router.register("supervision-tiers", views.TierViewSet, basename="supervision-tier")
router.register("ratings", views.RatingViewSet, basename="rating")
router.register("rating-runs", views.RatingRunViewSet, basename="rating-run")
router.register("spot-check-plans", views.SpotCheckPlanViewSet, basename="spot-check-plan")
router.register("spot-checks", views.SpotCheckViewSet, basename="spot-check")
urlpatterns = router.urls
