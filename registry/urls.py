"""The regulator workbench, mounted at /workbench/ under the namespace "workbench"."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import import_views, views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registry/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("records/", views.record_list, name="records"),
    path("records/new/", views.record_create, name="record-create"),
    path("records/<int:record_id>/", views.record_detail, name="record-detail"),
    path(
        "records/<int:record_id>/supersede/",
        views.record_supersede,
        name="record-supersede",
    ),
    path("entities/", views.entity_search, name="entity-search"),
    path("entities/new/", views.entity_register, name="entity-register"),
    path("entity/<str:uscc>/", views.entity_detail, name="entity-detail"),
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/new/", views.decision_create, name="decision-create"),
    path("decisions/<int:decision_id>/", views.decision_detail, name="decision-detail"),
    path(
        "decisions/<int:decision_id>/publish/",
        views.decision_publish,
        name="decision-publish",
    ),
    path(
        "decisions/<int:decision_id>/withdraw/",
        views.decision_withdraw,
        name="decision-withdraw",
    ),
    path("queue/", views.alert_list, name="queue"),
    path(
        "decisions/<int:decision_id>/fulfilled/",
        views.decision_fulfilled,
        name="decision-fulfilled",
    ),
    path("decisions/import/", import_views.decision_import, name="decision-import"),
    path(
        "decisions/import/template.<str:fmt>",
        import_views.decision_import_template,
        name="decision-import-template",
    ),
    path(
        "decisions/import/<int:batch_id>/",
        import_views.decision_import_result,
        name="decision-import-result",
    ),
    path(
        "decisions/import/<int:batch_id>/errors.csv",
        import_views.decision_import_errors,
        name="decision-import-errors",
    ),
]
