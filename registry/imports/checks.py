"""The set-based checks of an import: the staging table, one query that checks every row, and
the due dates from the official calendar in SQL."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from typing import Any

from credit_portal.calendar.services import calendar_gap_record

from ..models import CatalogueItem, Severity
from ..services import DECISION_CATALOGUE
from .file_format import _kind_labels, _penalty_type_labels, _severity_labels

logger = logging.getLogger(__name__)


# --- the set-based checks ---------------------------------------------------------------------
_DATE_SEPARATED = (
    r"^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?"
    r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
)
_DATE_COMPACT = r"^([0-9]{4})([0-9]{2})([0-9]{2})$"
_AMOUNT = r"^[+-]?([0-9]+(\.[0-9]{0,2})?|\.[0-9]{1,2})$"

# Every check: (code, column, condition over import_checked). A row is valid when none holds.
CHECKS: tuple[tuple[str, str, str], ...] = (
    ("extra_cells", "", "extra"),
    ("invalid_kind", "kind", "kind IS NULL"),
    ("uscc", "uscc", "entity_id IS NULL"),
    ("document_number_empty", "document_number", "document_number = ''"),
    ("document_number_long", "document_number", "char_length(document_number) > 100"),
    ("title_empty", "title", "title = ''"),
    ("title_long", "title", "char_length(title) > 300"),
    ("date_empty", "decision_date", "date_text = ''"),
    ("date_format", "decision_date", "date_text <> '' AND decision_date IS NULL"),
    ("date_in_future", "decision_date", "decision_date > %(today)s"),
    ("unknown_catalogue_item", "kind", "kind IS NOT NULL AND NOT catalogued"),
    ("severity_unknown", "severity", "severity IS NULL"),
    ("invalid_severity", "severity", "catalogued AND severity IS NOT NULL AND NOT allowed"),
    ("not_penalty", "penalty_type", "kind <> 'penalty' AND penalty_type_text <> ''"),
    ("not_penalty", "penalty_amount", "kind <> 'penalty' AND amount_text <> ''"),
    ("penalty_type_empty", "penalty_type", "kind = 'penalty' AND penalty_type_text = ''"),
    (
        "penalty_type_unknown",
        "penalty_type",
        "kind = 'penalty' AND penalty_type_text <> '' AND penalty_type IS NULL",
    ),
    ("amount_format", "penalty_amount", "amount_text <> '' AND penalty_amount IS NULL"),
    ("amount_negative", "penalty_amount", "penalty_amount < 0"),
    ("amount_too_large", "penalty_amount", "penalty_amount >= 1e14"),
    ("duplicate_in_file", "document_number", "line > first_line"),
)


def _any_check() -> str:
    return " OR ".join(f"coalesce({cond}, false)" for _code, _col, cond in CHECKS)


def _stage_sql(keys: Sequence[str]) -> str:
    columns = ", ".join(("uscc_code", *keys))
    return (
        f"COPY import_stage (line, extra, {columns}) FROM STDIN "
        f"WITH (FORMAT csv, FORCE_NOT_NULL ({columns}))"
    )


CREATE_STAGE = """
    DROP TABLE IF EXISTS import_stage, import_repeats, import_checked, import_dues;
    CREATE TEMPORARY TABLE import_stage (
        line integer NOT NULL, extra boolean NOT NULL, uscc_code text NOT NULL,
        kind text NOT NULL DEFAULT '', uscc text NOT NULL DEFAULT '',
        document_number text NOT NULL DEFAULT '', decision_date text NOT NULL DEFAULT '',
        title text NOT NULL DEFAULT '', content text NOT NULL DEFAULT '',
        legal_basis text NOT NULL DEFAULT '', severity text NOT NULL DEFAULT '',
        penalty_type text NOT NULL DEFAULT '', penalty_amount text NOT NULL DEFAULT ''
    ) ON COMMIT DROP
"""

# Cells arrive trimmed and the USCC normalised (see _copy_chunks). Dates are read like
# 2025-09-30, 2025/9/30, 2025年9月30日 or 20250930 (full-width digits too); a cheap test
# (no regular expression) lets the usual 2025-09-30 through first.
# "OFFSET 0" keeps each step a subquery of its own: otherwise PostgreSQL inlines it and
# evaluates an expression again at every reference (it was 20x slower).
CHECK_SQL = """
    CREATE TEMPORARY TABLE import_checked ON COMMIT DROP AS
    WITH parsed AS (
        SELECT s.line, s.extra, s.uscc_code, s.document_number, s.title, s.content,
            s.legal_basis, s.decision_date AS date_text,
            lower(s.kind) AS kind_text, lower(s.severity) AS severity_text,
            lower(s.penalty_type) AS penalty_type_text, s.penalty_amount AS amount_text,
            CASE WHEN octet_length(s.decision_date) = 10
                      AND translate(s.decision_date, '0123456789', '') = '--'
                      AND substr(s.decision_date, 5, 1) = '-'
                      AND substr(s.decision_date, 8, 1) = '-'
                 THEN ARRAY[substr(s.decision_date, 1, 4), substr(s.decision_date, 6, 2),
                            substr(s.decision_date, 9, 2)]::integer[]
                 WHEN s.decision_date <> ''
                 THEN coalesce(
                      regexp_match(normalize(s.decision_date, NFKC), %(date_separated)s),
                      regexp_match(normalize(s.decision_date, NFKC), %(date_compact)s)
                 )::integer[]
            END AS ymd,
            CASE WHEN s.penalty_amount = '' THEN NULL
                 WHEN s.penalty_amount ~ %(amount)s THEN s.penalty_amount::numeric
                 WHEN translate(s.penalty_amount, %(amount_noise)s, '') ~ %(amount)s
                 THEN translate(s.penalty_amount, %(amount_noise)s, '')::numeric
            END AS penalty_amount
        FROM import_stage s
        OFFSET 0
    ), checked AS (
        SELECT p.line, p.extra, k.kind, coalesce(k.catalogued, false) AS catalogued,
            e.uscc AS entity_id, p.document_number, p.title, p.content, p.legal_basis,
            p.date_text,
            CASE WHEN p.ymd[1] >= 1 AND p.ymd[2] BETWEEN 1 AND 12 AND p.ymd[3] BETWEEN 1 AND
                      CASE WHEN p.ymd[2] = 2 THEN
                               CASE WHEN (mod(p.ymd[1], 4) = 0 AND mod(p.ymd[1], 100) <> 0)
                                         OR mod(p.ymd[1], 400) = 0 THEN 29 ELSE 28 END
                           WHEN p.ymd[2] IN (4, 6, 9, 11) THEN 30 ELSE 31 END
                 THEN make_date(p.ymd[1], p.ymd[2], p.ymd[3]) END AS decision_date,
            p.severity_text, sv.severity, a.kind IS NOT NULL AS allowed,
            p.penalty_type_text,
            CASE WHEN k.kind = 'penalty' THEN pt.penalty_type ELSE '' END AS penalty_type,
            p.amount_text, p.penalty_amount, coalesce(r.first_line, p.line) AS first_line
        FROM parsed p
        LEFT JOIN unnest(%(kind_labels)s::text[], %(kind_values)s::text[],
                         %(kind_catalogued)s::boolean[]) AS k(label, kind, catalogued)
               ON k.label = p.kind_text
        LEFT JOIN unnest(%(severity_labels)s::text[], %(severity_values)s::text[])
                  AS sv(label, severity) ON sv.label = p.severity_text
        LEFT JOIN unnest(%(allowed_kinds)s::text[], %(allowed_severities)s::text[])
                  AS a(kind, severity) ON a.kind = k.kind AND a.severity = sv.severity
        LEFT JOIN unnest(%(penalty_labels)s::text[], %(penalty_values)s::text[])
                  AS pt(label, penalty_type) ON pt.label = p.penalty_type_text
        LEFT JOIN registry_marketentity e ON e.uscc = p.uscc_code
        LEFT JOIN import_repeats r
               ON r.kind = k.kind AND r.document_number = p.document_number
        OFFSET 0
    )
    SELECT c.*, NOT (ANY_CHECK) AS ok FROM checked c
"""

# Kind and document number more than once in the file: found by hashing the narrow keys
# (a window function over the wide rows sorted 270 MB on disk for a million rows).
REPEATS_SQL = """
    CREATE TEMPORARY TABLE import_repeats ON COMMIT DROP AS
    SELECT k.kind, s.document_number, min(s.line) AS first_line
    FROM import_stage s
    JOIN unnest(%(kind_labels)s::text[], %(kind_values)s::text[]) AS k(label, kind)
      ON k.label = lower(s.kind)
    WHERE s.document_number <> ''
    GROUP BY k.kind, s.document_number
    HAVING count(*) > 1
"""

# The official calendar in SQL: number the working days of the range (OfficialDay exceptions,
# else Monday-Friday); the due date is the working day numbered count(start) + N, where
# count(day) is the number of working days up to and including the day, so the start day
# itself never counts (as in add_working_days).
DUES_SQL = """
    CREATE TEMPORARY TABLE import_dues ON COMMIT DROP AS
    WITH days AS (
        SELECT g.day::date AS day,
               coalesce(o.is_working_day, extract(isodow FROM g.day) < 6) AS working
        FROM generate_series(%(lo)s::date, %(hi)s::date, interval '1 day') AS g(day)
        LEFT JOIN calendar_officialday o ON o.date = g.day::date
    ), counted AS (
        SELECT day, working, count(*) FILTER (WHERE working) OVER (ORDER BY day) AS number
        FROM days
    ), starts AS (
        SELECT DISTINCT decision_date FROM import_checked WHERE ok
    ), dues AS (
        SELECT s.decision_date,
               CASE WHEN %(n)s = 0 THEN s.decision_date ELSE w.day END AS due
        FROM starts s
        JOIN counted c ON c.day = s.decision_date
        LEFT JOIN counted w ON w.working AND w.number = c.number + %(n)s
    )
    -- Provisional when a year from the start to the due date has no published notice.
    SELECT d.decision_date, d.due, EXISTS (
        SELECT 1 FROM generate_series(extract(year FROM d.decision_date)::integer,
                                      extract(year FROM d.due)::integer) AS y(year)
        WHERE y.year NOT IN (SELECT year FROM calendar_calendaryear WHERE published)
    ) AS provisional
    FROM dues d
"""

INSERT_SQL = """
    INSERT INTO registry_decision (
        kind, department_id, entity_id, document_number, decision_date, title, content,
        legal_basis, severity, penalty_type, penalty_amount, status, publicity_due,
        publicity_due_provisional, change, change_reason, recorded_by_id, created_at)
    SELECT c.kind, %(department)s, c.entity_id, c.document_number, c.decision_date, c.title,
        c.content, c.legal_basis, c.severity, c.penalty_type, c.penalty_amount, 'recorded',
        d.due, d.provisional, '', '', %(user)s, now()
    FROM import_checked c
    JOIN import_dues d ON d.decision_date = c.decision_date
    WHERE c.ok AND NOT EXISTS (
        SELECT 1 FROM registry_decision x
        WHERE x.department_id = %(department)s AND x.kind = c.kind
          AND x.document_number = c.document_number
    )
"""


def _check_params(today: datetime.date) -> dict[str, Any]:
    kinds = _kind_labels()
    items = {
        item.code: item
        for item in CatalogueItem.objects.filter(code__in=DECISION_CATALOGUE.values(), active=True)
    }
    allowed = [
        (kind, severity)
        for kind, code in DECISION_CATALOGUE.items()
        if code in items
        for severity in (items[code].severities or [Severity.NONE])
    ]
    severities = _severity_labels()
    penalties = _penalty_type_labels()
    return {
        "amount_noise": " ,，元¥￥",
        "date_separated": _DATE_SEPARATED,
        "date_compact": _DATE_COMPACT,
        "amount": _AMOUNT,
        "today": today,
        "kind_labels": list(kinds),
        "kind_values": list(kinds.values()),
        "kind_catalogued": [DECISION_CATALOGUE[k] in items for k in kinds.values()],
        "severity_labels": list(severities),
        "severity_values": list(severities.values()),
        "allowed_kinds": [k for k, _s in allowed],
        "allowed_severities": [s for _k, s in allowed],
        "penalty_labels": list(penalties),
        "penalty_values": list(penalties.values()),
    }


def _compute_dues(cursor, n: int) -> None:
    """Due dates for every decision date of the valid rows, widening the range if needed."""
    cursor.execute("SELECT min(decision_date), max(decision_date) FROM import_checked WHERE ok")
    lo, hi = cursor.fetchone()
    if lo is None:
        cursor.execute(
            "CREATE TEMPORARY TABLE import_dues (decision_date date, due date, "
            "provisional boolean) ON COMMIT DROP"
        )
        return
    span = n * 2 + 30  # as add_working_days: room for the longest holiday run
    while True:
        cursor.execute(DUES_SQL, {"lo": lo, "hi": hi + datetime.timedelta(days=span), "n": n})
        cursor.execute("SELECT count(*) FROM import_dues WHERE due IS NULL")
        if not cursor.fetchone()[0]:
            break
        cursor.execute("DROP TABLE import_dues")
        span *= 2  # pathological calendars (long runs of holidays): look further
    cursor.execute(
        "SELECT DISTINCT y.year FROM import_dues d, generate_series("
        "extract(year FROM d.decision_date)::integer, extract(year FROM d.due)::integer) y(year) "
        "WHERE y.year NOT IN (SELECT year FROM calendar_calendaryear WHERE published) "
        "ORDER BY 1"
    )
    unknown = tuple(row[0] for row in cursor.fetchall())
    if unknown:  # as add_working_days does: warn administrators, never guess
        logger.warning("import: working days computed from weekends only for years %s", unknown)
        calendar_gap_record(years=unknown)
