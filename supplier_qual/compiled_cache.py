"""Compiled forms of definition files (questionnaires), kept between runs so that a command does not parse them again.

An entry is keyed by the SHA-256 of the file's bytes, the name it was read under,
and a *stamp* of the engine: its version, the Python version and the source of the
modules that define what is stored. A changed file, another release, another
Python or an edited model therefore never meets an old entry; a stale entry is
simply never read again.

The cache lives in ``$SUPPLIER_QUAL_CACHE_DIR``, else ``$XDG_CACHE_HOME/supplier_qual``
(``~/.cache/supplier_qual``); ``SUPPLIER_QUAL_CACHE_DIR=off`` turns it off. Entries
are pickles, which run code when loaded: an entry is read only from a directory and
file owned by the current user that no one else may write to. A cache that cannot be
read or written (read-only home, full disk, a corrupt entry) is skipped silently: it
only ever saves time.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path

from ._version import VERSION

CACHE_ENV = "SUPPLIER_QUAL_CACHE_DIR"
OFF = ("off", "0", "no", "false")
_STAMPED_MODULES = ("model/questionnaire.py", "questionnaire.py", "schemas/questionnaire.py", "compiled_cache.py")
"""The sources whose change makes every entry stale: what a compiled questionnaire is made of and how."""


def cache_dir() -> Path | None:
    """Where entries are kept, or ``None`` when the cache is off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return None if configured.strip().lower() in OFF or not configured.strip() else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "supplier_qual"


@functools.cache
def engine_stamp() -> str:
    """What an entry was made by: the version, the Python, and the source of the modules that shape entries."""
    digest = hashlib.sha256(f"{VERSION}\0{sys.implementation.cache_tag}\0{pickle.HIGHEST_PROTOCOL}".encode())
    here = Path(__file__).parent
    for name in _STAMPED_MODULES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(b"\0missing\0")
    return digest.hexdigest()


def _entry(kind: str, raw: bytes, source: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(engine_stamp().encode() + b"\0" + source.encode("utf-8", "replace") + b"\0" + raw)
    return folder / kind / f"{key.hexdigest()}.pickle"


def _private(path: Path) -> bool:
    """Whether ``path`` is ours alone: owned by this user and writable by no one else."""
    try:
        info = path.stat()
    except OSError:
        return False
    owner = getattr(os, "getuid", lambda: info.st_uid)()
    return info.st_uid == owner and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def load(kind: str, raw: bytes, source: str) -> object | None:
    """The entry stored for ``raw`` read as ``source``, or ``None`` (none, off, not private, unreadable)."""
    path = _entry(kind, raw, source)
    if path is None or not (_private(path.parent) and _private(path)):
        return None
    try:
        value: object = pickle.loads(path.read_bytes())  # noqa: S301 - our own entry, in a directory only we may write
    except Exception:  # a corrupt or foreign entry is as good as none
        return None
    return value


def store(kind: str, raw: bytes, source: str, value: object) -> None:
    """Keep ``value`` for ``raw`` read as ``source``; silently nothing when the cache cannot be written."""
    path = _entry(kind, raw, source)
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)  # whole or not at all, even with two processes at once
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return
