"""The type of the reporting unit, inferred from its name (overridable in configuration).

Townships (乡/镇/街道) and county governments must report 工作考核/社会评议/责任追究
(Regulation Art. 50(4)); departments are exempt. Deadlines differ too (Art. 49).
"""

from __future__ import annotations

import re

TOWNSHIP = re.compile(r"(?:乡|镇|街道|街道办事处|苏木)(?:人民政府|政府|办事处)?$")
COUNTY = re.compile(r"(?:县|市|区|旗)(?:人民政府|政府)$")
DEPARTMENT = re.compile(
    r"(?:局|委员会|委|办公室|办公厅|办|中心|院|署|所|队|站|厅|处|会|馆|社|部|公司)$"
)
UNIT_TYPES = ("township", "county", "department")
GOVERNMENTS = ("township", "county")


def infer_unit_type(unit: str | None) -> str:
    """'township', 'county', 'department', or 'unknown' when the name says nothing."""
    if not unit:
        return "unknown"
    name = re.sub(r"\s+", "", unit)
    if TOWNSHIP.search(name):
        return "township"
    if COUNTY.search(name):
        return "county"
    if DEPARTMENT.search(name):
        return "department"
    return "unknown"
