"""Discipline API routes, mounted at /api/v1/ under the namespace "discipline-api"."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("list-rules", views.ListRuleViewSet, basename="list-rule")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("listings", views.ListingViewSet, basename="listing")
router.register("measure-tasks", views.MeasureTaskViewSet, basename="measure-task")
router.register("measure-statistics", views.TaskStatisticsViewSet, basename="measure-statistics")
router.register("rectifications", views.RectificationViewSet, basename="rectification")
router.register("interviews", views.InterviewViewSet, basename="interview")
router.register("access-bans", views.AccessBanViewSet, basename="access-ban")
router.register("liability-warnings", views.LiabilityWarningViewSet, basename="liability-warning")
router.register("authority-notices", views.AuthorityNoticeViewSet, basename="authority-notice")
router.register("may-receive", views.MayReceiveViewSet, basename="may-receive")
urlpatterns = router.urls
