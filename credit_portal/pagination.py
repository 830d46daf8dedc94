"""Pagination that does not count the world (issue 17): a public list counts at most ``CAP``
rows (``SELECT count(*) FROM (... LIMIT CAP + 1)``, which reads no more than that from its
index) and says "200+" beyond; past the numbered pages a list goes on by key (``after``), so
no page needs an OFFSET. At a million entities (``bench/seed_demo_bench.py 1000000``, 1.47
million decisions) a full COUNT of the published decisions made the board's first page take
1,069 ms; counting at most 1,000 took 40 ms and at most 200 about 6 ms (the page's own rows
take about 1 ms), hence 200: ten numbered pages, then keys."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from credit_portal.errors import DomainError

CAP = 200


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
    """The API's page-number pagination with a capped count: ``count`` stops at 200 and
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


class KeysetPagination(CappedPageNumberPagination):
    """Capped page numbers for the first pages, then keys: a view that names its order's
    ``keyset`` gets, on the last numbered page of a capped list, a ``next`` link with
    ``after=<key>``; each such page reads on from that key in the index, however deep, and
    counts nothing (``count`` is null).

    ``keyset`` is the view's order: the primary key alone (``("uscc",)``, ``("-id",)``), or
    one field and then the primary key (``("-decision_date", "-id")``), each ascending or
    descending (``-``) as the queryset is ordered. The key is ``<value>.<pk>`` or ``<pk>``."""

    keyset_param = "after"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.keyset = getattr(view, "keyset", None)
        if self.keyset and not self._in_keyset_order(queryset):
            self.keyset = None  # ordered otherwise (a ranked search): numbered pages only
        raw = request.query_params.get(self.keyset_param)
        self.keyed = bool(self.keyset) and raw is not None
        if not self.keyed:
            return super().paginate_queryset(queryset, request, view)
        after = queryset.filter(self._after(queryset.model, raw or ""))
        size = self.get_page_size(request)
        rows = list(after[: size + 1])
        self.more = len(rows) > size
        self.rows = rows[:size]
        return self.rows

    def _in_keyset_order(self, queryset) -> bool:
        """A queryset ordered exactly by the keyset (a list, e.g. statistics, never is)."""
        query = getattr(queryset, "query", None)
        if query is None:
            return False
        ordering = tuple(query.order_by) or tuple(queryset.model._meta.ordering)
        return ordering == tuple(self.keyset)

    def _after(self, model, raw: str) -> Q:
        """The rows after the key in the keyset's order; a bad key is a 400 that says so."""
        *lead, last = self.keyset
        pk = model._meta.pk
        try:
            if lead:
                value, _dot, pk_raw = raw.rpartition(".")
                field = model._meta.get_field(lead[0].lstrip("-"))
                key, pk_value = field.to_python(value), pk.to_python(pk_raw)
            else:
                key, pk_value = None, pk.to_python(raw)
            valid = pk_value not in (None, "") and (not lead or key is not None)
            if isinstance(pk_value, int):
                valid = valid and 0 < pk_value < 2**63
        except (ValidationError, ValueError, TypeError):
            valid = False
        if not valid:
            raise DomainError(
                _("翻页位置无效。/ The page position is not valid."),
                code="invalid_after",
                field=self.keyset_param,
            )
        beyond = "lt" if last.startswith("-") else "gt"
        if not lead:
            return Q(**{f"pk__{beyond}": pk_value})
        name = lead[0].lstrip("-")
        op = "lt" if lead[0].startswith("-") else "gt"
        # The redundant bound on the leading field alone lets the index scan start at the key.
        return (Q(**{f"{name}__{op}": key}) | Q(**{name: key, f"pk__{beyond}": pk_value})) & Q(
            **{f"{name}__{op}e": key}
        )

    def _after_link(self, row) -> str:
        *lead, _last = self.keyset
        if lead:
            value = getattr(row, lead[0].lstrip("-"))
            text = value.isoformat() if hasattr(value, "isoformat") else value
            token = f"{text}.{row.pk}"
        else:
            token = str(row.pk)
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.keyset_param, token)

    def get_next_link(self):
        if self.keyed:
            return self._after_link(self.rows[-1]) if self.more and self.rows else None
        link = super().get_next_link()
        rows = list(self.page.object_list)
        if link is None and self.keyset and self.page.paginator.capped and rows:
            return self._after_link(rows[-1])
        return link

    def get_previous_link(self):
        return None if self.keyed else super().get_previous_link()

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        if getattr(view, "keyset", None):
            parameters.append(
                {
                    "name": self.keyset_param,
                    "required": False,
                    "in": "query",
                    "description": "Go on after this row (`<value>.<id>` or `<id>`, from a "
                    "`next` link): for pages past the counted ones, which have a null `count`.",
                    "schema": {"type": "string"},
                }
            )
        return parameters

    def get_paginated_response_schema(self, schema: dict) -> dict:
        shaped = super().get_paginated_response_schema(schema)
        shaped["properties"]["count"]["nullable"] = True
        return shaped

    def get_paginated_response(self, data) -> Response:
        if not self.keyed:
            return super().get_paginated_response(data)
        return Response(
            {
                "count": None,
                "next": self.get_next_link(),
                "previous": None,
                "results": data,
                "count_capped": True,
            }
        )
