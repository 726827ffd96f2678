"""A quick start: the command line loads output libraries only for the output asked for, and
grammars load from a per-user disk cache instead of being analysed in every process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lark import Lark
from tabulate import tabulate

from gkaudit import grammar_cache, plugins
from gkaudit.cli import simple_table
from gkaudit.grammar_cache import cached_lark
from gkaudit.resources import grammar_text

from conftest import SEEDS

# Not ctypes: a scan's worker sets PR_SET_PDEATHSIG through it (it dies with its parent).
OUTPUT_LIBRARIES = (
    "openpyxl", "jsonschema", "pdfplumber", "pdfminer", "pypdfium2", "docx", "lxml",
    "gkaudit.xlsx", "gkaudit.html", "gkaudit.sarif", "gkaudit.outputs", "numpy", "datasketch",
)  # fmt: skip


def loaded_after(
    code: str, modules: tuple[str, ...] = OUTPUT_LIBRARIES, environment: dict | None = None
) -> set[str]:
    """Which of ``modules`` a fresh interpreter has imported after running ``code``."""
    found = f"(m for m in {modules!r} if m in sys.modules)"
    probe = f"{code}\nimport sys\nprint('LOADED:', *{found})"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/",
        env=environment,
    )
    assert done.returncode == 0, done.stderr
    (last,) = [line for line in done.stdout.splitlines() if line.startswith("LOADED:")]
    return set(last.split()[1:])


# What `check` of a UTF-8 text report needs not load: the table library (its findings table
# is drawn by cli.simple_table), the encoding detector, importlib.metadata and the email
# package it loads (the entry points come from their cache once a run has asked), zipfile
# (.docx only); and what `--help` needs not load besides: the model, the rules, pluggy.
NOT_FOR_CHECK = (
    "tabulate", "wcwidth", "charset_normalizer", "importlib.metadata", "email", "zipfile"
)  # fmt: skip
NOT_FOR_HELP = ("gkaudit.model", "gkaudit.rule", "gkaudit.layout", "pluggy", *NOT_FOR_CHECK)


def main_code(*arguments: str) -> str:
    return (
        "import sys\n"
        "from gkaudit.cli import main\n"
        f"sys.argv = ['gkaudit', *{list(arguments)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )


def test_importing_the_command_line_loads_no_output_library():
    assert loaded_after("import gkaudit.cli") == set()


def test_help_loads_no_grammar_engine_or_plugins():
    code = (
        "import sys\n"
        "from gkaudit.cli import main\n"
        "sys.argv = ['gkaudit', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    heavy = ("lark", "gkaudit.parse", "gkaudit.engine", "gkaudit.plugins", "gkaudit.scan")
    assert loaded_after(code, heavy + OUTPUT_LIBRARIES + NOT_FOR_HELP) == set()
    assert loaded_after("from gkaudit import parse_text", heavy) == {"lark", "gkaudit.parse"}


def test_the_package_exports_load_on_first_use():
    assert loaded_after("import gkaudit", NOT_FOR_HELP) == set()
    assert loaded_after("from gkaudit import Rule, hookimpl", NOT_FOR_HELP) == {
        "gkaudit.model", "gkaudit.rule", "pluggy"
    }  # fmt: skip
    import gkaudit

    assert gkaudit.Report.__module__ == "gkaudit.model"
    assert all(getattr(gkaudit, name) for name in gkaudit.__all__)
    with pytest.raises(AttributeError):
        _ = gkaudit.no_such_name


def test_check_of_a_text_report_loads_no_output_library():
    code = (
        "import sys\n"
        "from gkaudit.cli import main\n"
        f"sys.argv = ['gkaudit', 'check', {str(SEEDS['002'])!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert loaded_after(code) == set()


def test_check_of_a_utf8_report_loads_no_table_library_detector_or_metadata(tmp_path):
    """The second run of a user: the entry points come from the cache the first one wrote."""
    environment = {**os.environ, "GKAUDIT_CACHE_DIR": str(tmp_path)}
    code = main_code("check", str(SEEDS["002"]))
    first = loaded_after(code, NOT_FOR_CHECK, environment)
    assert "importlib.metadata" in first  # the probe can fail: a cold cache asks the library
    assert loaded_after(code, NOT_FOR_CHECK, environment) == set()


def test_a_gb18030_file_or_a_list_of_rules_loads_what_it_needs(tmp_path):
    legacy = tmp_path / "gb.txt"
    legacy.write_bytes(SEEDS["002"].read_text("utf-8").encode("gb18030"))
    decoding = f"from gkaudit.read import read_text\nread_text({str(legacy)!r})"
    assert loaded_after(decoding, NOT_FOR_CHECK) == {"charset_normalizer"}
    assert "tabulate" in loaded_after(main_code("rules"), NOT_FOR_CHECK)


def test_an_xlsx_output_does_load_openpyxl(tmp_path):
    """The probe can fail: asking for a workbook loads openpyxl."""
    code = (
        "import sys\n"
        "from gkaudit.cli import main\n"
        f"sys.argv = ['gkaudit', 'scan', {str(SEEDS['002'])!r}, '--format', 'xlsx', "
        f"'--output', {str(tmp_path / 'out.xlsx')!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert "openpyxl" in loaded_after(code)


# --- the grammar cache -----------------------------------------------------------------------


def sample_document() -> list:
    """The token stream of a seed, as the block lexer makes it."""
    from gkaudit.layout import text_document
    from gkaudit.lexer import logical_lines, tokens

    return tokens(logical_lines(text_document(SEEDS["002"].read_text("utf-8"))))


def _options() -> dict:
    """The report grammar's options: LALR over the block lexer's tokens (gkaudit.parse)."""
    from gkaudit.parse import REPORT_OPTIONS

    return REPORT_OPTIONS


def test_a_cached_parser_parses_like_a_fresh_one(tmp_path):
    grammar = grammar_text("report")
    fresh = Lark(grammar, **_options()).parse(sample_document())
    built = cached_lark(grammar, cache_dir=tmp_path, **_options())
    assert len(list(tmp_path.glob("lark-*.pickle"))) == 1
    loaded = cached_lark(grammar, cache_dir=tmp_path, **_options())
    assert loaded is not built
    assert built.parse(sample_document()) == fresh
    assert loaded.parse(sample_document()) == fresh


def test_the_second_process_loads_instead_of_building(tmp_path, monkeypatch):
    grammar = grammar_text("expression")
    cached_lark(grammar, cache_dir=tmp_path, parser="lalr")

    def no_building(*args, **kwargs):
        raise AssertionError("the grammar was analysed again")

    monkeypatch.setattr(Lark, "__init__", no_building)
    assert cached_lark(grammar, cache_dir=tmp_path, parser="lalr").parse("a + 1 == b")


def test_the_key_changes_with_grammar_options_and_lark_version(monkeypatch):
    import lark

    grammar = grammar_text("expression")
    key = grammar_cache.cache_key(grammar, {"parser": "lalr"})
    assert key == grammar_cache.cache_key(grammar, {"parser": "lalr"})
    assert key != grammar_cache.cache_key(grammar + "\n", {"parser": "lalr"})
    assert key != grammar_cache.cache_key(grammar, {"parser": "lalr", "lexer": "basic"})
    monkeypatch.setattr(lark, "__version__", "0.0.1")
    assert key != grammar_cache.cache_key(grammar, {"parser": "lalr"})


def test_a_damaged_cache_file_is_rebuilt(tmp_path):
    grammar = grammar_text("expression")
    cached_lark(grammar, cache_dir=tmp_path, parser="lalr")
    (path,) = tmp_path.glob("lark-*.pickle")
    path.write_bytes(path.read_bytes()[:200])  # cut short
    assert cached_lark(grammar, cache_dir=tmp_path, parser="lalr").parse("a == b")
    assert len(path.read_bytes()) > 200  # written whole again


def test_an_unwritable_folder_only_costs_the_build(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    parser = cached_lark(grammar_text("expression"), cache_dir=blocked / "cache", parser="lalr")
    assert parser.parse("a == b")


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_can_write_is_not_trusted(tmp_path, monkeypatch):
    grammar = grammar_text("expression")
    cached_lark(grammar, cache_dir=tmp_path, parser="lalr")
    tmp_path.chmod(0o777)
    monkeypatch.setattr(Lark, "_load", lambda *a, **k: pytest.fail("loaded an untrusted pickle"))
    assert cached_lark(grammar, cache_dir=tmp_path, parser="lalr").parse("a == b")


def test_non_lalr_parsers_are_built_uncached(tmp_path):
    parser = cached_lark('start: "a"+', cache_dir=tmp_path, parser="earley")
    assert parser.parse("aaa")
    assert list(tmp_path.iterdir()) == []


def build_in_process(folder: str) -> object:
    parser = cached_lark(grammar_text("report"), cache_dir=Path(folder), **_options())
    return parser.parse(sample_document())


def test_concurrent_processes_share_one_cache(tmp_path):
    with ProcessPoolExecutor(4) as pool:
        trees = list(pool.map(build_in_process, [str(tmp_path)] * 8))
    fresh = Lark(grammar_text("report"), **_options()).parse(sample_document())
    assert all(tree == fresh for tree in trees)
    assert len(list(tmp_path.glob("lark-*.pickle"))) == 1
    assert list(tmp_path.glob(".lark-*.tmp")) == []  # no temporary file left behind


def test_the_default_folder_is_per_user(monkeypatch, tmp_path):
    monkeypatch.delenv(grammar_cache.CACHE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if sys.platform != "win32":
        assert grammar_cache.default_cache_dir() == tmp_path / "gkaudit"
    monkeypatch.setenv(grammar_cache.CACHE_DIR_ENV, str(tmp_path / "elsewhere"))
    assert grammar_cache.default_cache_dir() == tmp_path / "elsewhere"


# --- the findings table of `check`, drawn without tabulate ------------------------------------

HEADERS = ["位置", "规则", "级别", "问题说明"]


def test_the_findings_table_is_tabulates_simple_table():
    rows = [
        ("第12行", "GK301", "错误", "表二“本年新收”与各项之和不符（12 ≠ 13）"),
        ("-", "GK901", "提示", "PDF 已加密，没有密码无法读取"),
        ("全文", "GK507", "警告", "引用《中华人民共和国政府信息公开条例》（国务院令第711号）"),
    ]
    drawn = simple_table(rows, HEADERS)
    assert drawn == tabulate(rows, headers=HEADERS, tablefmt="simple")
    assert drawn.splitlines()[1].startswith("------  ")


TEXT = st.text(
    st.sampled_from("表二本年新收合计第行—“”《》（）：，。·ABCxyz-_ #%/.①ａ１"),
    min_size=1,
    max_size=12,
)


@given(st.lists(st.tuples(TEXT, TEXT, TEXT, TEXT), min_size=1, max_size=5))
def test_any_text_table_is_drawn_as_tabulate_draws_it(rows):
    assert simple_table(rows, HEADERS) == tabulate(rows, headers=HEADERS, tablefmt="simple")


@pytest.mark.parametrize("odd", ["12", "3.5", "0x1F", "", "  ", "e\u0301", "a\nb", "\t", "True"])
def test_cells_it_cannot_measure_are_left_to_tabulate(odd):
    rows = [("第1行", odd, "错误", "说明"), ("-", "GK1", "提示", "x")]
    assert simple_table(rows, HEADERS) == tabulate(rows, headers=HEADERS, tablefmt="simple")


# --- the entry points' cache ------------------------------------------------------------------


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(grammar_cache.CACHE_DIR_ENV, str(folder))
    return folder


def fake_distribution(site: Path, group_lines: str) -> Path:
    info = site / "gk_fake-1.0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gk-fake\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[gkaudit]\n{group_lines}\n")
    return info


def test_entry_points_come_from_the_cache_until_a_distribution_changes(
    tmp_path, cache, monkeypatch
):
    from importlib import metadata

    site = tmp_path / "site"
    info = fake_distribution(site, "fake = gk_fake_module")
    monkeypatch.syspath_prepend(str(site))
    first = plugins.installed_entry_points()
    assert ("fake", "gk_fake_module") in first and ("builtin", "gkaudit.rules") in first
    assert (cache / "entry-points.json").is_file()

    def no_lookup(**kwargs):
        raise AssertionError("importlib.metadata was asked again")

    monkeypatch.setattr(metadata, "entry_points", no_lookup)
    assert plugins.installed_entry_points() == first
    monkeypatch.undo()  # the real lookup again, and the site folder off sys.path
    monkeypatch.setenv(grammar_cache.CACHE_DIR_ENV, str(cache))
    monkeypatch.syspath_prepend(str(site))
    (info / "entry_points.txt").write_text("[gkaudit]\nfake = gk_fake_module:rules\nother = x\n")
    changed = plugins.installed_entry_points()
    assert ("fake", "gk_fake_module:rules") in changed and ("other", "x") in changed


def test_a_damaged_or_untrusted_cache_is_not_used(tmp_path, cache, monkeypatch):
    site = tmp_path / "site"
    fake_distribution(site, "fake = gk_fake_module")
    monkeypatch.syspath_prepend(str(site))
    expected = plugins.installed_entry_points()
    (cache / "entry-points.json").write_text('{"x": [["builtin"]]}')
    assert plugins.installed_entry_points() == expected  # damaged: asked again, rewritten
    key = plugins._entry_points_key()
    forged = {key: [["evil", "os"]]}
    (cache / "entry-points.json").write_text(json.dumps(forged))
    if hasattr(os, "getuid"):
        cache.chmod(0o777)  # others may write here: the file is not believed
        assert plugins.installed_entry_points() == expected


def test_an_entry_point_value_loads_as_importlib_metadata_loads_it():
    from importlib.metadata import EntryPoint

    for value in ("gkaudit.rules", "gkaudit.rules:register_rules", "os.path:join [extra]"):
        expected = EntryPoint(name="x", value=value, group="gkaudit").load()
        assert plugins.load_entry_point(value) is expected
    with pytest.raises(ValueError):
        plugins.load_entry_point("not a module!")
