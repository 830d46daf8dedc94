"""Public rating pages (namespace "ratings", under /ratings/); the workbench's are in
workbench_urls.py."""

from django.urls import path

from . import views

urlpatterns = [path("mine/", views.mine, name="mine")]
