import re

from gkaudit.check.findings import Severity
from gkaudit.check.roster import batch_view, normalise_name, own_names, squeeze
from gkaudit.check.rule import BatchRule
from gkaudit.model.units import infer_unit_type


class OtherUnitNamed(BatchRule):
    """报告中出现名册（或本批）中另一个同类单位的名称。

    **What it does**
    抄袭别单位报告的典型痕迹是留下了对方的名称：乡镇报告中出现另一个乡镇，部门报告中出现另一个部门。
    本单位、其上级、名册上其下属单位以及县人民政府的名称不计；先去掉本单位名称，其中包含的名称不会误
    配。只查找至少三个字的名称，不搜索表格行。部门之间常常协作、互相提及（联合县公安局……），因此在部
    门报告中，另一个部门只在报告讲自己的地方才算：作为句首的主语，或在联系方式句（联系、咨询、电话）
    中。

    **Why**
    国办公开办函〔2021〕30号（明确责任：内容雷同）：报告应由本单位如实编写。

    **Example**
    乙乡人民政府的报告写道“甲乡高度重视政务公开工作”。

    **Use instead**
    “乙乡高度重视政务公开工作。”

    The report names another unit of its own kind from the roster or the batch, the tell of a copied
    report; own, parent and child units and the county government are not counted, and a department
    only where it speaks of itself.
    """

    code = "GK605"
    severity = Severity.ERROR
    cost = 3  # every prose line of every report against every unit name
    title = {"zh": "报告中出现其他单位名称", "en": "another unit named in the report"}
    source = "国办公开办函〔2021〕30号（明确责任：内容雷同）"
    messages = {
        "named": {
            "zh": "第{line}行出现其他单位“{other}”的名称（本报告为{unit}的报告）：“{quote}”",
            "en": "line {line} names another unit, '{other}' (this is the report of {unit}): '{quote}'",
        }
    }

    def check_batch(self, reports, context):
        view = batch_view(reports, context)
        roster = context.roster
        peers = _peers(reports, view, roster)
        finder = _finder(peers)
        for report in reports:
            binding = view.binding(report)
            mine = sorted(own_names(report, binding, roster), key=len, reverse=True)
            kind = _type(binding.unit or report.unit, roster)
            related = {*_related(binding.unit, roster), binding.unit}

            for number, written in report.prose.items():  # neither tables nor the title
                text = squeeze(written)
                if finder is None or next(finder.iter(text), None) is None:
                    continue  # no name here
                for own in mine:
                    text = text.replace(own, "◎")
                hit = next(
                    (
                        (name, peers[name][0])
                        for name in _names_in(text, finder)
                        if _counts(name, peers[name], kind, related, mine)
                        and _mentioned(text, name, kind == "department")
                    ),
                    None,
                )
                if hit:
                    name, unit = hit
                    yield self.finding(
                        "named",
                        report=report,
                        line=number,
                        evidence={"other_unit": unit, "name": name, "quote": _around(text, name)},
                        params={"line": number},
                        other=name,
                        unit=binding.unit or report.unit,
                        quote=_around(squeeze(written), name),
                    )
                    break  # the first mention locates it; one finding a report


def _counts(name, peer, kind, related, mine):
    """Whether naming this peer counts: same kind, not related, not inside an own name."""
    unit, unit_kind = peer
    return unit_kind == kind and unit not in related and not any(name in own for own in mine)


def _finder(names):
    """An Aho-Corasick automaton of the names (None: no names): every name in a line in one
    pass, however many units the roster or the batch has."""
    if not names:
        return None
    import ahocorasick

    finder = ahocorasick.Automaton()
    for name in names:
        finder.add_word(name, len(name))
    finder.make_automaton()
    return finder


def _names_in(text, finder):
    """The names occurring in ``text``, in order of where they end, longest first there."""
    found = sorted((end, -length) for end, length in finder.iter(text))
    for end, minus_length in found:
        yield text[end + 1 + minus_length : end + 1]


SELF_REFERENCE = ("联系", "咨询", "电话", "邮箱", "地址")
SENTENCE_END = re.compile(r"(?<=[。；！？])")
SENTENCE_OPENING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{4}年度?[,，]?)+"
)


def _mentioned(text, name, as_itself_only):
    """``name`` in ``text``; for departments only as the subject of a sentence or in contacts."""
    if name not in text:
        return False
    if not as_itself_only:
        return True
    for sentence in SENTENCE_END.split(text):
        if name not in sentence:
            continue
        opening = SENTENCE_OPENING.sub("", sentence)
        if opening.startswith(name) or any(word in sentence for word in SELF_REFERENCE):
            return True
    return False


def _around(text, name, width=30):
    """The passage around the first mention of ``name``."""
    at = text.find(name)
    start, end = max(0, at - width), at + len(name) + width
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _type(name, roster):
    unit = roster.get(name) if roster and name else None
    return unit.type if unit else infer_unit_type(name)


def _peers(reports, view, roster):
    """Name → (unit, type) of every unit that could be named: roster units, batch units."""
    peers = {}
    if roster:
        for unit in roster.units:
            for name in {*unit.names, *(normalise_name(n) for n in unit.names)}:
                if len(name) >= 3:
                    peers[name] = (unit.name, unit.type)
    for report in reports:
        unit = view.binding(report).unit
        if unit and report.unit and not roster:
            for name in {report.unit, normalise_name(report.unit), unit}:
                if len(name) >= 3:
                    peers.setdefault(name, (unit, infer_unit_type(report.unit)))
    return {name: peer for name, peer in peers.items() if peer[1] != "county"}


def _related(unit, roster):
    if not roster or not unit:
        return set()
    entry = roster.get(unit)
    related = {child.name for child in roster.children(unit)}
    if entry and entry.parent:
        related.add(entry.parent)
    return related
