"""System check: pg_trgm silently ignores Chinese under a non-UTF-8 ctype
(docs/architecture.md §6)."""

from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.db import connections

CTYPE_SQL = (
    "SELECT datctype, pg_encoding_to_char(encoding) FROM pg_database "
    "WHERE datname = current_database()"
)


def ctype_error(alias: str, ctype: str, encoding: str) -> Error | None:
    if encoding.upper() == "UTF8" and ctype.upper().replace("UTF8", "UTF-8").endswith("UTF-8"):
        return None
    return Error(
        f"数据库 {alias} 的 LC_CTYPE 为 {ctype}（编码 {encoding}），中文检索需要 UTF-8。"
        f" / Database {alias} has LC_CTYPE {ctype} (encoding {encoding}); Chinese name search "
        "(pg_trgm) needs a UTF-8 ctype such as C.UTF-8.",
        hint="CREATE DATABASE ... TEMPLATE template0 ENCODING 'UTF8' "
        "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'",
        id="registry.E001",
    )


@register(Tags.database)
def database_ctype_check(app_configs=None, databases=None, **kwargs):
    errors = []
    for alias in databases or []:
        with connections[alias].cursor() as cursor:
            cursor.execute(CTYPE_SQL)
            error = ctype_error(alias, *cursor.fetchone())
        if error:
            errors.append(error)
    return errors
