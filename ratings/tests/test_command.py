"""manage.py rating_run: rates in-process, once with --if-never."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from ratings.models import Rating, RatingRun
from registry.tests import factories

pytestmark = pytest.mark.django_db


def test_rating_run_once(samr_staff):
    for _ in range(3):
        factories.entity(by=samr_staff)
    call_command("rating_run", "--if-never")
    call_command("rating_run", "--if-never")  # ratings exist: nothing more
    assert RatingRun.objects.count() == 1
    assert Rating.objects.count() == 3
    call_command("rating_run", "--changed")  # nothing changed since: an empty run
    assert RatingRun.objects.count() == 2 and Rating.objects.count() == 3
