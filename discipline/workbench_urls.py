"""Workbench discipline pages, mounted at /workbench/discipline/ (namespace
"discipline-workbench")."""

from django.urls import path

from . import workbench

urlpatterns = [
    path("", workbench.listings, name="listings"),
    path("listings/new/", workbench.listing_new, name="listing-new"),
    path("listings/<int:listing_id>/", workbench.listing, name="listing"),
    path(
        "listings/<int:listing_id>/statement/",
        workbench.listing_statement,
        name="listing-statement",
    ),
    path("listings/<int:listing_id>/decide/", workbench.listing_decide, name="listing-decide"),
    path("listings/<int:listing_id>/suspend/", workbench.listing_suspend, name="listing-suspend"),
    path("listings/<int:listing_id>/resume/", workbench.listing_resume, name="listing-resume"),
    path("listings/<int:listing_id>/exit/", workbench.listing_exit, name="listing-exit"),
    path("tasks/", workbench.tasks, name="tasks"),
    path("tasks/<int:task_id>/", workbench.task, name="task"),
    path("tasks/<int:task_id>/lift/", workbench.task_lift, name="task-lift"),
    path("rectifications/", workbench.rectifications, name="rectifications"),
    path("rectifications/new/", workbench.rectification_new, name="rectification-new"),
    path(
        "rectifications/<int:rectification_id>/complete/",
        workbench.rectification_complete,
        name="rectification-complete",
    ),
    path("interviews/<int:interview_id>/hold/", workbench.interview_hold, name="interview-hold"),
    path("bans/", workbench.bans, name="bans"),
    path("bans/<int:ban_id>/lift/", workbench.ban_lift, name="ban-lift"),
    path("warnings/<int:warning_id>/resolve/", workbench.warning_resolve, name="warning-resolve"),
    path("notices/<int:notice_id>/read/", workbench.notice_read, name="notice-read"),
    path("check/", workbench.check, name="check"),
]
