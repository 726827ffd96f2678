"""The installed package carries its grammar and schemas (not only an editable checkout)."""

from importlib import resources
from pathlib import Path

import gkaudit
from gkaudit.base.resources import grammar_text, schema


def test_grammar_and_schema_are_inside_the_installed_package():
    package = Path(gkaudit.__file__).parent
    grammar = resources.files("gkaudit.grammars").joinpath("report.lark")
    assert Path(str(grammar)).parent == package / "grammars"
    assert "SECTION_HEADING" in grammar_text("report")
    assert schema("report")["title"] == "gkaudit parse output"


def test_console_script_is_installed():
    from importlib.metadata import entry_points

    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    assert scripts["gkaudit"] == "gkaudit.cli:main"


def test_no_merge_conflict_markers_in_the_repository():
    """A merge left half-resolved must not ship: documents are read by auditors too."""
    root = Path(__file__).resolve().parents[1]
    suffixes = {".py", ".md", ".toml", ".lark", ".json", ".yml", ".yaml", ".cfg", ".txt", ".html"}
    folders = ("gkaudit", "rules", "grammars", "tests", "benchmarks", "docs", "tools", ".ci")
    files = [root / "README.md", root / "pyproject.toml", root / "Makefile"]
    for folder in folders:
        files += [p for p in (root / folder).rglob("*") if p.suffix in suffixes or p.parent.name == ".ci"]
    marked = []
    for file in files:
        if not file.is_file() or "data" in file.relative_to(root).parts:
            continue
        for number, line in enumerate(file.read_text("utf-8", errors="replace").splitlines(), 1):
            if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line == "=======":
                marked.append(f"{file.relative_to(root)}:{number}")
    assert not marked, marked
