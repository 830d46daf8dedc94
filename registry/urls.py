"""The regulator workbench, mounted at /workbench/ under the namespace "workbench"."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

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
]
