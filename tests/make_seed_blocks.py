"""Write tests/data/seed_blocks/<seed>.json from reports_sample/*.txt (kept as documentation).

    python tests/make_seed_blocks.py

Each file holds the seed's blocks (``layouts.split_blocks``, no gkaudit involved) and the
values of its three tables, taken from the grids in the national form's order: Table A by row
label, Table B as the 25 rows of seven numbers between 申请人情况 and 行政复议, Table C as the
fifteen numbers after 行政复议. The output was checked by eye against the seed texts and against
tests/test_seeds.py; the tests read the JSON, never this script.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from layouts import SEED_BLOCKS, Block, split_blocks

ROOT = Path(__file__).resolve().parent.parent
# Table A rows as the 2021 form prints them; cele writes 规范性文件 for 行政规范性文件.
ACTIVE_LABELS = {
    "规章": "规章",
    "行政规范性文件": "行政规范性文件",
    "规范性文件": "行政规范性文件",
    "行政许可": "行政许可",
    "行政处罚": "行政处罚",
    "行政强制": "行政强制",
    "行政事业性收费": "行政事业性收费",
}
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def number(cell: str) -> int | float:
    value = float(cell)
    return int(value) if value.is_integer() else value


def numbers(row: list[str]) -> list[int | float]:
    return [number(cell.strip()) for cell in row if NUMBER.fullmatch(cell.strip())]


def table_values(blocks: list[Block]) -> dict:
    rows = [row for block in blocks if block["kind"] == "table" for row in block["rows"]]
    active: dict[str, list] = {}
    requests: list[list] = []
    review: list = []
    part = "active"
    for row in rows:
        text = "".join(row)
        if "申请人情况" in text:
            part = "requests"
        elif "行政复议" in text and part == "requests":
            part = "review"
        label = next((cell.strip() for cell in row if cell.strip()), "")
        if part == "active" and label in ACTIVE_LABELS:
            active[ACTIVE_LABELS[label]] = numbers(row)
        elif part == "requests" and len(numbers(row)) == 7:
            requests.append(numbers(row))
        elif part == "review":
            review.extend(numbers(row))
    return {"active": active, "requests": requests, "review": review}


def to_json(document: dict) -> str:
    """JSON with one block, one table row or one value row per line, to be read by eye."""

    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{", f' "seed": {dump(document["seed"])},', ' "blocks": [']
    for index, block in enumerate(document["blocks"]):
        comma = "," if index < len(document["blocks"]) - 1 else ""
        if block["kind"] == "paragraph":
            lines.append(f"  {dump(block)}{comma}")
            continue
        rows = ",\n".join(f"   {dump(row)}" for row in block["rows"])
        lines.append(f'  {{"kind": "table", "rows": [\n{rows}\n  ]}}{comma}')
    values = document["values"]
    requests = ",\n".join(f"   {dump(row)}" for row in values["requests"])
    lines += [
        " ],",
        ' "values": {',
        f'  "active": {dump(values["active"])},',
        f'  "requests": [\n{requests}\n  ],',
        f'  "review": {dump(values["review"])}',
        " }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    SEED_BLOCKS.mkdir(parents=True, exist_ok=True)
    for seed in sorted((ROOT / "reports_sample").glob("*.txt")):
        blocks = split_blocks(seed.read_text("utf-8"))
        values = table_values(blocks)
        assert len(values["active"]) == 6, (seed.name, values["active"])
        assert len(values["requests"]) == 25, (seed.name, len(values["requests"]))
        assert len(values["review"]) == 15, (seed.name, values["review"])
        document = {"seed": seed.name, "blocks": blocks, "values": values}
        target = SEED_BLOCKS / f"{seed.stem}.json"
        target.write_text(to_json(document), "utf-8")
        print(f"{target}: {len(blocks)} blocks", file=sys.stderr)


if __name__ == "__main__":
    main()
