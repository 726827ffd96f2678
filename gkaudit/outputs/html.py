"""The scan as one self-contained HTML page: no network, scripts and styles inline.

The ranking with a chart of each unit's score stacked by severity, then each report's findings
(rule titles beside the codes) next to the source lines they point at; files that could not be
audited are listed apart, never ranked. Filters by severity, rule, unit and text, also from the
address (``#code=GK503&severity=error&unit=…&q=…``); the chart follows them. Anchors are stable
across scans: ``#unit-<unit>-<year>`` for a report, ``#f-<unit anchor>-<fingerprint>`` for a
finding (numbered when the same finding stands on several lines).
Printing drops the controls, starts each unit on a new page and never splits a row.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html import escape

from gkaudit import __version__
from gkaudit.audit.scan import ReportResult, ScanResult, fingerprint
from gkaudit.base import i18n
from gkaudit.base.i18n import FILTERS as FILTERS
from gkaudit.outputs.render import (
    SEVERITY,
    UNIT_TYPES,
    WORDS,
    location,
    rule_title,
    status_text,
    unread_headers,
    unread_rows,
    worst,
)

TITLE = {lang: i18n.text("html.title", lang) for lang in i18n.LANGS}
SEVERITIES = ("error", "warning", "info")
BAR_WIDTH = 360

STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}
th,td{border:1px solid #ccd;padding:4px 8px;vertical-align:top;text-align:left}th{background:#eef2f8}
.error{color:#b00020}.warning{color:#a05a00}.info{color:#235}
.chart{margin:8px 0 16px}.bar-row{display:flex;align-items:center;height:22px;font-size:13px}
.bar-label{width:240px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.bar{display:flex;height:14px}.seg{display:block;height:14px}
.seg.error,.key.error{background:#c62828}.seg.warning,.key.warning{background:#ef8f00}.seg.info,.key.info{background:#5b8def}
.bar-value{margin-left:6px;color:#444}.legend{font-size:12px;color:#444}.key{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}
.seg,.key{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.report{border-top:2px solid #ccd;margin-top:20px}.source{font-family:monospace;white-space:pre-wrap;margin:0;font-size:12px;background:#f7f7f9;padding:4px}
.source span{display:block}.hit{background:#ffe9a8}tr.finding td:nth-child(-n+3){white-space:nowrap}.rule-title{display:block;font-size:12px;color:#555;white-space:normal;min-width:8em}
.filters{position:sticky;top:0;background:#fff;padding:6px 0;border-bottom:1px solid #ccd}.filters select{max-width:20em}.filters label{margin-right:12px}
.accepted{color:#666;font-style:italic}.hidden{display:none}
@media print{
  @page{size:A4;margin:12mm}
  body{margin:0;font-size:11px}.filters,.no-print{display:none}th,td{padding:2px 5px}
  .source{font-size:10px;padding:2px}.source span:not(.hit){display:none}.hit{background:none}
  section.report,section#unread,section#fixed{break-before:page}
  tr,.bar-row,pre.source{break-inside:avoid}thead{display:table-header-group}
  a{color:inherit;text-decoration:none}
}
"""

SCRIPT = """
(function(){
  var data = JSON.parse(document.getElementById('gkaudit-data').textContent);
  function $(id){ return document.getElementById(id); }
  function apply(){
    var shown=0, sev={}, code=$('code').value, unit=$('unit').value, q=$('q').value.trim().toLowerCase(), tally={};
    document.querySelectorAll('.filters input[type=checkbox]').forEach(function(b){sev[b.value]=b.checked;});
    document.querySelectorAll('tr.finding').forEach(function(row){
      var ok=sev[row.dataset.severity] && (!code || row.dataset.code===code) && (!unit || row.dataset.unit===unit)
        && (!q || row.dataset.text.indexOf(q)>=0);
      row.classList.toggle('hidden', !ok);
      if(ok){
        shown++;
        if(!row.dataset.accepted){ var t=tally[row.dataset.unit]=tally[row.dataset.unit]||{}; t[row.dataset.severity]=(t[row.dataset.severity]||0)+1; }
      }
    });
    document.querySelectorAll('section.report').forEach(function(s){
      var all=s.querySelectorAll('tr.finding').length, visible=s.querySelectorAll('tr.finding:not(.hidden)').length;
      s.classList.toggle('hidden', (unit && s.dataset.unit!==unit) || (all>0 && visible===0));
    });
    document.querySelectorAll('#ranking tr[data-unit]').forEach(function(r){ r.classList.toggle('hidden', !!unit && r.dataset.unit!==unit); });
    var rows=[], top=0;
    document.querySelectorAll('.bar-row').forEach(function(r){
      var t=tally[r.dataset.unit]||{}, total=0;
      data.severities.forEach(function(s){ total+=(t[s]||0)*data.weights[s]; });
      var keep=!unit || r.dataset.unit===unit;
      r.classList.toggle('hidden', !keep);
      if(keep){ rows.push([r,t,total]); top=Math.max(top,total); }
    });
    rows.forEach(function(item){
      item[0].querySelectorAll('.seg').forEach(function(seg){
        var s=seg.dataset.severity, value=(item[1][s]||0)*data.weights[s];
        seg.style.width=(top? data.width*value/top : 0).toFixed(1)+'px';
      });
      item[0].querySelector('.bar-value').textContent=Math.round(item[2]*100)/100;
    });
    $('shown').textContent=shown;
  }
  var preset = new URLSearchParams(location.hash.slice(1));
  ['code','unit','q'].forEach(function(key){ if (preset.get(key)) { $(key).value = preset.get(key); } });
  if (preset.get('severity')) {
    var keep = preset.get('severity').split(',');
    document.querySelectorAll('.filters input[type=checkbox]').forEach(function(b){b.checked = keep.indexOf(b.value) >= 0;});
  }
  document.querySelectorAll('.filters input, .filters select').forEach(function(e){
    e.addEventListener(e.type==='search' ? 'input' : 'change', apply);
  });
  apply();
  document.body.dataset.ready='1';
})();
"""


def render_html(scan: ScanResult, lang: str = "zh") -> bytes:
    scan = scan.materialised()  # the page refers to each report several times
    w = WORDS[lang]
    anchors = unit_anchors(scan)
    codes = sorted({finding.code for _, finding in scan.findings})
    ranked = list(scan.ranked)
    compared = any(getattr(report, "comparison", None) for report in ranked)
    if compared:  # the year-on-year comparisons of paired units (gkaudit.check.compare)
        from gkaudit.check.compare import YOY_SCRIPT, YOY_STYLE
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{escape(TITLE[lang])}</title><style>{STYLE}{YOY_STYLE if compared else ''}</style></head><body>",
        f"<h1>{escape(TITLE[lang])}</h1>",
        f"<p>gkaudit {escape(__version__)} · {escape(_totals(scan, lang))}</p>",
        _filters(scan, codes, ranked, anchors, lang),
        f"<h2>{escape(w['ranking'])}</h2>",
        _chart(scan, ranked, anchors, lang),
        _ranking(ranked, anchors, lang),
        f'<h2 class="no-print">{escape(w["findings"])}</h2>',
    ]
    parts.extend(_report_section(scan, report, anchors[id(report)], lang) for report in ranked)
    if scan.unread:
        parts.append(_unread_section(scan, lang))
    if scan.fixed:
        parts.append(_fixed_section(scan, lang))
    data = {"reports": len(ranked), "weights": scan.weights, "severities": list(SEVERITIES),
            "width": BAR_WIDTH}  # fmt: skip
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    parts.append(f'<script type="application/json" id="gkaudit-data">{payload}</script>')
    parts.append(f"<script>{SCRIPT}{YOY_SCRIPT if compared else ''}</script></body></html>")
    return "\n".join(parts).encode("utf-8")


TOTALS = {
    lang: (i18n.text("html.totals", lang), i18n.text("html.unread_totals", lang))
    for lang in i18n.LANGS
}


def _totals(scan: ScanResult, lang: str) -> str:
    ranked, unread = TOTALS[lang]
    findings = sum(len(report.counted) for report in scan.ranked)
    text = ranked.format(reports=len(scan.ranked), findings=findings)
    return text + (unread.format(unread=len(scan.unread)) if scan.unread else "")


def unit_anchors(scan: ScanResult) -> dict[int, str]:
    """A stable anchor per report: ``unit-<unit>-<year>``, numbered when a unit has two."""
    anchors: dict[int, str] = {}
    taken: set[str] = set()
    for report in scan.reports:
        base = "unit-" + re.sub(r"[\s\"'<>&#?/]+", "_", report.subject)
        if report.year:
            base += f"-{report.year}"
        anchor, number = base, 2
        while anchor in taken:
            anchor, number = f"{base}-{number}", number + 1
        taken.add(anchor)
        anchors[id(report)] = anchor
    return anchors


def _filters(
    scan: ScanResult,
    codes: list[str],
    ranked: list[ReportResult],
    anchors: dict[int, str],
    lang: str,
) -> str:
    f = FILTERS[lang]
    boxes = "".join(
        f'<label class="{s}"><input type="checkbox" value="{s}" checked> {escape(SEVERITY[lang][s])}</label>'
        for s in SEVERITIES
    )
    code_options = "".join(
        f'<option value="{escape(code)}">{escape(code)} {escape(rule_title(scan, code, lang))}</option>'
        for code in codes
    )
    unit_options = "".join(
        f'<option value="{escape(anchors[id(r)])}">{escape(r.subject)}{f" {r.year}" if r.year else ""}</option>'
        for r in ranked
    )
    return (
        f'<div class="filters no-print">{escape(f["severity"])}: {boxes} '
        f'<label>{escape(f["code"])}: <select id="code"><option value="">{escape(f["all_codes"])}</option>{code_options}</select></label>'
        f'<label>{escape(f["unit"])}: <select id="unit"><option value="">{escape(f["all_units"])}</option>{unit_options}</select></label>'
        f'<label>{escape(f["search"])}: <input type="search" id="q" placeholder="{escape(f["placeholder"])}"></label>'
        f'{escape(f["showing"])} <span id="shown"></span></div>'
    )


def _tally(report: ReportResult) -> dict[str, int]:
    shown = [finding for finding in report.findings if not finding.accepted]
    return {s: sum(1 for finding in shown if finding.severity.value == s) for s in SEVERITIES}


def _chart(
    scan: ScanResult, ranked: list[ReportResult], anchors: dict[int, str], lang: str
) -> str:
    """Each unit's score from its shown findings, one segment per severity (the script redraws
    it as the filters change; this is what prints and what shows without scripts)."""
    weights = scan.weights
    totals = {id(r): {s: n * weights[s] for s, n in _tally(r).items()} for r in ranked}
    top = max((sum(parts.values()) for parts in totals.values()), default=0)
    legend = "".join(
        f'<span class="key {s}"></span>{escape(SEVERITY[lang][s])}' for s in SEVERITIES
    )
    rows = []
    for report in ranked:
        parts = totals[id(report)]
        segments = "".join(
            f'<i class="seg {s}" data-severity="{s}" style="width:{(BAR_WIDTH * parts[s] / top if top else 0):.1f}px"></i>'
            for s in SEVERITIES
        )
        rows.append(
            f'<div class="bar-row" data-unit="{escape(anchors[id(report)])}">'
            f'<span class="bar-label">{report.rank}. {escape(report.subject)}</span>'
            f'<span class="bar">{segments}</span>'
            f'<span class="bar-value">{_number(sum(parts.values()))}</span></div>'
        )
    return (
        f'<div class="chart" role="img" aria-label="{escape(FILTERS[lang]["chart"])}">'
        f'<div class="legend">{escape(FILTERS[lang]["chart"])}{legend}</div>{"".join(rows)}</div>'
    )


def _ranking(ranked: list[ReportResult], anchors: dict[int, str], lang: str) -> str:
    w = WORDS[lang]
    head = "".join(
        f"<th>{escape(w[key])}</th>"
        for key in ("rank", "unit", "year", "type", "error", "warning", "info", "score", "worst")
    )
    body = "".join(
        f'<tr data-unit="{escape(anchors[id(report)])}">'
        f'<td>{report.rank}</td><td><a href="#{escape(anchors[id(report)])}">{escape(report.subject)}</a>{_yoy_link(report, anchors[id(report)], lang)}</td>'
        f"<td>{report.year or ''}</td><td>{escape(UNIT_TYPES[lang].get(report.unit_type, report.unit_type))}</td>"
        f'<td class="error">{report.count("error")}</td><td class="warning">{report.count("warning")}</td>'
        f'<td class="info">{report.count("info")}</td><td>{report.score:g}</td><td>{escape(worst(report))}</td>'
        "</tr>"
        for report in ranked
    )
    return f'<table id="ranking"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _report_section(scan: ScanResult, report: ReportResult, anchor: str, lang: str) -> str:
    w = WORDS[lang]
    header = (
        f'<section class="report" id="{escape(anchor)}" data-unit="{escape(anchor)}">'
        f"<h3>{report.rank}. {escape(report.subject)} "
        f"<small>{escape(report.path)} · {escape(w['score'])} {report.score:g}</small></h3>"
    )
    if not report.findings:
        return f"{header}<p>{escape(w['none'])}</p>{_yoy(report, anchor, lang)}</section>"
    with_status = any(finding.accepted or finding.status for finding in report.findings)
    keys = ("where", "code", "severity", "message") + (("status",) if with_status else ())
    head = "".join(f"<th>{escape(w[key])}</th>" for key in keys)
    rows = []
    identities: Counter[str] = Counter()
    for finding in report.findings:
        severity = finding.severity.value
        css = "accepted" if finding.accepted else severity
        accepted = ' data-accepted="1"' if finding.accepted else ""
        where = location(finding, lang) if finding.line or getattr(finding, "page", None) else ""
        title = rule_title(scan, finding.code, lang)
        text = " ".join((finding.code, title, finding.message(lang), report.subject, report.path))
        identity = f"{anchor}-{fingerprint(report, finding)}"
        identities[identity] += 1
        if identities[identity] > 1:  # the same finding on another line of the same report
            identity += f"-{identities[identity]}"
        rows.append(
            f'<tr class="finding {css}" id="f-{identity}" data-severity="{severity}" '
            f'data-code="{escape(finding.code)}" data-unit="{escape(anchor)}"{accepted} '
            f'data-text="{escape(text.lower())}">'
            f"<td>{escape(where)}</td>"
            f'<td>{escape(finding.code)}<span class="rule-title">{escape(title)}</span></td>'
            f"<td>{escape(SEVERITY[lang][severity])}</td>"
            f"<td>{escape(finding.message(lang))}{_excerpt(report, finding.line)}</td>"
            + (f"<td>{escape(status_text(finding, lang))}</td>" if with_status else "")
            + "</tr>"
        )
    return (
        f"{header}<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{_yoy(report, anchor, lang)}</section>"
    )


def _yoy_link(report: ReportResult, anchor: str, lang: str) -> str:
    if getattr(report, "comparison", None) is None:
        return ""
    from gkaudit.check.compare import yoy_link

    return yoy_link(report.comparison, anchor, lang)


def _yoy(report: ReportResult, anchor: str, lang: str) -> str:
    """The unit's year-on-year comparison, collapsed (gkaudit.check.compare.yoy_section)."""
    if getattr(report, "comparison", None) is None:
        return ""
    from gkaudit.check.compare import yoy_section

    return yoy_section(report.comparison, anchor, lang)


def _unread_section(scan: ScanResult, lang: str) -> str:
    """Files that could not be audited (GK901) or are not reports (GK902): listed, not ranked."""
    w = WORDS[lang]
    head = "".join(f"<th>{escape(name)}</th>" for name in unread_headers(lang))
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(value))}</td>" for value in row) + "</tr>"
        for row in unread_rows(scan, lang)
    )
    return (
        f'<section id="unread"><h2>{escape(w["unread"])}</h2>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>"
    )


def _fixed_section(scan: ScanResult, lang: str) -> str:
    """Findings of the baseline not found again (已整改), with what the office had noted."""
    w = WORDS[lang]
    head = "".join(
        f"<th>{escape(w[key])}</th>" for key in ("unit", "code", "message", "office", "remark")
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(value or ''))}</td>"
            for value in (
                entry.get("unit"),
                entry.get("code"),
                entry.get("message"),
                entry.get("office", {}).get("status"),
                entry.get("office", {}).get("note"),
            )
        )
        + "</tr>"
        for entry in scan.fixed
    )
    return (
        f'<section id="fixed"><h2>{escape(w["fixed"])}</h2>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>"
    )


def _excerpt(report: ReportResult, line: int | None) -> str:
    if not line or not report.excerpts:
        return ""
    numbers = [n for n in sorted(report.excerpts) if abs(n - line) <= 2]
    if not numbers:
        return ""
    lines = []
    for number in numbers:
        text = escape(report.excerpts[number].replace("\t", " | "))
        css = ' class="hit"' if number == line else ""
        lines.append(f"<span{css}>{number:>5}  {text}</span>")
    return f'<pre class="source">{"".join(lines)}</pre>'


def _number(value: float) -> str:
    return f"{value:g}"
