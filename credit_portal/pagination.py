"""Pagination that does not count the world (issue 17): a public list counts at most ``CAP``
rows (``SELECT count(*) FROM (... LIMIT CAP + 1)``, which reads no more than that from its
index) and says "1,000+" beyond; the pages past the cap are not offered (filters narrow a
list to what a person reads). At a million entities (``bench/seed_demo_bench.py 1000000``,
1.47 million decisions) a full COUNT of the published decisions made the board's first page
1,069 ms; counting at most 1,000 made it 40 ms (the page's own rows take about 1 ms)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

CAP = 1_000


class CappedPaginator(Paginator):
    """``count`` is exact up to ``cap`` and ``cap`` beyond it, with ``capped`` True."""

    cap = CAP

    @cached_property
    def count(self) -> int:
        items = self.object_list
        if hasattr(items, "query"):  # a QuerySet: count a slice, in the database
            counted = items[: self.cap + 1].count()
        else:
            counted = len(items)
        self.capped = counted > self.cap
        return min(counted, self.cap)

    @cached_property
    def capped(self) -> bool:
        self.count  # noqa: B018 (counting sets it)
        return self.__dict__["capped"]


class CappedPageNumberPagination(PageNumberPagination):
    """The API's page-number pagination with a capped count: ``count`` stops at 1,000 and
    ``count_capped`` says when there are more (narrow the filters to reach them)."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        shaped = super().get_paginated_response_schema(schema)
        shaped["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "True when there are more than `count` results.",
        }
        return shaped
