"""The scan as one self-contained HTML page: no network, scripts and styles inline.

The ranking with a bar chart of scores, then each report's findings beside the source lines
they point at; filters by severity and code (also from the address: ``#code=GK503&severity=error``).
"""

from __future__ import annotations

import json
from html import escape

from gkaudit import __version__
from gkaudit.outputs import SEVERITY, UNIT_TYPES, WORDS, status_text, worst
from gkaudit.scan import ReportResult, ScanResult

TITLE = {"zh": "政府信息公开工作年度报告审查结果", "en": "Annual report audit results"}
FILTERS = {
    "zh": ("级别", "规则", "全部规则", "显示"),
    "en": ("severity", "rule", "all rules", "showing"),
}
BAR_WIDTH = 360

STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}
th,td{border:1px solid #ccd;padding:4px 8px;vertical-align:top;text-align:left}th{background:#eef2f8}
.error{color:#b00020}.warning{color:#a05a00}.info{color:#235}.bar{fill:#4a78c2}.bar-label{font-size:12px}
.report{border-top:2px solid #ccd;margin-top:20px}.source{font-family:monospace;white-space:pre-wrap;margin:0;font-size:12px;background:#f7f7f9;padding:4px}
.hit{background:#ffe9a8}tr.finding td:nth-child(-n+3){white-space:nowrap}.filters label{margin-right:12px}.accepted{color:#666;font-style:italic}.hidden{display:none}
"""

SCRIPT = """
(function(){
  function apply(){
    var shown=0, sev={}, code=document.getElementById('code').value;
    document.querySelectorAll('.filters input[type=checkbox]').forEach(function(b){sev[b.value]=b.checked;});
    document.querySelectorAll('tr.finding').forEach(function(row){
      var ok=sev[row.dataset.severity] && (!code || row.dataset.code===code);
      row.classList.toggle('hidden', !ok); if(ok){shown++;}
    });
    document.querySelectorAll('section.report').forEach(function(s){
      s.classList.toggle('hidden', s.querySelectorAll('tr.finding:not(.hidden)').length===0 && s.querySelectorAll('tr.finding').length>0);
    });
    document.getElementById('shown').textContent=shown;
  }
  var preset = new URLSearchParams(location.hash.slice(1));
  if (preset.get('code')) { document.getElementById('code').value = preset.get('code'); }
  if (preset.get('severity')) {
    var keep = preset.get('severity').split(',');
    document.querySelectorAll('.filters input[type=checkbox]').forEach(function(b){b.checked = keep.indexOf(b.value) >= 0;});
  }
  document.querySelectorAll('.filters input, .filters select').forEach(function(e){e.addEventListener('change', apply);});
  apply();
  document.body.dataset.ready='1';
})();
"""


def render_html(scan: ScanResult, lang: str = "zh") -> bytes:
    w = WORDS[lang]
    codes = sorted({finding.code for _, finding in scan.findings})
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{escape(TITLE[lang])}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(TITLE[lang])}</h1>",
        f"<p>gkaudit {escape(__version__)} · {len(scan.reports)} {escape(w['reports'])} · "
        f"{sum(len(r.counted) for r in scan.reports)} {escape(w['count'])}</p>",
        _filters(codes, lang),
        f"<h2>{escape(w['ranking'])}</h2>",
        _chart(scan.reports),
        _ranking(scan.reports, lang),
    ]
    parts.append(f"<h2>{escape(w['findings'])}</h2>")
    parts.extend(_report_section(report, lang) for report in scan.reports)
    data = json.dumps({"reports": len(scan.reports)}, ensure_ascii=False)
    parts.append(f'<script type="application/json" id="gkaudit-data">{escape(data)}</script>')
    parts.append(f"<script>{SCRIPT}</script></body></html>")
    return "\n".join(parts).encode("utf-8")


def _filters(codes: list[str], lang: str) -> str:
    severity_label, code_label, all_codes, showing = FILTERS[lang]
    boxes = "".join(
        f'<label class="{s}"><input type="checkbox" value="{s}" checked> {escape(SEVERITY[lang][s])}</label>'
        for s in ("error", "warning", "info")
    )
    options = "".join(f'<option value="{escape(code)}">{escape(code)}</option>' for code in codes)
    return (
        f'<div class="filters">{escape(severity_label)}: {boxes} {escape(code_label)}: '
        f'<select id="code"><option value="">{escape(all_codes)}</option>{options}</select> '
        f'{escape(showing)} <span id="shown"></span></div>'
    )


def _chart(reports: list[ReportResult]) -> str:
    top = max((report.score for report in reports), default=0) or 1
    height = 22
    rows = []
    for position, report in enumerate(reports):
        y = position * height
        width = BAR_WIDTH * report.score / top
        label = escape(f"{report.rank}. {report.subject}")
        rows.append(
            f'<text class="bar-label" x="0" y="{y + 15}">{label}</text>'
            f'<rect class="bar" x="220" y="{y + 4}" width="{width:.1f}" height="{height - 8}"></rect>'
            f'<text class="bar-label" x="{226 + width:.1f}" y="{y + 15}">{report.score:g}</text>'
        )
    total_height = max(height, height * len(reports))
    return (
        f'<svg role="img" width="{220 + BAR_WIDTH + 60}" height="{total_height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>'
    )


def _ranking(reports: list[ReportResult], lang: str) -> str:
    w = WORDS[lang]
    head = "".join(
        f"<th>{escape(w[key])}</th>"
        for key in ("rank", "unit", "year", "type", "error", "warning", "info", "score", "worst")
    )
    body = "".join(
        "<tr>"
        f'<td>{report.rank}</td><td><a href="#r{report.rank}">{escape(report.subject)}</a></td>'
        f"<td>{report.year or ''}</td><td>{escape(UNIT_TYPES[lang].get(report.unit_type, report.unit_type))}</td>"
        f'<td class="error">{report.count("error")}</td><td class="warning">{report.count("warning")}</td>'
        f'<td class="info">{report.count("info")}</td><td>{report.score:g}</td><td>{escape(worst(report))}</td>'
        "</tr>"
        for report in reports
    )
    return f'<table id="ranking"><tr>{head}</tr>{body}</table>'


def _report_section(report: ReportResult, lang: str) -> str:
    w = WORDS[lang]
    header = (
        f'<section class="report" id="r{report.rank}"><h3>{report.rank}. {escape(report.subject)} '
        f"<small>{escape(report.path)} · {escape(w['score'])} {report.score:g}</small></h3>"
    )
    if not report.findings:
        return f"{header}<p>{escape(w['none'])}</p></section>"
    with_status = any(finding.accepted or finding.status for finding in report.findings)
    keys = ("line", "code", "severity", "message") + (("status",) if with_status else ())
    head = "".join(f"<th>{escape(w[key])}</th>" for key in keys)
    rows = []
    for finding in report.findings:
        severity = finding.severity.value
        css = "accepted" if finding.accepted else severity
        rows.append(
            f'<tr class="finding {css}" data-severity="{severity}" data-code="{escape(finding.code)}">'
            f"<td>{finding.line or ''}</td><td>{escape(finding.code)}</td>"
            f"<td>{escape(SEVERITY[lang][severity])}</td>"
            f"<td>{escape(finding.message(lang))}{_excerpt(report, finding.line)}</td>"
            + (f"<td>{escape(status_text(finding, lang))}</td>" if with_status else "")
            + "</tr>"
        )
    return f"{header}<table><tr>{head}</tr>{''.join(rows)}</table></section>"


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
    return f'<pre class="source">{chr(10).join(lines)}</pre>'
