"""Public discipline pages, mounted at /lists/ under the namespace "discipline"."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.lists_home, name="lists"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<int:pk>/", views.rule_detail, name="rule"),
    path("measures/", views.measure_list, name="measures"),
    path("statistics/", views.statistics, name="statistics"),
    path("listing/<int:pk>/", views.listing_detail, name="listing"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/statement/", views.statement, name="statement"),
    # Last: a slug would also match the fixed words above.
    path("<slug:kind>/", views.kind_list, name="kind"),
]
