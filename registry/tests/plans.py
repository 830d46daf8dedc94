"""EXPLAIN for the plan tests: a queryset's plan with some of the planner's choices priced out
(``enable_<setting> = off`` for this transaction), so that what remains shows whether an
index serves the query as it does at a province's scale, where tiny test tables would not."""

from __future__ import annotations

from django.db import connection


def explain(queryset, *disabled: str) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for setting in disabled:
            cursor.execute(f"SET LOCAL enable_{setting} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
