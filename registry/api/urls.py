"""API v1 routes, mounted at /api/v1/ under the namespace "api"."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("entities", views.EntityViewSet, basename="entity")
router.register("records", views.RecordViewSet, basename="record")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("catalogue", views.CatalogueItemViewSet, basename="catalogue-item")
router.register("departments", views.DepartmentViewSet, basename="department")
urlpatterns = router.urls
