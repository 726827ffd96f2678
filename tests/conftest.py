import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "reports_sample"
REALWORLD = ROOT / "tests" / "data" / "realworld"  # copied from the shared real-world files

SEEDS = {
    "000": SAMPLES / "bianlukou-township-2024.txt",
    "001": SAMPLES / "shizhuang-town-2024.txt",
    "002": SAMPLES / "dayu-town-2024.txt",
    "003": SAMPLES / "cele-township-2024.txt",
    "004": SAMPLES / "wayaogou-township-2023.txt",
}


@pytest.fixture(params=sorted(SEEDS))
def seed(request: pytest.FixtureRequest) -> Path:
    return SEEDS[request.param]


def realworld(name: str) -> Path:
    path = REALWORLD / name
    if not path.exists():
        pytest.fail(f"{path} is missing from tests/data/realworld")
    return path


def pytest_configure(config: pytest.Config) -> None:
    # Only the built-in pack: plugins installed on the machine never leak into the tests.
    import os

    os.environ["GKAUDIT_LOAD_PLUGINS"] = "builtin,readers"
    # Grammar caches go to a folder of this run, not the user's cache.
    os.environ.setdefault("GKAUDIT_CACHE_DIR", tempfile.mkdtemp(prefix="gkaudit-test-cache-"))


@pytest.fixture(scope="module")
def libreoffice():
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required in CI: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed here (apt-get install libreoffice-writer-nogui)")
    return shutil.which("soffice") or shutil.which("libreoffice")
