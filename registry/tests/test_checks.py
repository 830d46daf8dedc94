"""The database must have a UTF-8 ctype, or pg_trgm silently ignores Chinese."""

from __future__ import annotations

import uuid

import psycopg2
import pytest
from django.db import connection

from registry.checks import CTYPE_SQL, ctype_error, database_ctype_check

pytestmark = pytest.mark.django_db


def test_the_test_database_passes():
    assert database_ctype_check(databases=["default"]) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm('华为技术')")
        assert cursor.fetchone()[0]  # Chinese trigrams exist under UTF-8


def test_a_c_ctype_database_is_refused_and_really_breaks_chinese_search():
    params = connection.get_connection_params()
    name = f"ctype_c_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(**{**params, "dbname": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C' LC_COLLATE 'C'"
        )
    try:
        conn = psycopg2.connect(**{**params, "dbname": name})
        with conn.cursor() as cursor:
            cursor.execute(CTYPE_SQL)
            error = ctype_error(name, *cursor.fetchone())
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute("SELECT show_trgm('华为技术')")
            trigrams = cursor.fetchone()[0]
        conn.close()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.close()
    assert error is not None and error.id == "registry.E001"
    assert trigrams == []  # why the check exists
