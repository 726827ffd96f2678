"""Take the README's screenshots (docs/img/) from a scan of reports_sample/.

    .venv/bin/python tools/screenshots.py

The HTML report is photographed in headless Chromium; the Word notices are converted to PDF by
LibreOffice and the first page rasterised by pdftoppm; the rectification list (.xlsx) likewise
when LibreOffice Calc is installed, otherwise its 整改清单 sheet is read back with openpyxl and
shown as a table in Chromium (cells, fills and fonts as the workbook has them).
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "img"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]  # fmt: skip


def gkaudit(*args: str, cwd: Path) -> None:
    command = [str(Path(sys.executable).parent / "gkaudit"), *args]
    subprocess.run(command, cwd=cwd, check=False, capture_output=True)


def chromium_png(page: Path, png: Path, size: str, work: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("chromium is needed: apt-get install chromium")
    subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'profile'}",
         f"--screenshot={png}", f"--window-size={size}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def first_page_png(document: Path, png: Path, work: Path) -> bool:
    """LibreOffice → PDF → PNG of page 1; False when LibreOffice cannot open the document."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return False
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(document)],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    pdf = work / (document.stem + ".pdf")
    if not pdf.exists():
        return False
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(png.with_suffix(""))],
        check=True, timeout=120,
    )  # fmt: skip
    return True


def sheet_as_html(workbook: Path, sheet: str, rows: int = 12) -> str:
    """The first rows of a sheet as an HTML table, with the cells' fills and bold fonts."""
    worksheet = load_workbook(workbook)[sheet]
    lines = []
    for row in worksheet.iter_rows(max_row=rows):
        cells = []
        for cell in row:
            colour = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type else None
            style = f"background:#{colour[-6:]};" if isinstance(colour, str) else ""
            style += "font-weight:bold;" if cell.font and cell.font.bold else ""
            value = cell.value.date() if isinstance(cell.value, datetime) else cell.value
            value = "" if value is None else html.escape(str(value))
            cells.append(f'<td style="{style}">{value}</td>')
        lines.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<!doctype html><meta charset="utf-8"><style>body{margin:8px;font:13px sans-serif}'
        "table{border-collapse:collapse}td{border:1px solid #bbb;padding:3px 5px;"
        "max-width:260px;vertical-align:top}</style>"
        f"<p><b>{html.escape(workbook.name)}</b> — {html.escape(sheet)}</p>"
        f"<table>{''.join(lines)}</table>"
    )


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gkaudit-shots-") as folder:
        work = Path(folder)
        shutil.copytree(ROOT / "reports_sample", work / "提交材料")
        gkaudit("scan", "提交材料/", "-o", "审查结果.html", cwd=work)
        gkaudit("scan", "提交材料/", "-o", "整改清单.xlsx", cwd=work)
        gkaudit("scan", "提交材料/", "-o", "整改通知.docx", cwd=work)
        chromium_png(work / "审查结果.html", TARGET / "html-report.png", "1000,760", work)
        if not first_page_png(work / "整改清单.xlsx", TARGET / "rectification-list.png", work):
            page = work / "sheet.html"
            page.write_text(sheet_as_html(work / "整改清单.xlsx", "整改清单"), encoding="utf-8")
            chromium_png(page, TARGET / "rectification-list.png", "1400,520", work)
        first_page_png(work / "整改通知.docx", TARGET / "notice.png", work)
    for png in sorted(TARGET.glob("*.png")):
        print(f"{png.relative_to(ROOT)}: {png.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
