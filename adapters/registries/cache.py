"""A small time-to-live cache for registry answers, in memory and optionally in a JSON file.

Registries such as IAF CertSearch charge per verification; keeping each answer
for a day means one certificate is not paid for twice a day. Only answers are
cached (a record, or "not found"); failures never are. The file, when configured,
holds registry answers only, never a credential, and is written atomically with
owner-only permissions.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class TTLCache:
    """Maps a key to a JSON-able answer for ``ttl_seconds``; ``path`` keeps it across runs."""

    def __init__(self, ttl_seconds: float, path: str | None = None, clock: Callable[[], float] = time.time) -> None:
        self.ttl_seconds = ttl_seconds
        self.path = Path(path) if path else None
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, Any]] = self._read() if self.path else {}

    def get(self, key: str) -> tuple[bool, Any]:
        """``(True, answer)`` when a fresh answer is held, else ``(False, None)``."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return False, None
            stored_at, value = entry
            if self._clock() - stored_at >= self.ttl_seconds:
                del self._entries[key]
                return False, None
            return True, value

    def set(self, key: str, value: Any) -> None:
        """Keep ``value`` (JSON-able) for ``key`` from now on."""
        if self.ttl_seconds <= 0:
            return
        with self._lock:
            self._entries[key] = (self._clock(), value)
            if self.path is not None:
                self._write()

    def _read(self) -> dict[str, tuple[float, Any]]:
        assert self.path is not None  # noqa: S101 - only called with a path
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            now = self._clock()
            return {
                str(k): (float(v["at"]), v["value"])
                for k, v in raw.items()
                if isinstance(v, dict) and now - float(v["at"]) < self.ttl_seconds
            }
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("registry cache %s unreadable, starting empty (%s)", self.path, type(exc).__name__)
            return {}

    def _write(self) -> None:
        assert self.path is not None  # noqa: S101 - only called with a path
        data = {k: {"at": at, "value": value} for k, (at, value) in self._entries.items()}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".registry-cache-")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False)
            os.chmod(temp, 0o600)
            os.replace(temp, self.path)
        except OSError as exc:
            # A cache that cannot be written costs money, not correctness.
            log.warning("registry cache %s not written (%s)", self.path, exc.strerror)
