"""The HTML report, rendered in a real headless Chromium (Debian's package; CI installs it)."""

import os
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from PIL import Image

from gkaudit.cli import main

from conftest import SAMPLES

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI: .ci/run installs the Debian package")
        pytest.skip("chromium is not installed here (apt-get install chromium); CI runs this test")
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    target = tmp_path_factory.mktemp("html") / "report.html"
    result = CliRunner().invoke(
        main, ["scan", str(SAMPLES), "--format", "html", "--output", str(target), "--jobs", "1"]
    )
    assert result.exit_code == 1 and target.exists()
    return target


def browse(chromium, tmp_path, *args):
    command = [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, timeout=120, check=True)


def test_page_is_self_contained(page):
    text = page.read_text("utf-8")
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", text)
    assert "<script>" in text and "<style>" in text


def test_scripts_run_and_filters_work_in_chromium(chromium, page, tmp_path):
    dom = browse(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout.decode("utf-8")
    assert 'data-ready="1"' in dom
    assert '<span id="shown">10</span>' in dom
    assert dom.index("策勒乡人民政府") < dom.index("获嘉县史庄镇")
    filtered = browse(
        chromium, tmp_path, "--dump-dom", page.as_uri() + "#code=GK503"
    ).stdout.decode("utf-8")
    assert '<span id="shown">3</span>' in filtered
    errors = browse(
        chromium, tmp_path, "--dump-dom", page.as_uri() + "#severity=error"
    ).stdout.decode("utf-8")
    assert '<span id="shown">1</span>' in errors
    assert errors.count('class="finding warning hidden"') == 8


def test_screenshot_shows_the_ranking_chart(chromium, page, tmp_path):
    png = tmp_path / "shot.png"
    browse(chromium, tmp_path, f"--screenshot={png}", "--window-size=1200,900", page.as_uri())
    image = Image.open(png).convert("RGB")
    assert image.size == (1200, 900)
    colours = image.getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # text, tables and bars: not a blank page
    bar_pixels = sum(count for count, rgb in colours if rgb == (74, 120, 194))
    assert bar_pixels > 500  # the score bars (#4a78c2) are drawn
