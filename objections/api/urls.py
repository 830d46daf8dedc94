"""URL patterns (filled in as the pages are built)."""

urlpatterns: list = []
