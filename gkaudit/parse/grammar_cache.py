"""Lark LALR parsers cached on disk, so that a process starts without analysing the grammar.

``cached_lark(grammar_text, **options)`` returns the same parser as ``Lark(grammar_text,
**options)``. The first process to need a grammar builds it and saves it (``Lark.save``) under
a name keyed by the lark version, the Python version, the grammar text and the options; later
processes load it. The cache folder is per user (``GKAUDIT_CACHE_DIR``, else
``$XDG_CACHE_HOME/gkaudit``, else ``~/.cache/gkaudit``), created private; a folder that other
users can write to is not trusted (a cached parser is a pickle). Files are written to a
temporary name and renamed into place, so concurrent processes never read half a file; a file
that does not load is rebuilt; a folder that cannot be written only costs the build.

lark's own ``cache=True`` is not used: it writes pickles to the shared temporary folder, and
not atomically.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lark import Lark

CACHE_DIR_ENV = "GKAUDIT_CACHE_DIR"
_FORMAT = b"gkaudit-lark-cache 1\n"
# Options given at load time, not stored (lark's own list: callbacks, transformers, lexers'
# post-processors may not pickle).
_RUNTIME_OPTIONS = frozenset(
    {"postlex", "transformer", "lexer_callbacks", "use_bytes", "debug", "g_regex_flags",
     "regex", "propagate_positions", "tree_class", "_plugins"}
)  # fmt: skip


def cached_lark(grammar_text: str, *, cache_dir: Path | None = None, **options: Any) -> Lark:
    """``Lark(grammar_text, **options)``, loaded from the cache when it can be (LALR parsers
    only: others are built each time)."""
    from lark import Lark

    if options.get("parser") != "lalr":
        return Lark(grammar_text, **options)
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    path = folder / f"lark-{cache_key(grammar_text, options)}.pickle"
    runtime = {name: value for name, value in options.items() if name in _RUNTIME_OPTIONS}
    if _trusted(folder):
        parser = _load(path, runtime)
        if parser is not None:
            return parser
    parser = Lark(grammar_text, **options)
    _save(parser, folder, path)
    return parser


def default_cache_dir() -> Path:
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local"
        return Path(base) / "gkaudit" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "gkaudit"


def cache_key(grammar_text: str, options: dict[str, Any]) -> str:
    """Changes with the lark version, the Python version, the grammar and the options."""
    import lark

    described = sorted((name, _describe(value)) for name, value in options.items())
    material = repr((lark.__version__, sys.version_info[:2], grammar_text, described))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def _describe(value: Any) -> str:
    """A stable description: classes and functions by name, not by address."""
    if isinstance(value, type) or callable(value):
        return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', type(value))}"
    return repr(value)


def _trusted(folder: Path) -> bool:
    """The folder exists, and on POSIX is the user's own and writable by no one else."""
    try:
        status = folder.stat()
    except OSError:
        return False
    if hasattr(os, "getuid"):
        return status.st_uid == os.getuid() and not status.st_mode & 0o022
    return True


def _load(path: Path, runtime: dict[str, Any]) -> Lark | None:
    from lark import Lark

    try:
        with path.open("rb") as handle:
            if handle.readline() != _FORMAT:
                return None
            return Lark.__new__(Lark)._load(handle, **runtime)
    except Exception:  # missing, damaged or from an incompatible lark: build instead
        return None


def _save(parser: Lark, folder: Path, path: Path) -> None:
    temporary = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(folder):
            return
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".lark-", suffix=".tmp")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(_FORMAT)
            parser.save(handle, exclude_options=_RUNTIME_OPTIONS)
        os.replace(temporary, path)
        temporary = None
    except Exception:  # read-only or full disk, unpicklable options: the parser still works
        return
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
