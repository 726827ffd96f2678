"""The installed package carries its grammar and schemas (not only an editable checkout)."""

from importlib import resources
from pathlib import Path

import gkaudit
from gkaudit.resources import grammar_text, schema


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
