"""Chinese first, English on request: the message catalogue, help texts, errors, GK901 reasons."""

import json
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from gkaudit.base.errors import ReadError
from gkaudit.base.i18n import (
    CLICK_ZH,
    MESSAGES,
    REASONS,
    error_reason_texts,
    reason_texts,
    resolve_lang,
)
from gkaudit.cli import main

from conftest import SEEDS

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# three English words in a row: a sentence, not a code, an option or a file name
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{2,}\b(?:[ ,]+\b[A-Za-z]{2,}\b){2,}")
COMMANDS = [[], ["parse"], ["check"], ["scan"], ["rules"], ["explain"], ["plugins"]]


def run(*args: str, env: dict | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_catalogue_entry_has_both_languages_with_the_same_fields(key):
    entry = MESSAGES[key]
    assert set(entry) == {"zh", "en"} and entry["zh"].strip() and entry["en"].strip()
    assert fields(entry["zh"]) == fields(entry["en"])
    if not key.startswith(("var.", "err.prefix", "err.rule_failed")):
        assert CJK.search(entry["zh"]), f"{key}: the Chinese text is not Chinese"


@pytest.mark.parametrize("key", sorted(REASONS))
def test_every_reason_has_both_languages_filled_by_its_pattern(key):
    pattern, texts = REASONS[key]
    assert set(texts) == {"zh", "en"} and CJK.search(texts["zh"]) and texts["en"].strip()
    assert not CJK.search(texts["en"]), f"{key}: the English text is not English"
    if pattern is not None:  # a message it recognises fills every field
        groups = set(re.compile(pattern).groupindex)
        assert fields(texts["zh"]) <= groups and fields(texts["en"]) <= groups


def reasons_raised() -> dict[str, set[str]]:
    """Every reason a ReadError of gkaudit can carry, with the params given beside it: the
    ``reason=`` of each ReadError(...) call in the package's source, and the reasons of the
    error helpers of gkaudit.base.errors."""
    import ast

    import gkaudit

    found: dict[str, set[str]] = {}
    for path in sorted(Path(gkaudit.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            given = {keyword.arg: keyword.value for keyword in node.keywords}
            reason = given.get("reason")
            if isinstance(reason, ast.Constant) and isinstance(reason.value, str):
                params = given.get("params")
                keys = (
                    {k.value for k in params.keys if isinstance(k, ast.Constant)}
                    if isinstance(params, ast.Dict)
                    else {"?"}  # a variable: its keys are checked where it is built
                    if params is not None
                    else set()
                )
                found.setdefault(reason.value, set()).update(keys)
    assert {"encrypted", "not-regular", "budget", "corrupt"} <= set(found), "source not scanned"
    return found


def test_every_reason_a_read_error_can_carry_has_chinese_and_english_texts():
    for reason, params in reasons_raised().items():
        assert reason in REASONS, f"ReadError(reason={reason!r}) has no texts in i18n.REASONS"
        _pattern, texts = REASONS[reason]
        needed = fields(texts["zh"]) | fields(texts["en"])
        if "?" not in params:
            assert needed <= params, (reason, needed - params)


def test_read_errors_say_their_reason_in_both_languages():
    from gkaudit.base.errors import budget_error, corrupt_error, malformed_error

    cases = [
        (ReadError("not a regular file (FIFO)", reason="not-regular",
                   params={"kind": {"zh": "命名管道", "en": "FIFO"}}),
         "不是普通文件（命名管道），未打开", "not a regular file (FIFO); not opened"),
        (corrupt_error("corrupt PDF (KeyError)", {"zh": "PDF 文件", "en": "PDF"}, "KeyError"),
         "PDF 文件已损坏或格式不受支持，无法打开", "corrupt or unsupported PDF (KeyError)"),
        (budget_error("300 页，上限 200 页", "300 pages, limit 200"),
         "超出处理上限：300 页，上限 200 页", "over a processing budget: 300 pages, limit 200"),
        (malformed_error("跨行数无效", "a bad row span"),
         "文件结构异常：跨行数无效", "malformed file: a bad row span"),
        (ReadError("took longer than 5 s", reason="timeout", params={"seconds": "5"}),
         "处理超时：超过 5 秒（--timeout-per-file）", "took longer than 5 s (--timeout-per-file)"),
    ]  # fmt: skip
    for error, zh, en in cases:
        assert error.localised() == {"zh": zh, "en": en}
        assert error_reason_texts(error) == {"zh": zh, "en": en}
    unknown = ReadError("a reader's own words", reason="no-such-reason")
    assert unknown.localised() == {"zh": "a reader's own words", "en": "a reader's own words"}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] if c else "gkaudit")
def test_help_in_chinese_has_no_english_sentence(command):
    code, out, _ = run(*command, "--help")
    assert code == 0
    # option names, choices and defaults are what the auditor types: not sentences
    prose = re.sub(r"--?[a-z][a-z-]*|\[[^\]\u4e00-\u9fff]*\]", " ", out)
    assert not ENGLISH_SENTENCE.search(prose), ENGLISH_SENTENCE.search(prose)
    assert "用法:" in out and "选项:" in out and "显示本帮助并退出。" in out


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] if c else "gkaudit")
def test_help_in_english_has_no_chinese(command):
    run(*command, "--help")  # Chinese first, in the same process: nothing may stick
    code, out, _ = run(*command, "--help", "--lang", "en")
    assert code == 0 and not CJK.search(out), CJK.findall(out)
    assert "Usage:" in out and "Show this message and exit." in out


def test_every_option_has_a_catalogue_help_text():
    for name, command in [("main", main), *main.commands.items()]:
        assert f"help.{name}" in MESSAGES and f"short.{name}" in MESSAGES
        for param in command.params:
            if param.param_type_name == "option" and param.name not in ("help", "version"):
                keys = (f"opt.{name}.{param.name}", f"opt.{param.name}")
                assert param.name == "lang" or any(k in MESSAGES for k in keys), (name, param)


def test_language_from_environment_and_configuration(tmp_path):
    assert resolve_lang(["rules"], {}) == "zh"
    assert resolve_lang(["rules"], {"GKAUDIT_LANG": "en"}) == "en"
    assert resolve_lang(["rules", "--lang", "zh"], {"GKAUDIT_LANG": "en"}) == "zh"
    assert resolve_lang(["rules", "--lang=en"], {}) == "en"
    assert resolve_lang(["rules", "--config", "x.toml"], {}, lambda path: "en") == "en"
    assert resolve_lang(["rules"], {"GKAUDIT_LANG": "zh"}, lambda path: "en") == "zh"
    _code, out, _ = run("scan", "--help", env={"GKAUDIT_LANG": "en"})
    assert "Audit every report under PATHS" in out
    (tmp_path / "gkaudit.toml").write_text('lang = "en"\n', encoding="utf-8")
    _code, out, _ = run("check", "--help", "--config", str(tmp_path / "gkaudit.toml"))
    assert "Audit each FILE" in out


def test_click_usage_errors_in_chinese():
    code, _, err = run("scan", "--frmat", "x")
    assert code == 2 and "错误：没有这个选项：'--frmat'。" in err and "是否想用 '--format'" in err
    code, _, err = run("explain")
    assert code == 2 and "错误：缺少参数 '规则代码'" in err
    code, _, err = run("scan", "-j", "0", "x")
    assert code == 2 and "'--jobs' / '-j' 的取值无效" in err
    code, _, err = run("scan", "--frmat", "x", "--lang", "en")
    assert code == 2 and "Error: No such option '--frmat'. Did you mean '--format'?" in err


def test_click_translations_name_real_click_texts():
    from pathlib import Path

    import click

    sources = "".join(
        Path(module.__file__).read_text("utf-8")
        for module in (click.core, click.exceptions, click.formatting, click.types)
    )
    found = [msgid for msgid in CLICK_ZH if json.dumps(msgid) in sources]
    assert len(found) >= len(CLICK_ZH) * 0.8, set(CLICK_ZH) - set(found)


def own_errors(tmp_path):
    docx = tmp_path / "note.docx"
    docx.write_bytes(b"x")
    baseline = tmp_path / "old.json"
    baseline.write_text("{", encoding="utf-8")
    bad_config = tmp_path / "gkaudit.toml"
    bad_config.write_text('selct = ["GK1"]\n', encoding="utf-8")
    seed = str(SEEDS["002"])
    return [
        (["scan", str(tmp_path / "missing")], "找不到文件、文件夹或匹配项", "no such file, folder"),
        (["scan", seed, "-o", str(tmp_path / "out.pdf")], "无法从", "cannot tell the format"),
        (["scan", seed, "--format", "xlsx"], "需要用 --output", "needs --output FILE"),
        (["scan", seed, "--template", str(docx)], "--template 只用于", "--template is for"),
        (["scan", seed, "--baseline", str(baseline)], "无法读取基线文件", "baseline"),
        (["rules", "--config", str(bad_config)], "未知的配置项“selct”", "unknown configuration"),
        (["rules", "--config", str(tmp_path / "none.toml")], "找不到配置文件", "not found"),
        (["rules", "--config", "/dev/null"], "不是普通文件", "not a regular file"),
        (["scan", seed, "--units", str(tmp_path / "units.csv")], "找不到单位名册", "roster"),
        (["scan", seed, "-o", str(tmp_path / "no" / "x.json")], "无法写入", "cannot write"),
        (["scan", seed, "-o", str(tmp_path / "no" / "x.json")], "（文件或文件夹不存在）",
         "No such file or directory"),
        (["rules", "--rules-dir", str(tmp_path / "nope")], "规则文件夹", "rules directory"),
        (["explain", "GK999"], "未知的规则代码", "unknown rule code"),
        (["parse", str(tmp_path / "missing.txt")], "文件不存在", "no such file"),
    ]


def test_every_own_error_is_one_line_in_each_language(tmp_path):
    for args, zh, en in own_errors(tmp_path):
        for lang, expected in (("zh", zh), ("en", en)):
            code, _, err = run(*args, "--lang", lang)
            assert code in (1, 2), (args, err)
            assert err.count("\n") == 1 and "Traceback" not in err, (args, err)
            assert expected in err, (args, lang, err)
            if lang == "en":
                assert not CJK.search(err.replace(str(tmp_path), "")), err


def unreadable_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "broken.docx").write_bytes(b"this is not a zip file")
    (tmp_path / "odd.xyz").write_text("x", encoding="utf-8")
    docx = {
        "format": {"zh": "Word 文件（.docx）", "en": ".docx"},
        "detail": "File is not a zip file",
    }
    return {
        "empty.txt": ("empty", {}),
        "binary.txt": ("binary", {}),
        "broken.docx": ("corrupt", docx),
        "odd.xyz": ("unsupported-type", {"suffix": ".xyz"}),
    }


def test_gk901_reasons_are_said_in_chinese_and_english(tmp_path):
    expected = unreadable_files(tmp_path)
    paths = [str(tmp_path / name) for name in expected]
    for lang, prefix in (("zh", "文件无法读取："), ("en", "file unreadable: ")):
        _code, out, _ = run("check", *paths, "--format", "json", "--lang", lang)
        messages = {
            r["path"].rsplit("/", 1)[-1]: r["findings"][0]["message"]
            for r in json.loads(out)["reports"]
        }
        for name, (reason, params) in expected.items():
            template = REASONS[reason][1][lang]
            values = {k: v[lang] if isinstance(v, dict) else v for k, v in params.items()}
            wanted = prefix + template.format(**values)
            assert messages[name] == wanted, (name, messages[name])


def test_gk901_text_output_has_no_english_reason(tmp_path):
    unreadable_files(tmp_path)
    code, out, _ = run("check", str(tmp_path / "broken.docx"))
    assert code == 1 and "Word 文件（.docx）已损坏" in out and "zip" not in out


def test_an_error_that_says_its_reason_itself_is_taken_at_its_word():
    class Localised(ReadError):
        def localised(self):
            return {"zh": "符号链接形成循环", "en": "symbolic link loop"}

    assert error_reason_texts(Localised("link loop"))["zh"] == "符号链接形成循环"
    assert error_reason_texts(ReadError("empty file"))["zh"] == "空文件，没有内容"


@pytest.mark.parametrize(
    ("message", "zh"),
    [
        ("rule GK301 failed: ZeroDivisionError: division by zero",
         "规则 GK301 运行出错（ZeroDivisionError: division by zero），请向规则的作者报告"),
        ("plugin a.py: rule GK301 is already registered by builtin",
         "插件 a.py：规则 GK301 已由 builtin 注册"),
        ("rules/x.yml:3: invalid YAML: found unexpected end of stream",
         "rules/x.yml:3：YAML 格式错误（found unexpected end of stream）"),
        ("baseline old.json: not a gkaudit baseline (write one with --write-baseline)",
         "old.json 不是 gkaudit 的基线文件（用 --write-baseline 生成）"),
        ("no such file, folder or match: 提交材料/*.doc", "找不到文件、文件夹或匹配项：提交材料/*.doc"),
        ("cannot write out/x.json: Permission denied", "无法写入 out/x.json（没有权限）"),
        ("cannot write x.json: Read-only file system", "无法写入 x.json（只读文件系统）"),
        ("cannot write x.json: something else", "无法写入 x.json（something else）"),
        ("roster units.csv: no such file", "找不到单位名册 units.csv"),
        ("roster units.csv: row 1: unknown column '电话'", "单位名册 units.csv 第 1 行：不认识的列“电话”"),
        ("roster u.csv: row 5: name '城关镇' is already used by row 2",
         "单位名册 u.csv 第 5 行：名称“城关镇”已在第 2 行使用"),
        ("roster u.csv: row 3: parent '教育局' is not a unit of the roster",
         "单位名册 u.csv 第 3 行：上级单位“教育局”不在名册中"),
        ("roster u.csv: row 6: type: 'x' is not one of ['乡镇']",
         "单位名册 u.csv 第 6 行：type：'x' is not one of ['乡镇']"),
    ],
)  # fmt: skip
def test_english_messages_of_other_modules_are_recognised(message, zh):
    assert reason_texts(message)["zh"] == zh and reason_texts(message)["en"] == message


@pytest.mark.parametrize(
    ("message", "zh", "en"),
    [
        ("roster u.csv: row 4: summary: 'ok' is not 是/否",
         "单位名册 u.csv 第 4 行：“汇总”列的值“ok”应为“是”或“否”",
         "roster u.csv: row 4: summary: 'ok' is not yes or no"),
        ("roster u.csv: row 2: 'A' is marked 汇总 but no unit names it as parent",
         "单位名册 u.csv 第 2 行：“A”标为汇总单位，但没有单位以它为上级单位",
         "roster u.csv: row 2: 'A' is marked as a summary unit but no unit names it as parent"),
        ("roster u.csv: row 1: no 名称/name column", "单位名册 u.csv 第 1 行：缺少“名称”列",
         "roster u.csv: row 1: no name column"),
    ],
)  # fmt: skip
def test_roster_errors_are_said_in_each_language(message, zh, en):
    assert reason_texts(message) == {"zh": zh, "en": en}


def test_reason_by_key_wins_and_unknown_reasons_are_kept():
    error = ReadError("encrypted PDF: whatever the reader said")
    error.reason, error.params = "too-many-lines", {"lines": 900, "limit": 500}
    texts = reason_texts(error.message, error.reason, error.params)
    assert texts["zh"] == "行数过多：900 行（上限 500 行）"
    assert reason_texts("too many lines: 9 (limit 5)")["zh"] == "行数过多：9 行（上限 5 行）"
    assert reason_texts("something new went wrong") == {
        "zh": "something new went wrong",
        "en": "something new went wrong",
    }


def test_check_text_output_in_chinese_and_english():
    _code, out, _ = run("check", str(SEEDS["002"]))
    assert "位置" in out and "问题说明" in out and "警告 1" in out
    _code, out, _ = run("check", str(SEEDS["002"]), "--lang", "en")
    assert "severity" in out and "message" in out and not CJK.search(out.splitlines()[2][:20])
