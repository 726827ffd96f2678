"""Batches across documents built from the seeds: a previous year, a copy, a broken chain."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import SAMPLES

DAYU = (SAMPLES / "dayu-town-2024.txt").read_text("utf-8")
BIANLUKOU = (SAMPLES / "bianlukou-township-2024.txt").read_text("utf-8")
CELE = (SAMPLES / "cele-township-2024.txt").read_text("utf-8")


def years_back(text: str) -> str:
    """The same report a year earlier: every year 20xx moved back by one."""
    return re.sub(r"20(\d\d)", lambda m: f"20{int(m.group(1)) - 1:02d}", text)


def set_row(text: str, label: str, values: list[int]) -> str:
    """Replace the numbers of the tab-separated table row starting with ``label``."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.startswith(label):
            cells = line.split("\t")
            numbers = iter(values)
            for position, cell in enumerate(cells[1:], start=1):
                if re.fullmatch(r"\d+", cell.strip()):
                    cells[position] = str(next(numbers, cell))
            lines[index] = "\t".join(cells)
            return "\n".join(lines)
    raise AssertionError(f"no row {label}")


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, "utf-8")
    return path


CARRIED_FORWARD = "四、结转下年度继续办理"
NORMATIVE = "行政规范性文件"
ROSTER = """名称,别名,类型,上级,汇总
大峪镇人民政府,大峪镇,乡镇,,
卞路口乡人民政府,,乡镇,,
新庄乡人民政府,新庄乡,乡镇,,
策勒乡人民政府,,乡镇,,
石门乡人民政府,,乡镇,,
"""


def copied_report() -> str:
    """卞路口乡's report passed off as 新庄乡's, with one 卞路口乡 left in the text."""
    text = BIANLUKOU.replace("卞路口乡", "新庄乡")
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if "新庄乡" in line and index > 5 and len(line) > 30:
            lines[index] = line.replace("新庄乡", "卞路口乡", 1)
            break
    return "\n".join(lines)
