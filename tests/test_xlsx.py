"""The rectification list: columns, colours, drop-down, print set-up, 数据汇总, and the round trip
through ``--baseline 整改清单.xlsx``."""

import json
import shutil
from datetime import date, timedelta

from click.testing import CliRunner
from openpyxl import load_workbook

from gkaudit.cli import main
from gkaudit.parse.parser import parse_document
from gkaudit.read.readers.text import TextReader
from gkaudit.read.source import read_document

from conftest import SAMPLES, SEEDS

HEADERS = ["单位", "年度", "单位类型", "规则", "规则名称", "级别", "位置", "问题说明", "依据",
           "整改建议", "整改期限", "状态", "整改情况", "文件", "识别码"]  # fmt: skip


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def scan_to(target, *args: str):
    code, _, err = run("scan", *args, "-o", str(target), "--jobs", "1")
    assert code in (0, 1), err
    return load_workbook(target)


def test_rectification_list_has_every_column_an_office_needs(tmp_path):
    config = tmp_path / "gkaudit.toml"
    config.write_text("rectification-days = 45\n")
    workbook = scan_to(tmp_path / "整改清单.xlsx", str(SAMPLES), "--config", str(config))
    sheet = workbook["整改清单"]
    assert [c.value for c in sheet[1]] == HEADERS
    listed = rows(sheet)
    assert len(listed) == 10
    first = next(r for r in listed if r["规则"] == "GK503" and r["单位"] == "瓦窑沟乡人民政府")
    assert first["年度"] == 2023 and first["单位类型"] == "乡镇（街道）"
    assert first["规则名称"] == "政府报告缺少考核、评议、追责情况" and first["级别"] == "错误"
    assert first["位置"] == "第15行" and first["依据"] == "《政府信息公开条例》第五十条第（四）项"
    assert "监督保障" in first["整改建议"] and first["状态"] == "未整改"
    assert first["整改期限"].date() == date.today() + timedelta(days=45)
    assert len(first["识别码"]) == 20
    assert all(r["整改建议"] for r in listed)  # every built-in rule has its own advice


def test_severity_colours_drop_down_hidden_fingerprint_and_print_setup(tmp_path):
    workbook = scan_to(tmp_path / "list.xlsx", str(SAMPLES))
    sheet = workbook["整改清单"]
    fills = {sheet[f"F{n}"].value: sheet[f"F{n}"].fill.fgColor.rgb for n in range(2, 12)}
    assert fills == {"错误": "00FFC7CE", "警告": "00FFEB9C", "提示": "00DDEBF7"}
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"未整改,已整改,不予整改,说明理由"'
    assert str(validation.sqref) == "L2:L11"
    assert sheet.column_dimensions["O"].hidden
    for each in workbook.worksheets:
        assert each.page_setup.orientation == "landscape"
        assert each.page_setup.fitToWidth == 1 and each.page_setup.fitToHeight == 0
        assert each.sheet_properties.pageSetUpPr.fitToPage
        assert each.print_title_rows == "$1:$1"
    assert workbook.sheetnames == ["报告排名", "整改清单", "按规则汇总", "数据汇总"]
    summary = rows(workbook["按规则汇总"])
    gk503 = next(r for r in summary if r["规则"] == "GK503")
    assert (gk503["错误"], gk503["警告"], gk503["提示"], gk503["问题数"]) == (1, 2, 0, 3)


def test_figures_sheet_holds_every_units_three_tables_as_the_form_names_them(tmp_path):
    workbook = scan_to(tmp_path / "list.xlsx", str(SAMPLES))
    figures = rows(workbook["数据汇总"])
    assert len(figures) == 5  # one row per unit and year
    report = parse_document(read_document(SEEDS["002"], [TextReader()]), str(SEEDS["002"]))
    row = next(r for r in figures if r["单位"] == report.unit)
    requests = report.tables.requests
    assert row["年度"] == report.year
    assert row["一、本年新收政府信息公开申请数量·自然人"] == requests.values("new")[0]
    assert row["三（七）总计·总计"] == requests.values("total")[6]
    assert row["四、结转下年度继续办理·总计"] == requests.values("carried_forward")[6]
    assert row["行政复议·结果维持"] == report.tables.review.values("review")[0]
    assert row["规章·现行有效件数"] == report.tables.active.values("regulations")[2]
    headers = [c.value for c in workbook["数据汇总"][1]]
    assert len(headers) == 4 + 10 + 25 * 7 + 15
    assert not any("_" in h for h in headers)  # printed names, never internal keys


def test_unreadable_files_get_their_own_sheet_not_a_rank(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    (folder / "empty.txt").write_bytes(b"")
    workbook = scan_to(tmp_path / "list.xlsx", str(folder))
    ranked = rows(workbook["报告排名"])
    assert [r["名次"] for r in ranked] == [1, 2, 3, 4, 5]
    (unread,) = rows(workbook["未能审查的文件"])
    assert unread["文件"].endswith("empty.txt") and unread["规则"] == "GK901"


def fill(path, statuses: dict[tuple[str, str], tuple[str, str]], target):
    """What an office does in Excel: pick a status, write a note."""
    workbook = load_workbook(path)
    sheet = workbook["整改清单"]
    headers = [c.value for c in sheet[1]]
    for number in range(2, sheet.max_row + 1):
        key = (sheet.cell(number, 1).value, sheet.cell(number, 4).value)
        if key in statuses:
            status, note = statuses[key]
            sheet.cell(number, headers.index("状态") + 1).value = status
            sheet.cell(number, headers.index("整改情况") + 1).value = note
    workbook.save(target)


def test_round_trip_reads_the_offices_statuses_and_notes_back(tmp_path):
    work = tmp_path / "in"
    shutil.copytree(SAMPLES, work)
    scan_to(tmp_path / "整改清单.xlsx", str(work))
    fill(
        tmp_path / "整改清单.xlsx",
        {
            ("策勒乡人民政府", "GK202"): ("已整改", "已补充统计期限"),
            ("策勒乡人民政府", "GK102"): ("已整改", "标题已改为“三、”"),
            ("卞路口乡人民政府", "GK503"): ("说明理由", "本年度未开展社会评议，已在报告中说明"),
            ("大峪镇人民政府", "GK202"): ("不予整改", ""),
        },
        tmp_path / "filled.xlsx",
    )
    cele = work / SEEDS["003"].name  # 策勒乡 really fixes the heading, not the window
    cele.write_text(cele.read_text("utf-8").replace("3、 收到和处理", "三、收到和处理"), "utf-8")
    before = json.loads(run("scan", str(work), "--format", "json", "--jobs", "1")[1])
    scored = {r["unit"]: r["score"] for r in before["reports"]}
    workbook = scan_to(
        tmp_path / "复查.xlsx", str(work), "--baseline", str(tmp_path / "filled.xlsx")
    )
    assert workbook.sheetnames == ["报告排名", "整改清单", "按规则汇总", "已整改", "数据汇总"]
    listed = {(r["单位"], r["规则"]): r for r in rows(workbook["整改清单"])}
    claimed = listed[("策勒乡人民政府", "GK202")]
    assert (
        claimed["复查结果"] == "单位称已整改，复查仍存在"
        and claimed["整改情况"] == "已补充统计期限"
    )
    reasoned = listed[("卞路口乡人民政府", "GK503")]
    assert reasoned["状态"] == "说明理由"
    assert reasoned["复查结果"] == "已接受：说明理由：本年度未开展社会评议，已在报告中说明"
    assert listed[("大峪镇人民政府", "GK202")]["复查结果"] == "已接受：不予整改"
    assert listed[("获嘉县史庄镇", "GK202")]["复查结果"] == "未整改"
    (fixed,) = rows(workbook["已整改"])
    assert (fixed["规则"], fixed["原状态"], fixed["整改情况"]) == (
        "GK102",
        "已整改",
        "标题已改为“三、”",
    )
    ranking = {r["单位"]: r["得分"] for r in rows(workbook["报告排名"])}
    assert (
        ranking["大峪镇人民政府"] == 0 and ranking["卞路口乡人民政府"] == 3
    )  # accepted: not scored
    assert scored["大峪镇人民政府"] == 3  # it scored before the office accepted its finding
    page = tmp_path / "复查.html"
    run("scan", str(work), "--baseline", str(tmp_path / "filled.xlsx"), "-o", str(page), "-j", "1")
    fixed_section = page.read_text("utf-8").split('<section id="fixed">')[1]
    assert "GK102" in fixed_section and "标题已改为“三、”" in fixed_section


def test_a_workbook_that_is_not_a_rectification_list_is_refused_in_one_line(tmp_path):
    other = tmp_path / "other.xlsx"
    scan_to(other, str(SAMPLES))
    workbook = load_workbook(other)
    del workbook["整改清单"]
    workbook.save(other)
    code, _, err = run("scan", str(SAMPLES), "--baseline", str(other))
    assert code == 2 and "识别码" in err and len(err.strip().splitlines()) == 1
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    code, _, err = run("scan", str(SAMPLES), "--baseline", str(broken))
    assert code == 2 and "无法读取基线文件" in err and "Traceback" not in err


def test_english_workbook(tmp_path):
    workbook = scan_to(tmp_path / "list.xlsx", str(SAMPLES), "--lang", "en")
    assert workbook.sheetnames == ["Ranking", "Rectification list", "Summary by rule", "Figures"]
    listed = rows(workbook["Rectification list"])
    assert listed[0]["advice"] and listed[0]["where"].startswith("line ")
