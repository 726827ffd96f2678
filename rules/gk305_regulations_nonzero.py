from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule

UNIT_NAMES = {
    "township": {"zh": "乡镇（街道）", "en": "a township"},
    "department": {"zh": "县级部门", "en": "a county department"},
}


class RegulationsNonZero(Rule):
    """乡镇（街道）或县级部门的报告在“规章”行填了数字。

    **What it does**
    单位为乡镇（街道）或县级部门时，“主动公开政府信息情况”表“规章”行应全为0。
    单位类型按名称推断（可在配置中指定）；标题没有单位名称、正文至少两次自称“我镇”“我乡”“本街道”的，
    按乡镇判断，但只作警告。

    **Why**
    只有国务院部门和省、设区的市人民政府可以制定规章（《立法法》第九十一条、第九十三条）；
    这些单位填的数字多半是把规范性文件填错了行，或照抄了别的表格。

    **Example**
    某乡人民政府报告：规章 1 0 1。

    **Use instead**
    规章 0 0 0；行政规范性文件填在“行政规范性文件”行。

    **Options**
    单位类型：配置 ``unit-types``。

    规章 is non-zero in the report of a township or a county department.
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
        row = table.rows.get("regulations") if table else None
        if row is None or not any(value for value in row.values if value):
            return  # nothing to report whatever the unit (its type is read only when needed)
        unit_type = context.unit_type
        if unit_type == "unknown":
            unit_type = report.facts.unit_type  # a nameless report calling itself 我镇
        if unit_type in UNIT_NAMES:
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
