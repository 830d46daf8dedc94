"""Timeliness statistics: the figures for a small known set (on time, late, overdue, median),
the public page with its charts and table, and the public API. Unpublished decisions are
counted, never shown."""

from __future__ import annotations

import re

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure import selectors
from registry import services

from .util import D, decide, set_clock, withdraw

pytestmark = pytest.mark.django_db
AS_OF = D("2026-11-02")


@pytest.fixture
def known_set(samr_staff, tax_staff, entity, monkeypatch):
    """Decisions whose outcome and delay (calendar days) are known; the clock ends on AS_OF."""

    def at(when: str, decision=None):
        set_clock(monkeypatch, when)
        if decision is not None:
            return services.decision_publish(actor=decision.recorded_by, decision_id=decision.pk)
        return None

    at("2026-11-02 09:00")
    samr_penalty = [
        decide(samr_staff, entity, title=f"统计用处罚{n}", decision_date=D("2026-09-30"))
        for n in range(4)
    ]  # due 10-15
    unpublished_title = samr_penalty[2].title
    warning = decide(samr_staff, entity, title="警告", decision_date=D("2026-10-12"),
                     severity="warning", penalty_type="warning", penalty_amount=None)  # fmt: skip
    licence_on_time = decide(samr_staff, entity, kind="licence", decision_date=D("2026-09-01"))
    decide(samr_staff, entity, kind="licence", decision_date=D("2026-10-27"))  # due 11-05
    tax_late = decide(tax_staff, entity, kind="licence", decision_date=D("2026-03-02"))  # 03-11
    decide(tax_staff, entity, decision_date=D("2025-12-30"), title="去年的处罚")  # 2025
    # On the due day late in the evening (Beijing time): on time, 15 days.
    at("2026-10-15 23:30", samr_penalty[0])
    # Half an hour later, the next local day (still 10-15 in UTC): late, 16 days.
    at("2026-10-16 00:30", samr_penalty[1])
    # samr_penalty[2] stays unpublished: overdue, 33 days at AS_OF.
    at("2026-10-20 10:00")
    withdraw(samr_staff, samr_penalty[3])  # changed before publication: not counted
    at("2026-10-15 10:00", warning)  # on time, 3 days; a warning is never shown publicly
    at("2026-09-03 10:00", licence_on_time)  # on time, 2 days
    at("2026-03-20 10:00", tax_late)  # late, 18 days
    at("2026-11-02 09:00")
    return {"unpublished_title": unpublished_title}


def figures(row) -> tuple:
    return (row.due, row.on_time, row.late, row.overdue, row.median_delay_days)


def test_figures_for_a_known_set(known_set, samr, tax):
    assert services.publicity_due_for(D("2026-09-30"))[0] == D("2026-10-15")
    report = selectors.timeliness(year=2026, today=AS_OF)
    by_key = {(r.department_code, r.kind): r for r in report.rows}
    assert set(by_key) == {(samr.code, "penalty"), (samr.code, "licence"), (tax.code, "licence")}
    assert figures(by_key[samr.code, "penalty"]) == (4, 2, 1, 1, 15.5)  # [3, 15, 16, 33]
    assert figures(by_key[samr.code, "licence"]) == (1, 1, 0, 0, 2.0)  # 11-05 not yet due
    assert figures(by_key[tax.code, "licence"]) == (1, 0, 1, 0, 18.0)
    departments = {r.department_code: r for r in report.departments}
    assert figures(departments[samr.code]) == (5, 3, 1, 1, 15.0)  # [2, 3, 15, 16, 33]
    assert departments[samr.code].on_time_share == 0.6
    assert figures(report.total) == (6, 3, 2, 1, 15.5)  # [2, 3, 15, 16, 18, 33]
    assert report.total.on_time_share == 0.5
    # Licences before penalties, as everywhere on the site.
    assert [r.kind for r in report.rows if r.department_code == samr.code] == [
        "licence",
        "penalty",
    ]


def test_figures_by_department_and_year(known_set, tax):
    report = selectors.timeliness(year=2026, department=tax, today=AS_OF)
    assert [(r.department_code, r.kind) for r in report.rows] == [(tax.code, "licence")]
    assert figures(report.total) == (1, 0, 1, 0, 18.0)
    last_year = selectors.timeliness(year=2025, today=AS_OF)
    assert figures(last_year.total) == (1, 0, 0, 1, float((AS_OF - D("2025-12-30")).days))


def test_nothing_due_is_not_an_error(db):
    report = selectors.timeliness(year=2026, today=AS_OF)
    assert report.rows == [] and report.departments == []
    assert report.total is not None and report.total.due == 0
    assert report.total.on_time_share is None and report.total.median_delay_days is None


def test_the_statistics_query_is_one_query(known_set, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.timeliness(year=2026, today=AS_OF)


# --- the page -----------------------------------------------------------------------------
def test_page_shows_figures_charts_and_table_but_no_decision(client, known_set, samr):
    response = client.get(reverse("public:statistics"), {"year": "2026"})
    text = response.content.decode()
    assert response.status_code == 200
    table = text[text.index('<table class="stats">') : text.index("</table>")]
    row = re.search(r"北京市市场监督管理局</th><td>行政处罚</td>(.*?)</tr>", table, re.S)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row.group(1))
    assert cells == ["4", "2", "1", "1", "50.0%", "15.5"]
    assert "60.0%" in table and "50.0%" in table
    assert "公示用时中位数（天）" in text and "从决定日期到公示日期的自然日数" in text
    # Charts from our own static files, with the data as JSON.
    assert "/static/vendor/chartjs/chart.umd.min.js" in text and "/static/js/statistics.js" in text
    assert 'id="timeliness-data"' in text and 'src="http' not in text
    # Counted, never shown: no title or document number of any decision.
    assert known_set["unpublished_title"] not in text and "测罚" not in text
    assert "警告" not in table


def test_page_filters_by_department(client, known_set, tax):
    text = client.get(reverse("public:statistics"), {"year": "2026", "department": tax.code})
    text = text.content.decode()
    assert "国家税务总局北京市税务局" in text
    assert "北京市市场监督管理局</th>" not in text


def test_page_default_year_is_this_year(client, known_set):
    assert "2026年作出的决定" in client.get(reverse("public:statistics")).content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, "没有这个年份的统计"),
        ({"year": "1999"}, "没有这个年份的统计"),
        ({"year": "2999"}, "没有这个年份的统计"),
        ({"department": "NO-SUCH"}, "没有这个部门"),
    ],
)
def test_bad_filters_are_a_message(client, db, params, message):
    response = client.get(reverse("public:statistics"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_page_is_cached(client, known_set, django_assert_max_num_queries):
    assert client.get(reverse("public:statistics")).status_code == 200
    with django_assert_max_num_queries(0):
        assert client.get(reverse("public:statistics")).status_code == 200


def test_empty_year_says_so(client, db):
    text = client.get(reverse("public:statistics"), {"year": "2020"}).content.decode()
    assert "所选范围内还没有应公示的决定" in text and "chart.umd.min.js" not in text


# --- the API ------------------------------------------------------------------------------
def test_api_has_the_same_figures_and_no_decision(client, known_set, samr):
    response = client.get(reverse("public-api:timeliness"), {"year": 2026})
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2026 and body["as_of"] == "2026-11-02" and body["department"] == ""
    total = body["total"]
    assert (total["due"], total["on_time"], total["late"], total["overdue"]) == (6, 3, 2, 1)
    assert total["on_time_share"] == 0.5 and total["median_delay_days"] == 15.5
    row = next(r for r in body["rows"] if r["department"] == samr.code and r["kind"] == "penalty")
    assert (row["due"], row["overdue"], row["median_delay_days"]) == (4, 1, 15.5)
    assert known_set["unpublished_title"] not in response.content.decode()
    assert set(row) == {
        "department", "department_name", "department_name_en", "kind", "due", "on_time", "late",
        "overdue", "on_time_share", "median_delay_days",
    }  # fmt: skip


def test_api_filters_by_department(client, known_set, tax):
    body = client.get(reverse("public-api:timeliness"), {"department": tax.code}).json()
    assert body["department"] == tax.code and body["year"] == 2026
    assert [r["department"] for r in body["rows"]] == [tax.code]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"year": "abc"}, "year"), ({"year": "1990"}, "year"), ({"year": "2999"}, "year"),
     ({"department": "NO-SUCH"}, "department")],
)  # fmt: skip
def test_api_bad_input_is_a_400_with_its_field(client, db, params, field):
    response = client.get(reverse("public-api:timeliness"), params)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_api_schema_is_valid(db, tmp_path):
    schema = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))
    assert "/api/v1/statistics/timeliness/" in yaml.safe_load(schema.read_text())["paths"]


def test_the_chart_library_is_served_from_our_own_static_files():
    from django.contrib.staticfiles import finders

    for path in (
        "vendor/chartjs/chart.umd.min.js",
        "vendor/chartjs/LICENSE.md",
        "js/statistics.js",
    ):
        assert finders.find(path), path


# --- the snapshot the public reads (issue 17) ---------------------------------------------------
def test_the_hourly_job_writes_this_and_last_year_and_missing_years(known_set):
    from disclosure import services as disclosure_services
    from disclosure.models import TimelinessSnapshot

    written = disclosure_services.timeliness_snapshots_refresh(today=AS_OF)
    assert written == selectors.decision_years(AS_OF)  # none existed yet
    assert TimelinessSnapshot.objects.get(year=2026).as_of == AS_OF
    again = disclosure_services.timeliness_snapshots_refresh(today=AS_OF)
    assert again == [2026, 2025]  # older years are settled


def test_the_public_figures_come_from_the_snapshot_and_match_the_query(
    known_set, samr, tax, client
):
    from disclosure import services as disclosure_services

    disclosure_services.timeliness_snapshots_refresh(today=AS_OF)
    for department in (None, samr, tax):
        live = selectors.timeliness(year=2026, department=department, today=AS_OF)
        shown = selectors.timeliness_public(year=2026, department=department)
        assert shown.as_of == AS_OF
        assert figures(shown.total) == figures(live.total), department
        assert [(r.department_code, r.kind, *figures(r)) for r in shown.rows] == [
            (r.department_code, r.kind, *figures(r)) for r in live.rows
        ]
        assert [figures(r) for r in shown.departments] == [figures(r) for r in live.departments]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("public:statistics")).status_code == 200
    assert not any("WITH outcome" in q["sql"] for q in captured.captured_queries)


def test_a_department_with_nothing_due_has_zero_figures_from_the_snapshot(known_set):
    from disclosure import services as disclosure_services
    from registry.tests import factories

    disclosure_services.timeliness_snapshots_refresh(today=AS_OF)
    quiet = factories.department("QUIET")
    shown = selectors.timeliness_public(year=2026, department=quiet)
    live = selectors.timeliness(year=2026, department=quiet, today=AS_OF)
    assert figures(shown.total) == figures(live.total) and shown.rows == live.rows == []
