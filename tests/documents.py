"""Real documents built from a seed report's text: .docx (python-docx), a saved web page,
and .pdf / .doc through LibreOffice. Merged label cells are made the way Word exports them."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

from gkaudit.normalise import Line, is_numeric_cell, normalise


def blocks(text: str) -> list[tuple[str, list[Line]]]:
    """Runs of text lines and of table rows, in order."""
    result: list[tuple[str, list[Line]]] = []
    for line in normalise(text):
        kind = "table" if line.is_row and "\t" in line.text else "text"
        if result and result[-1][0] == kind == "table":
            result[-1][1].append(line)
        else:
            result.append((kind, [line]))
    return result


def grid(rows: list[Line]) -> list[list[str]]:
    cells = [[cell.text for cell in row.cells or ()] for row in rows]
    width = max(len(row) for row in cells)
    return [row + [""] * (width - len(row)) for row in cells]


def vertical_runs(table: list[list[str]]) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of label cells whose empty cells below were merged away."""
    runs = []
    for column in range(len(table[0])):
        row = 0
        while row < len(table):
            label = table[row][column]
            end = row
            while end + 1 < len(table) and not table[end + 1][column]:
                end += 1
            if label and not is_numeric_cell(label) and end > row and column < 2:
                runs.append((column, row, end))
            row = end + 1
    return runs


def to_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for kind, lines in blocks(text):
        if kind == "text":
            for line in lines:
                document.add_paragraph(line.text)
            continue
        cells = grid(lines)
        table = document.add_table(rows=len(cells), cols=len(cells[0]))
        table.style = "Table Grid"  # ruled, so that a PDF made from it has table borders
        for r, row in enumerate(cells):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        for column, first, last in vertical_runs(cells):
            table.cell(first, column).merge(table.cell(last, column))
    document.save(str(path))
    return path


def to_html(text: str, path: Path) -> Path:
    parts = [
        '<!DOCTYPE html><html><head><meta charset="gb18030"><title>政务公开</title>',
        "<script>var tracker = 1;</script><style>td{border:1px solid}</style></head><body>",
        "<nav>首页 | 政务公开 | 年度报告</nav><div class='main'><div class='article'>",
    ]
    for kind, lines in blocks(text):
        if kind == "text":
            parts.extend(f"<p>{html.escape(line.text)}</p>" for line in lines)
            continue
        cells = grid(lines)
        covered = {
            (r, c) for c, first, last in vertical_runs(cells) for r in range(first + 1, last + 1)
        }
        spans = {(first, c): last - first + 1 for c, first, last in vertical_runs(cells)}
        parts.append("<table>")
        for r, row in enumerate(cells):
            parts.append("<tr>")
            for c, value in enumerate(row):
                if (r, c) in covered:
                    continue
                rowspan = f' rowspan="{spans[(r, c)]}"' if (r, c) in spans else ""
                parts.append(f"<td{rowspan}>{html.escape(value)}</td>")
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("</div></div><div class='footer'>版权所有 县人民政府办公室</div></body></html>")
    path.write_bytes("\n".join(parts).encode("gb18030"))
    return path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, extension: str, folder: Path) -> Path:
    """Convert with LibreOffice (pdf, doc); the caller makes sure soffice exists."""
    command = [
        soffice(), "--headless", "--norestore", f"-env:UserInstallation=file://{folder}/lo-profile",
        "--convert-to", extension, "--outdir", str(folder), str(source),
    ]  # fmt: skip
    subprocess.run(command, capture_output=True, timeout=180, check=True)
    target = folder / f"{source.stem}.{extension}"
    assert target.exists(), f"LibreOffice did not write {target}"
    return target
