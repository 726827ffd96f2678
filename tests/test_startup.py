"""A quick start: the command line loads output libraries only for the output asked for, and
grammars load from a per-user disk cache instead of being analysed in every process."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from lark import Lark

from gkaudit.base.resources import grammar_text
from gkaudit.parse import grammar_cache
from gkaudit.parse.grammar_cache import cached_lark

from conftest import SEEDS

# Not ctypes: a scan's worker sets PR_SET_PDEATHSIG through it (it dies with its parent).
OUTPUT_LIBRARIES = (
    "openpyxl", "jsonschema", "pdfplumber", "pdfminer", "pypdfium2", "docx", "lxml",
    "gkaudit.outputs.xlsx", "gkaudit.outputs.html", "gkaudit.outputs.sarif", "gkaudit.outputs.render", "numpy", "datasketch",
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


# What `check` of a UTF-8 text report needs not load: the encoding detector; and what `--help`
# needs not load besides: the model, the rules, pluggy, the table library (tabulate, with the
# importlib.metadata and zipfile it loads).
NOT_FOR_CHECK = ("charset_normalizer",)
NOT_FOR_HELP = (
    "gkaudit.model.report", "gkaudit.check.rule", "gkaudit.read.layout", "pluggy", "tabulate", "wcwidth",
    "importlib.metadata", "zipfile", *NOT_FOR_CHECK,
)  # fmt: skip


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
    heavy = ("lark", "gkaudit.parse.parser", "gkaudit.audit.engine", "gkaudit.plugins", "gkaudit.audit.scan")
    assert loaded_after(code, heavy + OUTPUT_LIBRARIES + NOT_FOR_HELP) == set()
    assert loaded_after("from gkaudit import parse_text", heavy) == {"lark", "gkaudit.parse.parser"}


def test_the_package_exports_load_on_first_use():
    assert loaded_after("import gkaudit", NOT_FOR_HELP) == set()
    assert loaded_after("from gkaudit import Rule, hookimpl", NOT_FOR_HELP) == {
        "gkaudit.model.report", "gkaudit.check.rule", "pluggy"
    }  # fmt: skip
    import gkaudit

    assert gkaudit.Report.__module__ == "gkaudit.model.report"
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


def test_check_of_a_utf8_report_loads_no_encoding_detector(tmp_path):
    code = main_code("check", str(SEEDS["002"]))
    assert loaded_after(code, NOT_FOR_CHECK) == set()


def test_a_gb18030_file_or_a_list_of_rules_loads_what_it_needs(tmp_path):
    legacy = tmp_path / "gb.txt"
    legacy.write_bytes(SEEDS["002"].read_text("utf-8").encode("gb18030"))
    decoding = f"from gkaudit.read.source import read_text\nread_text({str(legacy)!r})"
    assert loaded_after(decoding, NOT_FOR_CHECK) == {"charset_normalizer"}
    assert "tabulate" in loaded_after(main_code("rules"), ("tabulate",))


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
    from gkaudit.parse.lexer import logical_lines, tokens
    from gkaudit.read.layout import text_document

    return tokens(logical_lines(text_document(SEEDS["002"].read_text("utf-8"))))


def _options() -> dict:
    """The report grammar's options: LALR over the block lexer's tokens (gkaudit.parse.parser)."""
    from gkaudit.parse.parser import REPORT_OPTIONS

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
