"""Commitments API routes, mounted at /api/v1/ under the namespace "commitments-api"."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("commitment-templates", views.TemplateViewSet, basename="commitment-template")
router.register("licensing-items", views.LicensingItemViewSet, basename="licensing-item")
router.register("voluntary-registrations", views.DisclosureViewSet, basename="disclosure")
router.register("education-sessions", views.EducationSessionViewSet, basename="education-session")
urlpatterns = router.urls
