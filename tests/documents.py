"""Real documents built from a report's blocks (tests/layouts.py; a seed's come from its JSON):
.docx (python-docx), a saved web page, and .pdf / .doc through LibreOffice. Nothing here imports
the package under test.

Merged cells are made the way Word exports the form: a row shorter than its table ends in a cell
spanning the rest of the row (第二十条第（一）项 over four columns), and a label in one of the
first two columns with only blank cells below it spans those rows (三、本年度办理结果 over its
result rows). Blank cells the seed shows stay blank cells.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

from layouts import Block, split_blocks

NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
LABEL_COLUMNS = 2  # the columns whose labels Word merges downwards


def as_blocks(source: str | list[Block]) -> list[Block]:
    """Blocks as given, or read from a text in one of the seeds' layouts."""
    return split_blocks(source) if isinstance(source, str) else source


def rectangle(rows: list[list[str]]) -> tuple[list[list[str]], list[int]]:
    """The rows padded to the table's width, and each row's own length (where its span starts)."""
    width = max(len(row) for row in rows)
    return [row + [""] * (width - len(row)) for row in rows], [len(row) for row in rows]


def vertical_runs(table: list[list[str]]) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of label cells with only blank cells below them."""
    runs = []
    for column in range(min(LABEL_COLUMNS, len(table[0]))):
        row = 0
        while row < len(table):
            label = table[row][column]
            end = row
            while end + 1 < len(table) and not table[end + 1][column]:
                end += 1
            if label and not NUMBER.fullmatch(label.strip()) and end > row:
                runs.append((column, row, end))
            row = end + 1
    return runs


def horizontal_spans(lengths: list[int], width: int) -> list[tuple[int, int]]:
    """(row, first column) of rows shorter than the table: their last cell spans the rest."""
    return [(row, length - 1) for row, length in enumerate(lengths) if 0 < length < width]


def to_docx(source: str | list[Block], path: Path) -> Path:
    import docx

    document = docx.Document()
    for block in as_blocks(source):
        if block["kind"] == "paragraph":
            document.add_paragraph(block["text"])
            continue
        cells, lengths = rectangle(block["rows"])
        width = len(cells[0])
        table = document.add_table(rows=len(cells), cols=width)
        table.style = "Table Grid"  # ruled, so that a PDF made from it has table borders
        grid = [row.cells for row in table.rows]  # table.cell() rescans the table: slow
        for row, values in zip(grid, cells, strict=True):
            for cell, value in zip(row, values, strict=True):
                if value:
                    cell.text = value
        spanned = set()
        for r, first in horizontal_spans(lengths, width):
            grid[r][first].merge(
                grid[r][width - 1]
            )  # leaves the cells left of the span as they are
            spanned.update((r, c) for c in range(first, width))
        for column, first, last in vertical_runs(cells):
            if not any((r, column) in spanned for r in range(first, last + 1)):
                grid[first][column].merge(grid[last][column])
    document.save(str(path))
    return path


def to_html(source: str | list[Block], path: Path) -> Path:
    parts = [
        '<!DOCTYPE html><html><head><meta charset="gb18030"><title>政务公开</title>',
        "<script>var tracker = 1;</script><style>td{border:1px solid}</style></head><body>",
        "<nav>首页 | 政务公开 | 年度报告</nav><div class='main'><div class='article'>",
    ]
    for block in as_blocks(source):
        if block["kind"] == "paragraph":
            parts.append(f"<p>{html.escape(block['text'])}</p>")
            continue
        parts.extend(html_table(block["rows"]))
    parts.append("</div></div><div class='footer'>版权所有 县人民政府办公室</div></body></html>")
    path.write_bytes("\n".join(parts).encode("gb18030"))
    return path


def html_table(rows: list[list[str]]) -> list[str]:
    cells, lengths = rectangle(rows)
    width = len(cells[0])
    colspans = dict(horizontal_spans(lengths, width))
    runs = [
        run
        for run in vertical_runs(cells)
        if not any(colspans.get(r, width) <= run[0] for r in range(run[1], run[2] + 1))
    ]
    rowspans = {(first, column): last - first + 1 for column, first, last in runs}
    covered = {(r, c) for c, first, last in runs for r in range(first + 1, last + 1)}
    parts = ["<table>"]
    for r, row in enumerate(cells):
        parts.append("<tr>")
        for c, value in enumerate(row):
            if (r, c) in covered or (r in colspans and c > colspans[r]):
                continue
            attributes = ""
            if (r, c) in rowspans:
                attributes += f' rowspan="{rowspans[(r, c)]}"'
            if colspans.get(r) == c:
                attributes += f' colspan="{width - c}"'
            parts.append(f"<td{attributes}>{html.escape(value)}</td>")
        parts.append("</tr>")
    parts.append("</table>")
    return parts


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, extension: str, folder: Path) -> Path:
    """Convert with LibreOffice (pdf, doc); the caller makes sure soffice exists."""
    return convert_all([source], folder, extension, timeout=180)[0]


def convert_all(
    sources: list[Path],
    folder: Path,
    extension: str = "pdf",
    timeout: float = 600,
    profile: Path | None = None,
) -> list[Path]:
    """All documents converted in one LibreOffice run, written to ``folder`` (LibreOffice's
    user profile in ``profile``, default ``folder/lo-profile``)."""
    profile = profile or folder / "lo-profile"
    command = [
        soffice(), "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
        "--convert-to", extension, "--outdir", str(folder), *map(str, sources),
    ]  # fmt: skip
    subprocess.run(command, capture_output=True, timeout=timeout, check=True)
    targets = [folder / f"{source.stem}.{extension}" for source in sources]
    missing = [target.name for target in targets if not target.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return targets
