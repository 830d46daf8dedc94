"""Bulk import of decisions (registry.imports): the rules of decision_record applied set-based,
every bad row reported with its line, idempotent re-import, Excel and GB18030 files, due dates
from the official calendar in SQL, ownership rows, and the workbench pages."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermission

from credit_portal.audit.models import AuditEvent
from credit_portal.calendar import add_working_days
from credit_portal.errors import DomainError, PermissionDenied
from registry import imports, services
from registry.models import CatalogueItem, Decision, ImportBatch
from registry.tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date.fromisoformat
IMPORT = reverse("workbench:decision-import")

HEADER = [
    "决定类别/kind",
    "统一社会信用代码",
    "document_number",
    "决定日期",
    "标题",
    "内容",
    "依据",
    "严重程度",
    "处罚种类",
    "罚没金额（元）",
]


def to_csv(rows: list[list[str]], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def run_import(by, content: bytes | str, filename: str = "decisions.csv") -> ImportBatch:
    if isinstance(content, str):
        content = content.encode("utf-8")
    return imports.decision_import(actor=by, file=io.BytesIO(content), filename=filename)


def report(batch: ImportBatch) -> list[tuple[int, str, str, str]]:
    rows = list(csv.reader(io.StringIO(batch.error_report)))
    assert rows[0] == list(imports.ERROR_HEADER)
    return [(int(line), column, value, reason) for line, column, value, reason in rows[1:]]


def written() -> tuple[int, ...]:
    return (
        Decision.objects.count(),
        # Guardian rows other than those departments hold on themselves: none is written.
        GroupObjectPermission.objects.exclude(
            permission__codename__in=services.DEPARTMENT_PERMS
        ).count(),
        ImportBatch.objects.count(),
        AuditEvent.objects.filter(action="decision.import").count(),
    )


@pytest.fixture
def entities(samr_staff):
    return [factories.entity(by=samr_staff) for _ in range(3)]


KIND, USCC, DOC, DATE, TITLE = HEADER[0], HEADER[1], HEADER[2], HEADER[3], HEADER[4]
SEVERITY, PENALTY_TYPE, AMOUNT = HEADER[7], HEADER[8], HEADER[9]


def row(
    kind: str,
    uscc: str,
    number: str,
    date: str = "2025-09-30",
    title: str = "t",
    severity: str = "",
    penalty_type: str = "",
    amount: str = "",
    content: str = "",
    basis: str = "",
) -> list[str]:
    return [kind, uscc, number, date, title, content, basis, severity, penalty_type, amount]


def mixed_rows(entities) -> tuple[list[list[str]], list[str], dict[int, set[tuple[str, str]]]]:
    """Good rows and one bad row per rule: (rows, good document numbers, expected errors by
    line as {(column, part of the reason)})."""
    a, b, c = (e.uscc for e in entities)
    bad_check = a[:17] + ("0" if a[17] != "0" else "1")
    good = [
        row("行政处罚", a, "京市监罚〔2025〕1号", "2025-09-30", "销售过期食品", "一般", "罚款"),
        row("licence", b.lower(), "京市监许〔2025〕1号", "2025/10/8", "食品经营许可"),
        row(
            "XK",
            "\u3000" + c + " ",
            "京市监许〔2025〕2号",
            "2025年9月1日",
            "药品经营许可",
            "不适用",
        ),
        row("行政检查", a, "京市监检〔2026〕3号", "20260105", "日常检查"),
        row("compulsion", b, "京市监强〔2026〕4号", "2026-02-10", "查封", "严重"),
        row("penalty", c, "京市监罚〔2026〕5号", "2026-03-02", "警告", "warning", "警告"),
    ]
    good[0][9] = "5,000.00"
    good[0][6] = "《食品安全法》"
    unknown = factories.make_uscc()
    bad: list[tuple[list[str], set[tuple[str, str]]]] = [
        (row("pardon", a, "X1"), {(KIND, "决定类别无效")}),
        (row("licence", bad_check, "X2"), {(USCC, "校验码错误")}),
        (row("licence", unknown, "X3"), {(USCC, "未找到统一社会信用代码")}),
        (row("licence", "9111", "X4"), {(USCC, "应为18位")}),
        (row("licence", a, ""), {(DOC, "请填写决定文书号")}),
        (row("licence", a, "X" * 101), {(DOC, "不能超过100个字符")}),
        (row("licence", a, "X7", title="  "), {(TITLE, "请填写标题")}),
        (row("licence", a, "X8", title="长" * 301), {(TITLE, "不能超过300个字符")}),
        (row("licence", a, "X9", date=""), {(DATE, "请填写决定日期")}),
        (row("licence", a, "X10", date="2025-02-29"), {(DATE, "决定日期无效")}),
        (row("licence", a, "X11", date="30/09/2025"), {(DATE, "决定日期无效")}),
        (row("licence", a, "X12", date="2999-01-01"), {(DATE, "不能晚于今天")}),
        (
            row("penalty", a, "X13", severity="很严重", penalty_type="fine"),
            {(SEVERITY, "严重程度无效")},
        ),
        (row("licence", a, "X14", severity="一般"), {(SEVERITY, "严重程度只能是")}),
        (
            row("licence", a, "X15", penalty_type="fine", amount="100"),
            {(PENALTY_TYPE, "只有行政处罚"), (AMOUNT, "只有行政处罚")},
        ),
        (row("penalty", a, "X16", severity="一般"), {(PENALTY_TYPE, "请选择处罚种类")}),
        (
            row("penalty", a, "X17", severity="一般", penalty_type="鞭刑"),
            {(PENALTY_TYPE, "处罚种类无效")},
        ),
        (
            row("penalty", a, "X18", "2025-09-30", "t", "一般", "fine", "五千"),
            {(AMOUNT, "应为数字")},
        ),
        (
            row("penalty", a, "X19", "2025-09-30", "t", "一般", "fine", "1.005"),
            {(AMOUNT, "应为数字")},
        ),
        (
            row("penalty", a, "X20", "2025-09-30", "t", "一般", "fine", "-5"),
            {(AMOUNT, "金额不能为负")},
        ),
        (row("penalty", a, "X21", "2025-09-30", "t", "一般", "fine", "1" * 15), {(AMOUNT, "过大")}),
        (
            row("行政处罚", a, "京市监罚〔2025〕1号", "2025-10-01", "t", "一般", "fine"),
            {(DOC, "与文件第2行")},
        ),
        ([*row("licence", a, "X23"), "多出来"], {("", "多于表头")}),
        (
            row("penalty", "", "", "", "", amount="-1"),
            {
                (USCC, "请输入统一社会信用代码"),
                (DOC, "请填写决定文书号"),
                (TITLE, "请填写标题"),
                (DATE, "请填写决定日期"),
                (SEVERITY, "严重程度只能是"),  # a penalty has a tier; "none" is not one
                (PENALTY_TYPE, "请选择处罚种类"),
                (AMOUNT, "金额不能为负"),
            },
        ),
    ]
    rows = good + [cells for cells, _errors in bad]
    expected = {len(good) + 2 + i: errors for i, (_cells, errors) in enumerate(bad)}
    return rows, [r[2] for r in good], expected


def assert_report_matches(batch: ImportBatch, expected: dict[int, set[tuple[str, str]]]) -> None:
    found: dict[int, list[tuple[str, str]]] = {}
    for line, column, _value, reason in report(batch):
        assert re.search(r"[\u4e00-\u9fff].*/ [A-Z]", reason), reason  # Chinese / English
        found.setdefault(line, []).append((column, reason))
    assert set(found) == set(expected)
    for line, errors in expected.items():
        assert len(found[line]) == len(errors), (line, found[line])
        for column, part in errors:
            assert any(c == column and part in r for c, r in found[line]), (line, column, part)


# --- the rules ----------------------------------------------------------------------------------
def test_good_rows_are_stored_and_every_bad_row_reported_with_its_line(samr_staff, samr, entities):
    rows, good_numbers, expected = mixed_rows(entities)
    batch = run_import(samr_staff, to_csv(rows))
    stored = Decision.objects.order_by("document_number")
    assert sorted(d.document_number for d in stored) == sorted(good_numbers)
    assert (batch.rows_total, batch.rows_stored, batch.rows_duplicate, batch.rows_rejected) == (
        len(rows),
        len(good_numbers),
        0,
        len(expected),
    )
    assert_report_matches(batch, expected)
    penalty = Decision.objects.get(document_number="京市监罚〔2025〕1号")
    assert (penalty.kind, penalty.severity, penalty.penalty_type) == ("penalty", "general", "fine")
    assert penalty.penalty_amount == Decimal("5000.00")
    assert penalty.department == samr and penalty.recorded_by == samr_staff
    assert penalty.status == "recorded" and penalty.publicity_due == D("2025-10-16")
    licence = Decision.objects.get(document_number="京市监许〔2025〕2号")
    assert licence.entity_id == entities[2].uscc  # full-width space and padding trimmed
    assert licence.decision_date == D("2025-09-01") and licence.severity == "none"
    assert Decision.objects.get(document_number="京市监检〔2026〕3号").decision_date == D(
        "2026-01-05"
    )
    warning = Decision.objects.get(document_number="京市监罚〔2026〕5号")
    assert (warning.severity, warning.penalty_type, warning.penalty_amount) == (
        "warning",
        "warning",
        None,
    )
    event = AuditEvent.objects.get(action="decision.import")
    assert event.target_id == str(batch.pk) and event.department_code == samr.code
    assert event.after["stored"] == len(good_numbers)
    assert event.after["rejected"] == len(expected)


def test_the_same_file_twice_stores_nothing_the_second_time(samr_staff, entities):
    rows, good_numbers, expected = mixed_rows(entities)
    content = to_csv(rows)
    run_import(samr_staff, content)
    before = written()
    again = run_import(samr_staff, content)
    assert written()[:2] == before[:2]
    assert (again.rows_stored, again.rows_duplicate, again.rows_rejected) == (
        0,
        len(good_numbers),
        len(expected),
    )


def test_a_decision_recorded_one_by_one_counts_as_a_duplicate(samr_staff, entities):
    services.decision_record(
        actor=samr_staff,
        uscc=entities[0].uscc,
        kind="licence",
        document_number="京市监许〔2025〕9号",
        decision_date=D("2025-09-30"),
        title="许可",
    )
    rows = [["licence", entities[0].uscc, "京市监许〔2025〕9号", "2025-09-30", "许可"]]
    batch = run_import(samr_staff, to_csv([r + [""] * 5 for r in rows]))
    assert (batch.rows_stored, batch.rows_duplicate) == (0, 1)


def test_another_department_may_import_the_same_document_numbers(samr_staff, tax_staff, entities):
    rows, good_numbers, _expected = mixed_rows(entities)
    run_import(samr_staff, to_csv(rows))
    batch = run_import(tax_staff, to_csv(rows))
    assert batch.rows_stored == len(good_numbers)


def test_imported_decisions_are_owned_by_the_department(samr_staff, samr, tax, entities):
    rows, good_numbers, _expected = mixed_rows(entities)
    permissions = GroupObjectPermission.objects.count()
    run_import(samr_staff, to_csv(rows))
    for decision in Decision.objects.all():
        assert services.department_manages_decision(samr, decision)
        assert not services.department_manages_decision(tax, decision)
    # Ownership is the permission on the department: an import adds no row for it.
    assert GroupObjectPermission.objects.count() == permissions
    assert Decision.objects.count() == len(good_numbers)
    # The department can publish an imported decision through the ordinary service.
    decision = Decision.objects.get(document_number="京市监罚〔2025〕1号")
    assert services.decision_publish(actor=samr_staff, decision_id=decision.pk).record_id


def test_a_kind_without_an_active_catalogue_item_is_rejected(samr_staff, entities):
    CatalogueItem.objects.filter(code="JL").update(active=False)
    rows = [["行政奖励", entities[0].uscc, "奖〔2025〕1号", "2025-09-30", "奖励"] + [""] * 5]
    batch = run_import(samr_staff, to_csv(rows))
    assert batch.rows_stored == 0
    assert report(batch)[0][1:] == (
        "决定类别/kind",
        "行政奖励",
        "信用信息目录中没有编码为“JL”的有效条目。/ The catalogue has no active item “JL”.",
    )


def test_line_numbers_count_lines_of_the_file(samr_staff, entities):
    uscc = entities[0].uscc
    content = (
        ",".join(HEADER) + "\n"
        f'licence,{uscc},L1,2025-09-30,许可,"第一行\n第二行",,,,\n'
        "\n"
        f"licence,{uscc},L2,2025-09-30,,,,,,\n"
        ",,,,,,,,,\n"
        f"licence,{uscc},L3,2025-13-01,许可,,,,,\n"
    )
    batch = run_import(samr_staff, content)
    assert [(line, column) for line, column, _v, _r in report(batch)] == [
        (5, "标题"),
        (7, "决定日期"),
    ]
    assert batch.rows_total == 3 and batch.rows_stored == 1
    assert Decision.objects.get().content == "第一行\n第二行"


# --- file formats -------------------------------------------------------------------------------
def to_xlsx(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_file_behaves_like_the_csv(samr_staff, entities):
    rows, good_numbers, expected = mixed_rows(entities)
    cells: list[list[object]] = [list(r) for r in rows]
    cells[0][3] = datetime.datetime(2025, 9, 30)  # a real date cell
    cells[0][9] = 5000  # a number cell
    cells[3][3] = datetime.date(2026, 1, 5)
    content = to_xlsx(cells)
    batch = run_import(samr_staff, content, "决定.xlsx")
    assert sorted(Decision.objects.values_list("document_number", flat=True)) == sorted(
        good_numbers
    )
    assert_report_matches(batch, expected)
    assert Decision.objects.get(document_number="京市监罚〔2025〕1号").penalty_amount == 5000
    again = run_import(samr_staff, content, "决定.xlsx")
    assert (again.rows_stored, again.rows_duplicate) == (0, len(good_numbers))


def test_a_gb18030_csv_from_excel_works(samr_staff, entities):
    rows, good_numbers, expected = mixed_rows(entities)
    batch = run_import(samr_staff, to_csv(rows).encode("gb18030"))
    assert batch.rows_stored == len(good_numbers)
    assert_report_matches(batch, expected)
    assert Decision.objects.filter(title="销售过期食品").exists()


def test_utf8_with_bom_and_tab_separated_text_work(samr_staff, entities):
    row = ["licence", entities[0].uscc, "L1", "2025-09-30", "许可"] + [""] * 5
    tsv = "\t".join(HEADER) + "\n" + "\t".join(row) + "\n"
    batch = run_import(samr_staff, codecs.BOM_UTF8 + tsv.encode("utf-8"), "decisions.txt")
    assert batch.rows_stored == 1


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "decisions.csv", "文件是空的"),
        (b"\r\n\r\n", "decisions.csv", "文件是空的"),
        (",".join(HEADER).encode(), "decisions.csv", "没有数据行"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "decisions.pdf", "只能导入 CSV"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "decisions.csv", "不是 UTF-8 或 GB18030"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "decisions.xls", "旧版 Excel"),
        (b"PK\x03\x04 not really a zip", "decisions.xlsx", "无法读取该 Excel 文件"),
        (b"not a zip at all", "decisions.xlsx", "无法读取该 Excel 文件"),
        ("名称,地址\n某公司,北京\n".encode(), "decisions.csv", "无法识别的列名：名称、地址"),
        ("决定类别,标题\n行政许可,许可\n".encode(), "decisions.csv", "缺少必填列"),
        ("决定类别,kind,标题\n".encode(), "decisions.csv", "列名重复：决定类别"),
        (b"\xff\xfek\x00i\x00n\x00d\x00", "decisions.csv", "不是 UTF-8 或 GB18030"),
    ],
)
def test_a_file_that_cannot_be_imported_gets_a_clear_message(
    samr_staff, entities, content, filename, message
):
    before = written()
    with pytest.raises(DomainError) as caught:
        run_import(samr_staff, content, filename)
    text = str(caught.value.message)
    assert message in text and re.search(r"/ [A-Z]", text)  # Chinese and English
    assert written() == before


def test_an_undecodable_csv_gets_a_clear_message(samr_staff):
    content = ",".join(HEADER).encode() + b"\n\x81\x30\xff\xff,,,\n"
    with pytest.raises(DomainError, match="无法识别文件编码"):
        run_import(samr_staff, content)


def test_size_and_row_limits(samr_staff, entities, monkeypatch):
    row = ["licence", entities[0].uscc, "L", "2025-09-30", "许可"] + [""] * 5
    rows = [[*row[:2], f"L{i}", *row[3:]] for i in range(4)]
    monkeypatch.setattr("registry.imports.reading.MAX_ROWS", 3)
    with pytest.raises(DomainError, match="超过 3 行数据"):
        run_import(samr_staff, to_csv(rows))
    monkeypatch.setattr("registry.imports.reading.MAX_BYTES", 100)
    with pytest.raises(DomainError, match="文件超过 0 MB"):
        run_import(samr_staff, to_csv(rows))
    assert written() == (0, 0, 0, 0)


def test_only_department_staff_may_import(entities):
    row = ["licence", entities[0].uscc, "L1", "2025-09-30", "许可"] + [""] * 5
    with pytest.raises(PermissionDenied):
        run_import(factories.platform_admin(), to_csv([row]))
    assert written() == (0, 0, 0, 0)


def test_nothing_is_half_written(samr_staff, entities, monkeypatch):
    rows, _good, _expected = mixed_rows(entities)

    def fail(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr("registry.imports.service.audit_event_record", fail)
    with pytest.raises(RuntimeError):
        run_import(samr_staff, to_csv(rows))
    assert written() == (0, 0, 0, 0)


# --- due dates in SQL = the Python calendar ------------------------------------------------------
def test_due_dates_equal_the_python_calendar_for_every_day(samr_staff, entities, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: D("2027-02-01"))
    first, last = D("2025-09-01"), D("2027-01-31")
    days = [first + datetime.timedelta(n) for n in range((last - first).days + 1)]
    rows = [
        ["licence", entities[0].uscc, f"L{day:%Y%m%d}", day.isoformat(), "许可"] + [""] * 5
        for day in days
    ]
    batch = run_import(samr_staff, to_csv(rows))
    assert batch.rows_stored == len(days) == 518
    got = {
        d.decision_date: (d.publicity_due, d.publicity_due_provisional)
        for d in Decision.objects.all()
    }
    for day in days:
        result = add_working_days(day, 7)
        assert got[day] == (result.value, result.provisional), day
    # Holidays, make-up Saturdays and the unknown year, spelled out:
    assert got[D("2025-09-30")] == (D("2025-10-16"), False)  # National Day; 11 Oct is worked
    assert got[D("2026-09-30")] == (D("2026-10-15"), False)
    assert got[D("2026-02-13")][1] is False  # Spring Festival 2026
    assert got[D("2026-12-28")] == (D("2027-01-06"), True)  # 2027 has no notice yet
    assert got[D("2027-01-05")][1] is True


def test_publish_within_comes_from_the_configuration(samr_staff, entities):
    config = services.publicity_config()
    config.publish_within = 3
    config.save()
    row = ["licence", entities[0].uscc, "L1", "2025-09-30", "许可"] + [""] * 5
    run_import(samr_staff, to_csv([row]))
    assert Decision.objects.get().publicity_due == add_working_days(D("2025-09-30"), 3).value


# --- the workbench -------------------------------------------------------------------------------
def upload(client, content: bytes, name: str = "decisions.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def test_workbench_upload_result_and_error_report(client, samr_staff, entities):
    client.force_login(samr_staff)
    page = client.get(IMPORT)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'type="file"' in html and 'for="id_file"' in html
    assert reverse("workbench:decision-import-template", args=["csv"]) in html
    assert "决定类别/kind" in html  # the documented columns
    rows, good_numbers, expected = mixed_rows(entities)
    response = upload(client, to_csv(rows).encode("utf-8"))
    batch = ImportBatch.objects.get()
    result_url = reverse("workbench:decision-import-result", args=[batch.pk])
    errors_url = reverse("workbench:decision-import-errors", args=[batch.pk])
    assert response.status_code == 302 and response["Location"] == result_url
    html = client.get(result_url).content.decode()
    assert "导入完成" in html and errors_url in html
    assert f"<dd>{len(good_numbers)}</dd>" in html and f"<dd>{len(expected)}</dd>" in html
    assert "决定类别无效" in html  # the first errors are shown on the page
    download = client.get(errors_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    assert download.content.startswith(codecs.BOM_UTF8)
    text = download.content[3:].decode("utf-8")
    assert text == batch.error_report and "决定类别无效" in text
    assert batch.uploaded_by == samr_staff
    assert AuditEvent.objects.get(action="decision.import").source == "web"
    assert result_url in client.get(IMPORT).content.decode()  # listed as a recent import


def test_workbench_bad_file_gets_the_message_and_a_400(client, samr_staff):
    client.force_login(samr_staff)
    response = upload(client, b"")
    assert response.status_code == 400
    assert "文件是空的" in response.content.decode()
    response = upload(client, b"%PDF-1.7", "scan.pdf")
    assert response.status_code == 400 and "只能导入 CSV" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_another_department_gets_404_for_a_batch(client, samr_staff, tax_staff, entities):
    rows, _good, _expected = mixed_rows(entities)
    batch = run_import(samr_staff, to_csv(rows))
    client.force_login(tax_staff)
    for name in ("decision-import-result", "decision-import-errors"):
        assert client.get(reverse(f"workbench:{name}", args=[batch.pk])).status_code == 404
        assert client.get(reverse(f"workbench:{name}", args=[2**63])).status_code == 404
    assert batch.filename not in client.get(IMPORT).content.decode()


def test_who_may_enter_the_import_pages(client, entity_user):
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workbench:login"))
    client.force_login(entity_user)
    assert client.get(IMPORT).status_code == 403
    client.force_login(factories.platform_admin())
    assert client.get(IMPORT).status_code == 403


def test_templates_download_and_import_cleanly(client, samr_staff, entities):
    client.force_login(samr_staff)
    response = client.get(reverse("workbench:decision-import-template", args=["csv"]))
    assert response.status_code == 200 and response.content.startswith(codecs.BOM_UTF8)
    header = response.content[3:].decode().strip()
    assert header.startswith("决定类别/kind,统一社会信用代码/uscc,决定文书号/document_number")
    row = ",".join(["行政许可", entities[0].uscc, "L1", "2025-09-30", "许可"] + [""] * 5)
    assert run_import(samr_staff, response.content + row.encode()).rows_stored == 1
    response = client.get(reverse("workbench:decision-import-template", args=["xlsx"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == [c.header for c in imports.COLUMNS]
    assert book.worksheets[1].max_row == len(imports.COLUMNS) + 1  # the notes sheet
    assert client.get(reverse("workbench:decision-import-template", args=["pdf"])).status_code == (
        404
    )
