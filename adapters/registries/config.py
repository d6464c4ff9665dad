"""The registries configuration: a YAML file listing the registries to ask, credentials from the environment.

::

    registries:
      - name: IAF CertSearch
        type: iaf_certsearch
        base_url: https://api.iafcertsearch.org/api/client/v1   # from your account's API settings
        api_key_env: IAF_CERTSEARCH_API_KEY                    # the variable holding the key
        match_rate: 100            # POST /company: 80 to 100 in steps of 5
        country: GB                # company_country when a certificate names none
        timeout: {connect: 5, read: 30}
        retries: 3                 # on 429 and 5xx, honouring Retry-After
        backoff_factor: 1.0        # seconds; 0 retries at once
        max_retry_after: 60        # never wait longer than this for one Retry-After
        cache: {ttl_hours: 24, file: true}   # or path: …; without file/path, memory only
      - name: Approved certificates
        type: csv_register
        path: approved-certificates.csv      # relative to this file

An API key is never read from a file: the configuration names the environment
variable that holds it, and a ``api_key`` entry is refused.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supplier_qual.documents import config_document
from supplier_qual.errors import ConfigurationError, problems_from_messages

_SECRET_KEYS = ("api_key", "key", "token", "password", "secret", "x-http-authorization")


@dataclass(frozen=True)
class CacheConfig:
    """How long answers are kept, and in which file (``None``: in memory only)."""

    ttl_seconds: float = 24 * 3600
    path: str | None = None


@dataclass(frozen=True)
class RegistryConfig:
    """One registry to ask; the fields a type does not use keep their defaults."""

    name: str
    type: str
    origin: str
    base_url: str = ""
    api_key_env: str = ""
    match_rate: int = 100
    country: str = ""
    company_path: str = "/company"
    certificate_path: str = "/certificate/{cert_id}"
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff_factor: float = 1.0
    max_retry_after: float = 60.0
    cache: CacheConfig = CacheConfig()
    path: str = ""

    def api_key(self) -> str:
        """The API key from the environment variable the configuration names.

        :raises ConfigurationError: the variable is not set.
        """
        key = os.environ.get(self.api_key_env, "").strip()
        if not key:
            raise ConfigurationError(
                f"registry {self.name}: the environment variable {self.api_key_env} holding its API key is not set"
            )
        return key


def load_registries(path: str) -> tuple[RegistryConfig, ...]:
    """The registries a configuration file lists, re-read when the file changes.

    :raises ConfigurationError: unreadable file, invalid YAML or an invalid entry,
        naming the file and the entry; a credential written into the file.
    """
    try:
        stamp = Path(path).stat().st_mtime_ns
    except OSError as exc:
        raise ConfigurationError(f"{path}: cannot read the registries configuration ({exc.strerror})") from exc
    return _load(path, stamp)


@functools.lru_cache(maxsize=16)
def _load(path: str, stamp: int) -> tuple[RegistryConfig, ...]:
    data = config_document(path, "registries configuration")
    entries = data.get("registries") if isinstance(data, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        secret = next((k for k in _SECRET_KEYS if isinstance(entry, dict) and k in entry), None)
        if secret is not None:
            raise ConfigurationError(
                f"{path}: $.registries[{index}].{secret}: credentials are never read from files; "
                "put the key in an environment variable and name it with api_key_env"
            )
    from marshmallow import ValidationError  # with the schemas: only when a registries file is read

    from .config_schema import FileSchema

    try:
        loaded = FileSchema().load(data if isinstance(data, dict) else {})
    except ValidationError as exc:
        problems = "; ".join(str(p) for p in problems_from_messages(exc.messages))
        raise ConfigurationError(f"{path}: invalid registries configuration: {problems}") from exc
    base = Path(path).resolve().parent
    configs = tuple(_config(entry, str(path), base) for entry in loaded["registries"])
    names = [c.name for c in configs]
    if len(set(names)) != len(names):
        raise ConfigurationError(f"{path}: two registries share a name")
    return configs


def _config(entry: dict[str, Any], origin: str, base: Path) -> RegistryConfig:
    timeout = entry.pop("timeout", {})
    cache = entry.pop("cache", {})
    cache_path = cache.get("path")
    if cache_path:
        cache_path = str((base / Path(cache_path).expanduser()).resolve())
    elif cache.get("file"):
        cache_path = str(default_cache_dir() / f"{_slug(entry['name'])}.json")
    if entry.get("path"):
        entry["path"] = str((base / entry["path"]).resolve())
    if entry.get("base_url"):
        entry["base_url"] = entry["base_url"].rstrip("/")
    return RegistryConfig(
        origin=origin,
        connect_timeout=timeout.get("connect", 5.0),
        read_timeout=timeout.get("read", 30.0),
        cache=CacheConfig(ttl_seconds=cache.get("ttl_hours", 24) * 3600, path=cache_path),
        **entry,
    )


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/supplier-qual`` or ``~/.cache/supplier-qual``."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "supplier-qual"


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-") or "registry"


def registries_of_type(path: str | None, kind: str) -> tuple[RegistryConfig, ...]:
    """The configured registries of type ``kind``; none when no configuration is named."""
    if not path:
        return ()
    return tuple(c for c in load_registries(path) if c.type == kind)
