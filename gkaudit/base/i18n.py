"""The message catalogue: every text the auditor sees outside rule messages, in Chinese and
English — command help, errors, file-reading reasons (GK901), the command line's text output.

Chinese is the default; English is chosen with ``--lang en``, ``GKAUDIT_LANG=en`` or
``lang = "en"`` in the configuration. The words of the national form stay in
gkaudit/base/vocabulary.py; the output renderers' column names in gkaudit/outputs/render.py.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
ENV_VAR = "GKAUDIT_LANG"

# key -> {"zh": ..., "en": ...}; "{name}" fields are filled by text(key, lang, name=...).
MESSAGES: dict[str, dict[str, str]] = {
    # ---- command help -----------------------------------------------------------------
    "help.main": {
        "zh": "gkaudit —— 政府信息公开工作年度报告合规审查工具。\n\n"
        "逐份审查乡镇、街道和部门报送的年度报告，指出问题所在的文件、位置和依据；"
        "用 gkaudit explain 规则代码 查看每条规则的说明。",
        "en": "gkaudit — audit government information disclosure annual reports.\n\n"
        "Audits the annual reports of townships, subdistricts and departments and says what "
        "is wrong, where, and by which rule; gkaudit explain CODE documents each rule.",
    },
    "short.main": {"zh": "政府信息公开工作年度报告审查", "en": "audit annual reports"},
    "help.parse": {
        "zh": "解析一份报告并显示读出的内容（单位、年度、章节、三张统计表）。\n\n"
        "文件无法读取、不是年度报告或三张统计表一张也读不出时，退出码为 1。",
        "en": "Parse FILE into the report model and print it (text or JSON).\n\n"
        "Exits 1 when the file cannot be read, is not a report, or has none of the three tables.",
    },
    "short.parse": {"zh": "解析一份报告并显示读出的内容", "en": "Parse a report and print it."},
    "help.check": {
        "zh": "逐个审查文件（- 表示从标准输入读取），按文件列出问题。\n\n"
        "选项与 scan 相同；用 -o 文件 或 --format 可得到同样的各种输出。",
        "en": "Audit each FILE (- reads standard input) and print its findings, file by file.\n\n"
        "Takes the same options as scan; -o FILE or --format give the same outputs.",
    },
    "short.check": {"zh": "审查报告，按文件列出问题", "en": "Audit files, findings file by file."},
    "help.scan": {
        "zh": "审查路径下的全部报告（文件、文件夹或通配符；- 表示标准输入），并排名供检查使用。\n\n"
        "输出排名表（问题最严重的在前）、全部问题和按规则汇总。",
        "en": "Audit every report under PATHS (files, folders, globs; - reads standard input) "
        "and rank them for inspection.\n\n"
        "Prints the ranked table (worst report first), every finding, and a summary per rule.",
    },
    "short.scan": {
        "zh": "批量审查并排名（主要命令）",
        "en": "Audit a batch and rank it (main job).",
    },
    "help.rules": {
        "zh": "列出全部规则：代码、默认级别、名称和依据。",
        "en": "List every rule: code, default severity, title and source.",
    },
    "short.rules": {"zh": "列出全部规则", "en": "List every rule."},
    "help.explain": {
        "zh": "显示规则的说明：检查什么、为什么（依据原文）、错误示例、正确写法、可配置项。\n\n"
        "给出规则族前缀（如 GK3）时列出该族的全部规则。",
        "en": "Show the documentation of rule CODE: what it checks, why (the article quoted), "
        "a failing example, how to fix it, its options.\n\n"
        "A family prefix (e.g. GK3) lists the rules of the family.",
    },
    "short.explain": {"zh": "显示规则说明", "en": "Show the documentation of a rule."},
    "help.plugins": {
        "zh": "列出已加载的插件及各自注册的规则。",
        "en": "List the loaded plugins and the rules each registers.",
    },
    "short.plugins": {"zh": "列出已加载的插件", "en": "List the loaded plugins."},
    "help.units": {
        "zh": "显示路径下每份报告对应名册中的哪个单位，以及名册中没有报告的单位。",
        "en": "Show which unit each report under PATHS is bound to, and the roster's units "
        "without one.",
    },
    "short.units": {"zh": "报告与名册单位的对应", "en": "Bind reports to the roster's units."},
    "help.compare": {
        "zh": "比较同一单位的上年报告和本年报告：三张表并排、勾稽链条、重复的文字。",
        "en": "Compare a unit's OLD and NEW reports: tables side by side, chains, repeated text.",
    },
    "short.compare": {"zh": "比较上年与本年报告", "en": "Compare last year's and this year's."},
    # ---- option help (opt.<parameter name>, or opt.<command>.<parameter name>) -------------
    "opt.help": {"zh": "显示本帮助并退出。", "en": "Show this message and exit."},
    "opt.version": {"zh": "显示版本并退出。", "en": "Show the version and exit."},
    "opt.lang": {
        "zh": "界面和输出的语言：zh 中文（默认），en 英文；"
        "也可用环境变量 GKAUDIT_LANG 或配置项 lang。",
        "en": "Language of messages and outputs: zh Chinese (default), en English; "
        "also GKAUDIT_LANG or the lang configuration key.",
    },
    "opt.parse.output_format": {
        "zh": "输出格式：text 文本，json 结构化数据。",
        "en": "Output format: text or JSON.",
    },
    "opt.rules.output_format": {
        "zh": "输出格式：text 表格，json 结构化数据。",
        "en": "Output format: a text table or JSON.",
    },
    "opt.output_format": {
        "zh": "输出格式（默认：按 -o 文件的扩展名，否则为 text 文本）。",
        "en": "Output format (default: from the -o extension, else text).",
    },
    "opt.max_bytes": {
        "zh": "单个文件的大小上限（字节），超过即作为无法读取的文件报告。",
        "en": "Size limit of one file in bytes; a larger file is reported unreadable.",
    },
    "opt.timeout_per_file": {
        "zh": "单个文件最多可用的秒数；超时的文件作为无法读取的文件报告（GK901）。",
        "en": "Seconds one file may take; a file over it is reported unreadable (GK901).",
    },
    "opt.rules_dirs": {
        "zh": "本地规则文件夹（Python 插件 *.py 和 YAML 规则 *.yml），可多次给出。",
        "en": "Folder of local rule plugins (*.py) and YAML rules (*.yml); repeatable.",
    },
    "opt.config_path": {
        "zh": "配置文件 gkaudit.toml 或 pyproject.toml（默认：当前文件夹中的这两个文件之一）。",
        "en": "gkaudit.toml or pyproject.toml (default: either, in the current folder).",
    },
    "opt.exit_zero": {
        "zh": "即使有达到 --fail-on 级别的问题，也以 0 退出。",
        "en": "Exit 0 even when findings are at or above --fail-on.",
    },
    "opt.fail_on": {
        "zh": "有达到此级别的问题时以 1 退出。",
        "en": "Exit 1 when a finding is at or above this severity.",
    },
    "opt.ignore": {
        "zh": "不运行的规则代码或前缀，用逗号分隔（在配置之外追加）。",
        "en": "Comma-separated rule codes or prefixes to skip (added to configuration).",
    },
    "opt.select": {
        "zh": "只运行这些规则代码或前缀，用逗号分隔（取代配置）。",
        "en": "Comma-separated rule codes or prefixes to run (replaces configuration).",
    },
    "opt.units": {
        "zh": "本县的单位名册（units.csv 或 units.xlsx；默认：配置中的 units）。",
        "en": "The county's roster of units (units.csv / units.xlsx; default: 'units' in "
        "configuration).",
    },
    "opt.archive": {
        "zh": "历次审查的存档（SQLite 文件；默认：配置中的 archive），用于与上年报告比对。",
        "en": "Archive of every scan (SQLite; default: 'archive' in configuration), pairing "
        "reports with last year's.",
    },
    "opt.no_archive": {
        "zh": "本次不读也不写存档。",
        "en": "Do not read or write the archive (one-off use).",
    },
    "opt.previous": {
        "zh": "上年报告所在的文件夹（或文件），用于与本年报告逐一比对。",
        "en": "Folder (or file) of last year's reports to pair each report with.",
    },
    "opt.compare.output_format": {
        "zh": "输出格式：text 文本或 html 网页。",
        "en": "Output format: text or html.",
    },
    "opt.compare.output": {
        "zh": "写入文件（原子写入）。",
        "en": "Write to FILE (atomically).",
    },
    "opt.template": {
        "zh": "自己的 Word 通知模板（.docx），用于 --format docx（默认使用自带模板）。",
        "en": "Your own .docx template for --format docx (default: the one shipped).",
    },
    "opt.baseline_path": {
        "zh": "与上次的记录比较：记录文件（JSON）或填写过的整改清单.xlsx；"
        "给出新增、未整改、已整改，并读回各单位填写的状态。",
        "en": "Compare with a recorded scan (JSON) or a filled-in rectification list (.xlsx): "
        "new, remaining, fixed, and the office's statuses.",
    },
    "opt.write_baseline": {
        "zh": "把本次发现的问题记录到文件中，供复查时用 --baseline 比较。",
        "en": "Record this scan's findings in FILE, for a re-check with --baseline.",
    },
    "opt.min_severity": {
        "zh": "不显示低于此级别的问题（得分和排名仍计入）。",
        "en": "Hide findings below this severity (scores and ranks still count them).",
    },
    "opt.jobs": {
        "zh": "并行进程数（默认：scan 用全部处理器核心，check 用 1）。",
        "en": "Processes (default: all cores for scan, 1 for check).",
    },
    "opt.output": {
        "zh": "写入文件（原子写入）；未给 --format 时按扩展名选择格式"
        "（.xlsx .csv .json .sarif .html .md .docx）。",
        "en": "Write to FILE (atomically); its extension (.xlsx .csv .json .sarif .html .md "
        ".docx) picks the format unless --format is given.",
    },
    # ---- metavars: var.<parameter name> ----------------------------------------------------
    "var.file": {"zh": "文件", "en": "FILE"},
    "var.files": {"zh": "文件…", "en": "FILES..."},
    "var.paths": {"zh": "路径…", "en": "PATHS..."},
    "var.code": {"zh": "规则代码", "en": "CODE"},
    "var.config_path": {"zh": "文件", "en": "FILE"},
    "var.rules_dirs": {"zh": "文件夹", "en": "DIR"},
    "var.template": {"zh": "文件", "en": "FILE"},
    "var.baseline_path": {"zh": "文件", "en": "FILE"},
    "var.write_baseline": {"zh": "文件", "en": "FILE"},
    "var.output": {"zh": "文件", "en": "FILE"},
    "var.select": {"zh": "代码", "en": "CODES"},
    "var.ignore": {"zh": "代码", "en": "CODES"},
    "var.max_bytes": {"zh": "字节数", "en": "BYTES"},
    "var.jobs": {"zh": "进程数", "en": "N"},
    "var.units": {"zh": "文件", "en": "FILE"},
    "var.archive": {"zh": "文件", "en": "FILE"},
    "var.previous": {"zh": "路径", "en": "PATH"},
    "var.old": {"zh": "上年报告", "en": "OLD"},
    "var.new": {"zh": "本年报告", "en": "NEW"},
    "var.timeout_per_file": {"zh": "秒数", "en": "SECONDS"},
    "var.options": {"zh": "[选项]", "en": "[OPTIONS]"},
    "var.command": {"zh": "命令 [参数]…", "en": "COMMAND [ARGS]..."},
    # ---- the command line's own errors ------------------------------------------------------
    "err.prefix": {"zh": "gkaudit：", "en": "gkaudit: "},
    "err.no_tables": {
        "zh": "未找到任何统计表（主动公开、依申请公开、复议诉讼）",
        "en": "no tables found",
    },
    "err.unknown_rule": {
        "zh": "未知的规则代码“{code}”（用 gkaudit rules 查看全部规则）{hint}",
        "en": "unknown rule code '{code}' (see: gkaudit rules){hint}",
    },
    "err.unknown_format": {
        "zh": "无法从“{output}”判断输出格式：请用 --format 指定，或使用扩展名 {extensions}",
        "en": "cannot tell the format from '{output}': give --format or one of {extensions}",
    },
    "err.needs_output": {
        "zh": "--format {format} 需要用 --output 指定输出文件",
        "en": "--format {format} needs --output FILE",
    },
    "err.template_docx": {
        "zh": "--template 只用于 Word 整改通知（--format docx 或 -o 文件.docx）",
        "en": "--template is for the Word notices (--format docx or -o FILE.docx)",
    },
    "err.rule_failed": {"zh": "{path}：{error}", "en": "{path}: {error}"},
    "hint.did_you_mean": {
        "zh": "（是否想写“{suggestion}”？）",
        "en": " (did you mean '{suggestion}'?)",
    },
    # ---- configuration errors ---------------------------------------------------------------
    "cfg.not_found": {"zh": "找不到配置文件 {file}", "en": "configuration file {file} not found"},
    "cfg.not_a_file": {
        "zh": "配置文件 {file} 不是普通文件（请给出 .toml 文件的路径）",
        "en": "configuration file {file} is not a regular file (give the path of a .toml file)",
    },
    "cfg.unreadable": {
        "zh": "{file}：无法读取配置：{detail}",
        "en": "{file}: cannot read configuration: {detail}",
    },
    "cfg.syntax": {
        "zh": "{file}：第{line}行：TOML 语法错误：{detail}",
        "en": "{file}: line {line}: invalid TOML: {detail}",
    },
    "cfg.unknown_key": {
        "zh": "{where}：未知的配置项“{key}”{hint}",
        "en": "{where}: unknown configuration key '{key}'{hint}",
    },
    "cfg.bad_value": {
        "zh": "{where}：配置项“{key}”的值无效：{detail}",
        "en": "{where}: invalid value of '{key}': {detail}",
    },
    "cfg.unknown_code": {
        "zh": "{where}：{key}：未知的规则代码或前缀“{code}”{hint}",
        "en": "{where}: {key}: unknown rule code or prefix '{code}'{hint}",
    },
    "cfg.unknown_option": {
        "zh": "{where}：规则{code}没有配置项“{option}”{hint}",
        "en": "{where}: rule {code} has no option '{option}'{hint}",
    },
    "cfg.bad_option": {
        "zh": "{where}：规则{code}的配置项“{option}”的值无效：{detail}",
        "en": "{where}: invalid value of option '{option}' of rule {code}: {detail}",
    },
    "cfg.no_options": {"zh": "（该规则没有可配置项）", "en": " (the rule has no options)"},
    "cfg.options": {"zh": "（可用：{options}）", "en": " (options: {options})"},
    "cfg.missing_key": {
        "zh": "{where}：配置项“{key}”缺少必填的“{missing}”",
        "en": "{where}: '{key}' lacks the required '{missing}'",
    },
    "cfg.line": {"zh": "{file}：第{line}行", "en": "{file}: line {line}"},
    "cfg.top": {"zh": "顶层", "en": "top level"},
    "cfg.configuration": {"zh": "配置", "en": "configuration"},
    "cfg.enum": {"zh": "应为以下之一：{choices}", "en": "must be one of {choices}"},
    "cfg.type": {"zh": "应为{type}", "en": "must be {type}"},
    "cfg.pattern": {"zh": "格式不对（应符合 {pattern}）", "en": "does not match {pattern}"},
    "cfg.minimum": {"zh": "不能小于 {limit}", "en": "must be at least {limit}"},
    "cfg.maximum": {"zh": "不能大于 {limit}", "en": "must be at most {limit}"},
    "cfg.exclusive_minimum": {"zh": "必须大于 {limit}", "en": "must be greater than {limit}"},
    "cfg.min_length": {"zh": "不能少于 {limit} 个字", "en": "must be at least {limit} characters"},
    "type.string": {"zh": "文字（加引号）", "en": "a string"},
    "type.array": {"zh": "列表 [...]", "en": "a list [...]"},
    "type.object": {"zh": "表 {...}", "en": "a table {...}"},
    "type.integer": {"zh": "整数", "en": "an integer"},
    "type.number": {"zh": "数字", "en": "a number"},
    "type.boolean": {"zh": "true 或 false", "en": "true or false"},
    # ---- text output of check, parse, rules, plugins ----------------------------------------
    "out.plugin": {"zh": "插件", "en": "plugin"},
    "out.rules": {"zh": "规则", "en": "rules"},
    "out.unknown_unit": {"zh": "（单位不详）", "en": "(unit unknown)"},
    "out.wrote": {
        "zh": "gkaudit：已写入 {path}（{format} 格式；{reports} 个文件，{findings} 个问题）",
        "en": "gkaudit: wrote {path} ({format}; {reports} files, {findings} findings)",
    },
    "parse.unit": {"zh": "单位", "en": "unit"},
    "parse.year": {"zh": "年度", "en": "year"},
    "parse.title": {"zh": "标题", "en": "title"},
    "parse.window": {"zh": "统计期限", "en": "window"},
    "parse.signature": {"zh": "落款日期", "en": "signature date"},
    "parse.template": {"zh": "格式", "en": "template"},
    "parse.sections": {"zh": "章节", "en": "sections"},
    "parse.tables": {"zh": "表格", "en": "tables"},
    "parse.problems": {"zh": "无法读取的内容", "en": "problems"},
    "parse.none": {"zh": "无", "en": "none"},
    "parse.line": {"zh": "行号", "en": "line"},
    "parse.number": {"zh": "序号", "en": "no."},
    "parse.heading": {"zh": "标题", "en": "heading"},
    "parse.kind": {"zh": "类别", "en": "kind"},
    "parse.table": {"zh": "表", "en": "table"},
    "parse.row": {"zh": "行", "en": "row"},
    "parse.values": {"zh": "数值", "en": "values"},
    # ---- explain ----------------------------------------------------------------------------
    "explain.severity": {"zh": "默认级别", "en": "default severity"},
    "explain.source": {"zh": "依据", "en": "source"},
    "explain.what": {"zh": "检查什么", "en": "What it does"},
    "explain.why": {"zh": "为什么", "en": "Why"},
    "explain.example": {"zh": "错误示例", "en": "Example"},
    "explain.fix": {"zh": "正确写法", "en": "Use instead"},
    "explain.advice": {"zh": "整改建议", "en": "How to fix it"},
    "explain.options": {"zh": "可配置项", "en": "Options"},
    "explain.options_common": {
        "zh": "在 gkaudit.toml 或 pyproject.toml 的 [tool.gkaudit] 中：\n"
        "  ignore = [\"{code}\"]                 不运行本规则\n"
        "  severity = {{ {code} = \"warning\" }}   改变级别（error / warning / info）\n"
        "  accept = [{{ code = \"{code}\", reason = \"…\" }}]   接受偏差并写明理由",
        "en": "In gkaudit.toml or [tool.gkaudit] of pyproject.toml:\n"
        "  ignore = [\"{code}\"]                 do not run this rule\n"
        "  severity = {{ {code} = \"warning\" }}   change its severity (error / warning / info)\n"
        "  accept = [{{ code = \"{code}\", reason = \"…\" }}]   accept it, saying why",
    },
    "explain.rule_options": {
        "zh": "本规则的配置项及默认值（pyproject.toml 中写作 [tool.gkaudit.rules.{code}]）：",
        "en": "Options of this rule, with their defaults ([tool.gkaudit.rules.{code}] in "
        "pyproject.toml):",
    },
    "explain.thresholds": {
        "zh": "本规则读取的阈值（默认值）：",
        "en": "Thresholds it reads (defaults):",
    },
    "explain.family": {
        "zh": "{prefix} 族共 {count} 条规则（gkaudit explain 代码 查看每条规则）：",
        "en": "{count} rules in family {prefix} (gkaudit explain CODE shows each):",
    },
    # ---- the outputs' words (gkaudit/outputs/render.py, html.py, xlsx.py, notice.py read them) ---
    "word.rank": {"zh": "名次", "en": "rank"},
    "word.unit": {"zh": "单位", "en": "unit"},
    "word.year": {"zh": "年度", "en": "year"},
    "word.type": {"zh": "单位类型", "en": "unit type"},
    "word.error": {"zh": "错误", "en": "errors"},
    "word.warning": {"zh": "警告", "en": "warnings"},
    "word.info": {"zh": "提示", "en": "infos"},
    "word.score": {"zh": "得分", "en": "score"},
    "word.worst": {"zh": "主要问题", "en": "worst findings"},
    "word.code": {"zh": "规则", "en": "code"},
    "word.severity": {"zh": "级别", "en": "severity"},
    "word.where": {"zh": "位置", "en": "where"},
    "word.message": {"zh": "问题说明", "en": "message"},
    "word.status": {"zh": "状态", "en": "status"},
    "word.count": {"zh": "问题数", "en": "findings"},
    "word.reports": {"zh": "涉及报告数", "en": "reports"},
    "word.file": {"zh": "文件", "en": "file"},
    "word.line": {"zh": "行号", "en": "line"},
    "word.section": {"zh": "章节", "en": "section"},
    "word.ranking": {"zh": "报告排名", "en": "Ranking"},
    "word.findings": {"zh": "问题清单", "en": "Findings"},
    "word.summary": {"zh": "按规则汇总", "en": "Summary by rule"},
    "word.fixed": {
        "zh": "已整改（基线中有、本次未再发现）",
        "en": "Fixed (in the baseline, not found again)",
    },
    "word.none": {"zh": "未发现问题", "en": "no findings"},
    "word.remark": {"zh": "整改情况", "en": "rectification"},
    "word.title": {"zh": "规则名称", "en": "rule title"},
    "word.basis": {"zh": "依据", "en": "legal basis"},
    "word.advice": {"zh": "整改建议", "en": "advice"},
    "word.deadline": {"zh": "整改期限", "en": "deadline"},
    "word.recheck": {"zh": "复查结果", "en": "re-check"},
    "word.unread": {"zh": "未能审查的文件（不参与排名）", "en": "Files not audited (not ranked)"},
    "word.reason": {"zh": "原因", "en": "reason"},
    "word.fingerprint": {"zh": "识别码", "en": "fingerprint"},
    "word.page": {"zh": "第{n}页", "en": "page {n}"},
    "word.at_line": {"zh": "第{n}行", "en": "line {n}"},
    "word.whole": {"zh": "全文", "en": "whole report"},
    "word.figures": {"zh": "数据汇总", "en": "Figures"},
    "word.office": {"zh": "原状态", "en": "previous status"},
    "severity.error": {"zh": "错误", "en": "error"},
    "severity.warning": {"zh": "警告", "en": "warning"},
    "severity.info": {"zh": "提示", "en": "info"},
    "unit_type.township": {"zh": "乡镇（街道）", "en": "township"},
    "unit_type.county": {"zh": "县级政府", "en": "county government"},
    "unit_type.department": {"zh": "部门", "en": "department"},
    "unit_type.unknown": {"zh": "未知", "en": "unknown"},
    "status.new": {"zh": "新增", "en": "new"},
    "status.remaining": {"zh": "未整改", "en": "remaining"},
    "status.accepted": {"zh": "已接受：", "en": "accepted: "},
    "status.claimed": {"zh": "单位称已整改，复查仍存在", "en": "claimed fixed, still found"},
    # ---- the HTML report, the workbook's sheets, the notices ------------------------------
    "html.title": {"zh": "政府信息公开工作年度报告审查结果", "en": "Annual report audit results"},
    "filter.severity": {"zh": "级别", "en": "severity"},
    "filter.code": {"zh": "规则", "en": "rule"},
    "filter.all_codes": {"zh": "全部规则", "en": "all rules"},
    "filter.unit": {"zh": "单位", "en": "unit"},
    "filter.all_units": {"zh": "全部单位", "en": "all units"},
    "filter.search": {"zh": "搜索", "en": "search"},
    "filter.placeholder": {"zh": "问题说明、文件名…", "en": "message, file name…"},
    "filter.showing": {"zh": "显示问题数", "en": "showing"},
    "filter.chart": {"zh": "得分构成（按级别）", "en": "score by severity"},
    "html.totals": {
        "zh": "共{reports}份报告，{findings}个问题",
        "en": "{reports} reports, {findings} findings",
    },
    "html.unread_totals": {
        "zh": "；另有{unread}个文件未能审查",
        "en": "; {unread} files not audited",
    },
    "sheet.ranking": {"zh": "报告排名", "en": "Ranking"},
    "sheet.list": {"zh": "整改清单", "en": "Rectification list"},
    "sheet.summary": {"zh": "按规则汇总", "en": "Summary by rule"},
    "sheet.unread": {"zh": "未能审查的文件", "en": "Not audited"},
    "sheet.fixed": {"zh": "已整改", "en": "Fixed"},
    "sheet.figures": {"zh": "数据汇总", "en": "Figures"},
    "notice.report_of_year": {
        "zh": "{year}年度政府信息公开工作年度报告",
        "en": "{year} annual report on government information disclosure",
    },
    "notice.report": {
        "zh": "政府信息公开工作年度报告",
        "en": "annual report on government information disclosure",
    },
}

# The articles of the Regulation (《中华人民共和国政府信息公开条例》, 2019) that rules cite, quoted
# by ``gkaudit explain``.
ARTICLES: dict[str, str] = {
    "第四十九条": "县级以上人民政府部门应当在每年1月31日前向本级政府信息公开工作主管部门"
    "提交本行政机关上一年度政府信息公开工作年度报告并向社会公布。县级以上地方人民政府的政府信息公开工作主管部门"
    "应当在每年3月31日前向社会公布本级政府上一年度政府信息公开工作年度报告。",
    "第五十条": "政府信息公开工作年度报告应当包括下列内容：（一）行政机关主动公开政府信息的情况；"
    "（二）行政机关收到和处理政府信息公开申请的情况；（三）因政府信息公开工作被申请行政复议、"
    "提起行政诉讼的情况；（四）政府信息公开工作存在的主要问题及改进情况，各级人民政府的政府信息"
    "公开工作年度报告还应当包括工作考核、社会评议和责任追究结果情况；（五）其他需要报告的事项。",
}

# Why a file could not be read (GK901) and the command line's own errors, in every language:
# the one table of reasons. Key: the ``reason`` a ReadError carries (gkaudit.base.errors names only
# these keys) or the name of an error other modules raise without one; value: a pattern of the
# English message that recognises the error when it comes without a reason (its named groups
# fill the texts; None: only ever raised with its reason), and the texts, whose fields the
# error's ``params`` fill (a param given as {"zh": ..., "en": ...} is taken in each language).
REASONS: dict[str, tuple[str | None, dict[str, str]]] = {
    # -- the file itself (gkaudit.read.source)
    "no-such-file": (r"no such file", {"zh": "文件不存在", "en": "no such file"}),
    "dangling-link": (
        r"dangling symbolic link",
        {"zh": "符号链接指向的文件不存在", "en": "symbolic link to a file that does not exist"},
    ),
    "link-loop": (r"symbolic link loop", {"zh": "符号链接形成循环", "en": "symbolic link loop"}),
    "not-regular": (
        r"not a regular file \((?P<kind>[^)]*)\)",
        {"zh": "不是普通文件（{kind}），未打开", "en": "not a regular file ({kind}); not opened"},
    ),
    "is-directory": (
        r"is a directory, not a file",
        {"zh": "这是文件夹，不是文件", "en": "is a directory, not a file"},
    ),
    "vanished": (
        r"the file (?:vanished|changed) while read",
        {"zh": "文件在读取过程中消失或被替换", "en": "the file vanished or changed while read"},
    ),
    "permission": (r"permission denied", {"zh": "无权读取该文件", "en": "permission denied"}),
    "os-error": (
        r"cannot read: (?P<detail>.+)",
        {"zh": "无法读取（{detail}）", "en": "cannot read: {detail}"},
    ),
    "too-large": (
        r"file too large: (?P<size>.+?) \(limit (?P<limit>[^)]+)\)",
        {"zh": "文件过大：{size}（上限 {limit}，--max-bytes）",
         "en": "file too large: {size} (limit {limit}, --max-bytes)"},
    ),
    "too-many-lines": (
        r"too many lines: (?P<lines>\d+) \(limit (?P<limit>\d+)\)",
        {"zh": "行数过多：{lines} 行（上限 {limit} 行）",
         "en": "too many lines: {lines} (limit {limit})"},
    ),
    # -- its text
    "empty": (r"empty file", {"zh": "空文件，没有内容", "en": "empty file"}),
    "binary": (
        r"binary file, not text",
        {"zh": "二进制文件，不是文本", "en": "binary file, not text"},
    ),
    "bad-encoding": (
        r"declares (?P<encoding>\S+) but is not valid \S+",
        {"zh": "声明为 {encoding} 编码，但内容不是有效的 {encoding}",
         "en": "declares {encoding} but is not valid {encoding}"},
    ),
    "unknown-encoding": (
        r"unknown text encoding.*",
        {"zh": "无法识别文字编码（已尝试 UTF-8、GB18030、Big5、UTF-16）",
         "en": "unknown text encoding (tried UTF-8, GB18030, Big5, UTF-16)"},
    ),
    "undecodable": (
        r"text encoding looks like (?P<encoding>\S+) but does not decode",
        {"zh": "文字编码像是 {encoding}，但无法按此解码",
         "en": "text encoding looks like {encoding} but does not decode"},
    ),
    # -- its format (gkaudit.read.readers)
    "unsupported-type": (
        r"unsupported file type '(?P<suffix>[^']*)'",
        {"zh": "不支持的文件类型“{suffix}”", "en": "unsupported file type '{suffix}'"},
    ),
    "corrupt": (
        None,
        {"zh": "{format}已损坏或格式不受支持，无法打开",
         "en": "corrupt or unsupported {format} ({detail})"},
    ),
    "not-word": (
        r"not a Word document.*",
        {"zh": "不是 Word 文档（缺少 word/document.xml）",
         "en": "not a Word document: word/document.xml is missing"},
    ),
    "malformed": (None, {"zh": "文件结构异常：{detail}", "en": "malformed file: {detail}"}),
    "budget": (None, {"zh": "超出处理上限：{budget}", "en": "over a processing budget: {budget}"}),
    "encrypted": (
        r"encrypted PDF.*",
        {"zh": "PDF 已加密，没有密码无法读取",
         "en": "encrypted PDF: it cannot be read without its password"},
    ),
    "scanned": (
        r"scanned PDF without a text layer.*",
        {"zh": "扫描版 PDF，没有文字层，无法审查（需要先做文字识别）",
         "en": "scanned PDF without a text layer: no text to audit (needs OCR)"},
    ),
    "needs-libreoffice": (
        r"(?P<kind>\S+) files need LibreOffice.*",
        {"zh": "{kind} 文件需要安装 LibreOffice 才能读取"
               "（apt-get install libreoffice-writer-nogui）",
         "en": "{kind} files need LibreOffice: apt-get install libreoffice-writer-nogui"},
    ),
    "libreoffice-timeout": (
        r"LibreOffice did not convert the file within (?P<seconds>\d+) s",
        {"zh": "LibreOffice 未能在 {seconds} 秒内转换该文件",
         "en": "LibreOffice did not convert the file within {seconds} s"},
    ),
    "conversion-failed": (
        r"LibreOffice could not convert the file.*",
        {"zh": "LibreOffice 无法转换该文件（已损坏或不是文档）",
         "en": "LibreOffice could not convert the file (corrupt, or not a document)"},
    ),
    # -- its audit (gkaudit.audit.engine, gkaudit.audit.scan)
    "timeout": (
        None,
        {"zh": "处理超时：超过 {seconds} 秒（--timeout-per-file）",
         "en": "took longer than {seconds} s (--timeout-per-file)"},
    ),
    "worker-died": (
        None,
        {"zh": "读取该文件的工作进程意外终止（{how}），文件未能审查",
         "en": "the worker process reading this file stopped ({how}); the file was not audited"},
    ),
    "out-of-memory": (
        None,
        {"zh": "处理该文件内存不足，文件未能审查",
         "en": "out of memory while processing the file; the file was not audited"},
    ),
    "internal": (
        None,
        {"zh": "读取时发生内部错误（{kind}），文件未能审查，请向 gkaudit 报告",
         "en": "internal error while reading ({kind}); the file was not audited, please report it"},
    ),
    "parse-failed": (
        r"(?:line (?P<line>\d+): )?cannot parse.*",
        {"zh": "无法解析报告结构", "en": "cannot parse the report structure"},
    ),
    "not-a-report": (
        r"does not look like a .*",
        {"zh": "看起来不是政府信息公开工作年度报告（没有标题、章节或统计表）",
         "en": "does not look like a government information disclosure annual report"},
    ),
    # -- the command line's, the batch's and the plugins' own errors
    "no-match": (
        r"no such file, folder or match: (?P<pattern>.+)",
        {"zh": "找不到文件、文件夹或匹配项：{pattern}",
         "en": "no such file, folder or match: {pattern}"},
    ),
    "cannot-write": (
        r"cannot write (?P<target>.+?): (?P<detail>.+)",
        {"zh": "无法写入 {target}（{detail}）", "en": "cannot write {target}: {detail}"},
    ),
    "roster-missing": (
        r"roster (?P<file>.+?): no such file",
        {"zh": "找不到单位名册 {file}", "en": "roster {file}: no such file"},
    ),
    "roster-encoding": (
        r"roster (?P<file>.+?): not UTF-8 or GB18030 text",
        {"zh": "单位名册 {file} 不是 UTF-8 或 GB18030 编码的文本",
         "en": "roster {file}: not UTF-8 or GB18030 text"},
    ),
    "roster-workbook": (
        r"roster (?P<file>.+?): cannot read the workbook: (?P<detail>.+)",
        {"zh": "无法读取单位名册工作簿 {file}（{detail}）",
         "en": "roster {file}: cannot read the workbook: {detail}"},
    ),
    "roster-empty": (
        r"roster (?P<file>.+?): empty",
        {"zh": "单位名册 {file} 是空的", "en": "roster {file}: empty"},
    ),
    "roster-unknown-column": (
        r"roster (?P<file>.+?): row 1: unknown column '(?P<column>.*)'",
        {"zh": "单位名册 {file} 第 1 行：不认识的列“{column}”",
         "en": "roster {file}: row 1: unknown column '{column}'"},
    ),
    "roster-no-name": (
        r"roster (?P<file>.+?): row 1: no 名称/name column",
        {"zh": "单位名册 {file} 第 1 行：缺少“名称”列",
         "en": "roster {file}: row 1: no name column"},
    ),
    "roster-summary-value": (
        r"roster (?P<file>.+?): row (?P<row>\d+): summary: '(?P<value>.*)' is not 是/否",
        {"zh": "单位名册 {file} 第 {row} 行：“汇总”列的值“{value}”应为“是”或“否”",
         "en": "roster {file}: row {row}: summary: '{value}' is not yes or no"},
    ),
    "roster-name-taken": (
        r"roster (?P<file>.+?): row (?P<row>\d+): name '(?P<name>.*)' is already used by row "
        r"(?P<other>\d+)",
        {"zh": "单位名册 {file} 第 {row} 行：名称“{name}”已在第 {other} 行使用",
         "en": "roster {file}: row {row}: name '{name}' is already used by row {other}"},
    ),
    "roster-parent-unknown": (
        r"roster (?P<file>.+?): row (?P<row>\d+): parent '(?P<parent>.*)' is not a unit of the "
        r"roster",
        {"zh": "单位名册 {file} 第 {row} 行：上级单位“{parent}”不在名册中",
         "en": "roster {file}: row {row}: parent '{parent}' is not a unit of the roster"},
    ),
    "roster-summary-childless": (
        r"roster (?P<file>.+?): row (?P<row>\d+): '(?P<name>.*)' is marked 汇总 but no unit "
        r"names it as parent",
        {"zh": "单位名册 {file} 第 {row} 行：“{name}”标为汇总单位，但没有单位以它为上级单位",
         "en": "roster {file}: row {row}: '{name}' is marked as a summary unit but no unit "
               "names it as parent"},
    ),
    "roster-row-invalid": (
        r"roster (?P<file>.+?): row (?P<row>\d+): (?P<where>[^:]+): (?P<detail>.+)",
        {"zh": "单位名册 {file} 第 {row} 行：{where}：{detail}",
         "en": "roster {file}: row {row}: {where}: {detail}"},
    ),
    "baseline-unreadable": (
        r"baseline (?P<file>.+?): cannot read.*",
        {"zh": "无法读取基线文件 {file}", "en": "baseline {file}: cannot be read"},
    ),
    "baseline-not-gkaudit": (
        r"baseline (?P<file>.+?): not a gkaudit baseline.*",
        {"zh": "{file} 不是 gkaudit 的基线文件（用 --write-baseline 生成）",
         "en": "baseline {file}: not a gkaudit baseline (write one with --write-baseline)"},
    ),
    "baseline-no-list": (
        r"baseline (?P<file>.+?): no 整改清单 sheet.*",
        {"zh": "{file} 中没有带“识别码”列的“整改清单”工作表"
               "（请使用 gkaudit scan -o 整改清单.xlsx 生成的整改清单）",
         "en": "baseline {file}: no rectification list sheet with a fingerprint column "
               "(use a list written by gkaudit scan -o FILE.xlsx)"},
    ),
    "notice-template": (
        r"notice template (?P<file>.+?): (?P<detail>.+)",
        {"zh": "整改通知模板 {file} 无法使用（{detail}）",
         "en": "notice template {file}: {detail}"},
    ),
    "rule-failed": (
        r"(?:batch )?rule (?P<code>\S+) failed: (?P<detail>.+)",
        {"zh": "规则 {code} 运行出错（{detail}），请向规则的作者报告",
         "en": "rule {code} failed: {detail}"},
    ),
    "plugin-duplicate": (
        r"plugin (?P<plugin>.+?): rule (?P<code>\S+) is already registered by (?P<first>.+)",
        {"zh": "插件 {plugin}：规则 {code} 已由 {first} 注册",
         "en": "plugin {plugin}: rule {code} is already registered by {first}"},
    ),
    "plugin-hook-failed": (
        r"plugin (?P<plugin>.+?): (?P<hook>\S+) failed: (?P<detail>.+)",
        {"zh": "插件 {plugin}：{hook} 出错（{detail}）",
         "en": "plugin {plugin}: {hook} failed: {detail}"},
    ),
    "plugin-entry-failed": (
        r"plugin (?P<plugin>.+?) \((?P<value>.+)\) failed to load: (?P<detail>.+)",
        {"zh": "插件 {plugin}（{value}）无法加载（{detail}）",
         "en": "plugin {plugin} ({value}) failed to load: {detail}"},
    ),
    "plugin-not-a-class": (
        r"plugin (?P<plugin>.+?): registered (?P<what>.+), "
        r"which is not a gkaudit\.(?P<kind>\w+) class",
        {"zh": "插件 {plugin}：注册的 {what} 不是 gkaudit.{kind} 类",
         "en": "plugin {plugin}: registered {what}, which is not a gkaudit.{kind} class"},
    ),
    "plugin-rule-lacks": (
        r"plugin (?P<plugin>.+?): rule (?P<rule>\S+) lacks (?P<missing>.+)",
        {"zh": "插件 {plugin}：规则 {rule} 缺少 {missing}",
         "en": "plugin {plugin}: rule {rule} lacks {missing}"},
    ),
    "plugin-message-languages": (
        r"plugin (?P<plugin>.+?): rule (?P<code>\S+) message '(?P<key>[^']+)' needs zh and en",
        {"zh": "插件 {plugin}：规则 {code} 的消息“{key}”须同时有 zh 和 en 两种文字",
         "en": "plugin {plugin}: rule {code} message '{key}' needs zh and en"},
    ),
    "yaml-invalid": (
        r"(?P<file>.+?)(?P<where>:\d+)?: invalid YAML: (?P<detail>.+)",
        {"zh": "{file}{where}：YAML 格式错误（{detail}）",
         "en": "{file}{where}: invalid YAML: {detail}"},
    ),
    "rules-dir-missing": (
        r"rules directory (?P<folder>.+) does not exist or is not a folder",
        {"zh": "规则文件夹 {folder} 不存在或不是文件夹",
         "en": "rules directory {folder} does not exist or is not a folder"},
    ),
    "plugin-unloadable": (
        r"(?P<file>.+): cannot load plugin: (?P<detail>.+)",
        {"zh": "{file}：无法加载插件（{detail}）", "en": "{file}: cannot load plugin: {detail}"},
    ),
    "rules-unreadable": (
        r"(?P<file>.+): cannot read rules: (?P<detail>.+)",
        {"zh": "{file}：无法读取规则文件（{detail}）", "en": "{file}: cannot read rules: {detail}"},
    ),
}  # fmt: skip

# Click's own texts (usage lines, headings, its errors), by their English msgid.
CLICK_ZH: dict[str, str] = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用“{command} {option}”查看帮助。",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "No such option: {name}": "没有这个选项：{name}",
    "No such option {name!r}.": "没有这个选项：{name!r}。",
    "No such command {name!r}.": "没有这个命令：{name!r}。",
    "Did you mean {possibility}?": "是否想用 {possibility}？",
    "(Possible options: {possibilities})": "（可能的选项：{possibilities}）",
    "(Did you mean one of: {possibilities}?)": "（是否想用：{possibilities}？）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是以下之一：{choices}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "integer": "整数",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "Aborted!": "已中止。",
}


def _view(prefix: str) -> dict[str, dict[str, str]]:
    """The catalogue entries under ``prefix.`` as {lang: {name: text}}."""
    return {
        lang: {key[len(prefix) + 1 :]: entry[lang] for key, entry in MESSAGES.items()
               if key.startswith(prefix + ".")}
        for lang in LANGS
    }  # fmt: skip


WORDS = _view("word")  # column names and headings of the outputs
SEVERITY = _view("severity")
UNIT_TYPES = _view("unit_type")
STATUS = _view("status")
FILTERS = _view("filter")  # the HTML report's controls
SHEET_NAMES = _view("sheet")  # the workbook's sheets


def status_text(finding: Any, lang: str) -> str:
    """A finding's state against the baseline or the configuration, in words."""
    if finding.accepted:
        return STATUS[lang]["accepted"] + finding.accepted
    return STATUS[lang].get(finding.status or "", "")


def location(finding: Any, lang: str = "zh") -> str:
    """Where a finding is: 第N页 for a PDF page when known, else 第N行, else 全文."""
    w = WORDS[lang]
    page = getattr(finding, "page", None)
    if page:
        return w["page"].format(n=page)
    if finding.line:
        return w["at_line"].format(n=finding.line)
    return w["whole"]


def text(key: str, lang: str = DEFAULT_LANG, /, **params: Any) -> str:
    """The catalogue's text for ``key`` in ``lang`` (Chinese when English is missing)."""
    entry = MESSAGES[key]
    template = entry.get(lang) or entry[DEFAULT_LANG]
    return template.format(**params) if params else template


def texts(key: str, /, **params: Any) -> dict[str, str]:
    """The text for ``key`` in every language."""
    return {lang: text(key, lang, **params) for lang in LANGS}


def did_you_mean(word: str, choices: Sequence[str], lang: str) -> str:
    """A "did you mean" hint for a misspelt key or code, or nothing when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close and word.upper() != word:
        close = difflib.get_close_matches(word.upper(), list(choices), n=1, cutoff=0.6)
    return text("hint.did_you_mean", lang, suggestion=close[0]) if close else ""


def reason_texts(message: str, reason: str | None = None, params: dict | None = None) -> dict:
    """Why a file could not be read, in every language: by the error's reason key (filled with
    its params), else by recognising the English message; else the message as it is."""
    if reason in REASONS:
        templates = REASONS[reason][1]
        try:
            return {lang: templates[lang].format(**_in_language(params, lang)) for lang in LANGS}
        except (KeyError, IndexError, ValueError):
            pass  # params that do not fit the texts: recognise the message instead
    for pattern, templates in REASONS.values():
        match = pattern and re.fullmatch(pattern, message.strip(), flags=re.DOTALL)
        if match:
            found = {k: v for k, v in match.groupdict().items() if v is not None}
            return {
                lang: templates[lang].format_map(_Blank(_system_reasons_in(found, lang)))
                for lang in LANGS
            }
    return {lang: message for lang in LANGS}


# The operating system's reasons (``OSError.strerror``, in English) an error message may quote.
_SYSTEM_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许的操作",
    errno.EROFS: "只读文件系统",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EEXIST: "文件已存在",
    errno.EIO: "输入输出错误",
    errno.EMFILE: "打开的文件过多",
    errno.EBUSY: "设备或资源忙",
    errno.ETXTBSY: "文件正被使用",
    errno.ELOOP: "符号链接层数过多",
}
_SYSTEM_REASONS_ZH = {os.strerror(code): zh for code, zh in _SYSTEM_REASONS.items()}


def _system_reasons_in(params: dict[str, str], lang: str) -> dict[str, str]:
    """``params`` with an operating system's English reason said in ``lang``."""
    if lang != "zh":
        return params
    return {key: _SYSTEM_REASONS_ZH.get(value, value) for key, value in params.items()}


def _in_language(params: dict | None, lang: str) -> dict[str, Any]:
    """The params of a reason, a {"zh": ..., "en": ...} value taken in ``lang``."""
    return {
        key: value.get(lang, value.get("en", "")) if isinstance(value, dict) else value
        for key, value in (params or {}).items()
    }


def error_reason_texts(error: Exception) -> dict[str, str]:
    """Why an error happened, in every language: the reasons table's wording for the error's
    reason or its recognised message; else the texts of an error that localises itself (a
    plugin's own error class with ``localised()``); else the message as it is."""
    message = getattr(error, "message", str(error))
    texts = reason_texts(message, getattr(error, "reason", None), getattr(error, "params", None))
    if texts["zh"] != message:
        return texts
    localised = getattr(error, "localised", None)
    if callable(localised):
        own = localised()
        if isinstance(own, dict) and own.get("zh"):
            return {lang: own.get(lang) or own["zh"] for lang in LANGS}
    return texts


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def error_text(error: Exception, lang: str) -> str:
    """A one-line, localised text for any gkaudit error."""
    key = getattr(error, "message_key", None)
    if key in MESSAGES:
        params = {
            name: value[lang] if isinstance(value, dict) and lang in value else value
            for name, value in (getattr(error, "params", None) or {}).items()
        }
        body = text(key, lang, **params)
    else:
        body = error_reason_texts(error)[lang]
    path = getattr(error, "path", None)
    separator = "：" if lang == "zh" else ": "
    return f"{path}{separator}{body}" if path else body


def resolve_lang(
    argv: Sequence[str],
    environ: dict[str, str] | None = None,
    config_lang: Callable[[str | None], str | None] | None = None,
) -> str:
    """The language of a command line: ``--lang``, else GKAUDIT_LANG, else the configuration
    (``--config FILE`` or the current folder's), else Chinese. Read before click parses the
    arguments, so that help texts and click's own errors are already in that language."""
    args = list(argv)
    explicit = _option_value(args, "--lang")
    if explicit in LANGS:
        return explicit
    env = (environ if environ is not None else os.environ).get(ENV_VAR, "").strip().lower()
    if env in LANGS:
        return env
    if config_lang is not None:
        configured = config_lang(_option_value(args, "--config"))
        if configured in LANGS:
            return configured
    return DEFAULT_LANG


def _option_value(args: list[str], name: str) -> str | None:
    for index, arg in enumerate(args):
        if arg == "--":
            return None
        if arg == name and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def use_click_language(lang: str) -> None:
    """Click's own texts (usage, headings, its error messages) in ``lang``."""
    table = CLICK_ZH if lang == "zh" else {}

    def gettext(message: str) -> str:
        return table.get(message, message)

    def ngettext(singular: str, plural: str, count: int) -> str:
        return gettext(singular if count == 1 else plural)

    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            if callable(getattr(module, "_", None)):
                module._ = gettext  # type: ignore[attr-defined]
            if callable(getattr(module, "ngettext", None)):
                module.ngettext = ngettext  # type: ignore[attr-defined]
