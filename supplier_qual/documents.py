"""Reading JSON and YAML documents, with errors that say where the document is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from .errors import InputError, Problem


def read_bytes(path: Path, *, what: str, error: type[InputError] = InputError) -> bytes:
    """The file's bytes; an unreadable file is an ``error`` naming it (``cannot read the {what}: …``)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise error([Problem(f"cannot read the {what}: {exc.strerror}")], source=str(path)) from exc


def parse_json(data: bytes, *, source: str, error: type[InputError] = InputError) -> object:
    """JSON bytes (UTF-8, with or without a byte-order mark) as Python data.

    :raises InputError: of class ``error``, at the byte or line and column at fault.
    """
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise error([Problem("not UTF-8 text", f"byte {exc.start}")], source=source) from exc
    except json.JSONDecodeError as exc:
        raise error(
            [Problem(f"not valid JSON: {exc.msg}", f"line {exc.lineno} column {exc.colno}")], source=source
        ) from exc


def parse_yaml(data: bytes, *, source: str, error: type[InputError] = InputError) -> object:
    """YAML (or JSON) bytes as Python data, safely loaded.

    :raises InputError: of class ``error``, at the line at fault.
    """
    try:
        return yaml.safe_load(data)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc
        raise error([Problem(f"not valid YAML: {problem}", where)], source=source) from exc
