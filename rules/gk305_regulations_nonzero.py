from gkaudit.findings import Severity
from gkaudit.rule import Rule

UNIT_NAMES = {
    "township": {"zh": "乡镇（街道）", "en": "a township"},
    "department": {"zh": "县级部门", "en": "a county department"},
}


class RegulationsNonZero(Rule):
    """规章 is non-zero in the report of a township or a county department.

    Only State Council departments and the governments of provinces and larger cities may
    make 规章 (《立法法》第九十一条、第九十三条). A township or county department has none
    to make, repeal or keep in force: a number there is a 规范性文件 counted in the wrong
    row, or a copied table. The unit type is inferred from the name (configurable).

    Fails: a 乡人民政府 report with ``规章\\t1\\t0\\t1``.
    """

    code = "GK305"
    severity = Severity.ERROR
    title = {"zh": "乡镇或部门的规章数不为零", "en": "规章 non-zero for a township or department"}
    source = "《中华人民共和国立法法》第九十一条、第九十三条；国办公开办函〔2021〕30号 表二"
    advice = {
        "zh": "乡镇、部门无权制定规章，规章各项应填0；如确有误填请改正。",
        "en": "Townships and departments cannot make 规章: the row must be zero.",
    }
    messages = {
        "nonzero": {
            "zh": "{unit}无权制定规章，但“规章”行为{values}",
            "en": "{unit} cannot make 规章, yet the 规章 row reads {values}",
        }
    }

    def check(self, report, context):
        table = report.tables.active
        unit_type = context.unit_type
        if unit_type == "unknown":
            unit_type = report.facts.unit_type  # a nameless report calling itself 我镇
        if table is None or unit_type not in UNIT_NAMES or "regulations" not in table.rows:
            return
        row = table.rows["regulations"]
        if any(value for value in row.values if value):
            values = " / ".join("·" if v is None else str(v) for v in row.values)
            yield self.finding(
                "nonzero",
                line=row.line,
                evidence={"values": row.values},
                unit=UNIT_NAMES[unit_type],
                # the type read from 我镇 in the text, not the unit's name: less sure
                severity=None if unit_type == context.unit_type else Severity.WARNING,
                values=values,
            )
