"""Reading JSON and YAML documents strictly, with errors that say where the document is wrong.

Every document supplier_qual reads (submissions, performance and certificate files,
policies, tenders, questionnaires, registry settings) comes through here, so the
same rules hold at every entrance:

- a file larger than the cap is refused before it is read (:func:`read_bytes`);
- a key given twice is refused, naming both places: a second value silently
  replacing the first could turn a failed knockout into a pass;
- nesting deeper than :data:`~supplier_qual.limits.MAX_DEPTH`, whole numbers longer
  than :data:`~supplier_qual.limits.MAX_DIGITS` digits, non-finite numbers (``NaN``,
  ``Infinity``, ``1e999``), impossible dates (``2026-02-30``) and lone surrogate
  escapes (``"\\ud800"``) are refused, each with its JSON path or line;
- YAML aliases may not expand a document past :data:`~supplier_qual.limits.MAX_VALUES`
  values (a few lines of aliases can stand for billions) nor contain themselves;
- a ``.json`` file is read as JSON even where YAML is accepted too (tabs are fine in JSON).
"""

from __future__ import annotations

import bisect
import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

from .errors import ConfigurationError, InputError, Problem, json_path
from .limits import MAX_DEPTH, MAX_DIGITS, ReadLimits, size_text
from .strict_yaml import parse_yaml

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:
        (?P<punct>[{}\[\]:,])
      | (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)
      | (?P<word>true|false|null|NaN|-?Infinity)
    )""",
    re.X | re.S,
)


class _Refused(Exception):
    """Raised by a JSON decoding hook: the document breaks a rule; :func:`_locate` finds where."""


def read_bytes(path: Path, *, what: str, error: type[InputError] = InputError, max_bytes: int | None = None) -> bytes:
    """The file's bytes, refused unread when larger than ``max_bytes`` (default :class:`ReadLimits`).

    :raises InputError: of class ``error``: unreadable (``cannot read the {what}: …``) or too large.
    """
    cap = max_bytes if max_bytes is not None else ReadLimits.from_env().max_bytes
    source = str(path)

    def too_large(size: int, exact: bool) -> InputError:
        said = size_text(size) if exact else f"more than {size_text(cap)}"
        return error([Problem(f"the {what} is {said}, more than the {size_text(cap)} accepted")], source=source)

    try:
        with open(path, "rb") as stream:
            info = os.fstat(stream.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > cap:
                raise too_large(info.st_size, True)
            data = stream.read(cap + 1)
    except IsADirectoryError as exc:
        raise error([Problem(f"cannot read the {what}: it is a folder")], source=source) from exc
    except OSError as exc:
        raise error([Problem(f"cannot read the {what}: {exc.strerror}")], source=source) from exc
    if len(data) > cap:  # a pipe or a file that grew while it was read
        raise too_large(len(data), False)
    return data


def parse_document(data: bytes, *, source: str, error: type[InputError] = InputError) -> object:
    """A document that may be YAML or JSON: a ``.json`` file, or text that opens with ``{`` or ``[`` and is
    valid JSON, is read as JSON; anything else as YAML."""
    if source.lower().endswith(".json"):
        return parse_json(data, source=source, error=error)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        try:
            text = data.decode("utf-8-sig")
            json.loads(text, object_pairs_hook=list)
        except (ValueError, RecursionError):
            pass  # not JSON after all (a YAML flow mapping, say): YAML reports what is wrong
        else:
            return parse_json(data, source=source, error=error)
    return parse_yaml(data, source=source, error=error)


# --- JSON ------------------------------------------------------------------------------------------


def parse_json(data: bytes, *, source: str, error: type[InputError] = InputError) -> object:
    """JSON bytes (UTF-8, with or without a byte-order mark) as Python data, under the rules above.

    :raises InputError: of class ``error``, at the byte, line and column or JSON path at fault.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error([Problem("not UTF-8 text", f"byte {exc.start}")], source=source) from exc
    try:
        value = json.loads(
            text, object_pairs_hook=_object, parse_int=_int, parse_float=_float, parse_constant=_constant
        )
    except (_Refused, RecursionError):
        raise error(_locate(text) or [Problem("not a JSON document supplier_qual accepts")], source=source) from None
    except json.JSONDecodeError as exc:
        raise error(
            [Problem(f"not valid JSON: {exc.msg}", f"line {exc.lineno} column {exc.colno}")], source=source
        ) from exc
    deep = text.count("{") + text.count("[") > MAX_DEPTH
    if (deep or _SURROGATE_ESCAPE.search(text)) and not _acceptable(value):
        raise error(_locate(text) or [Problem("not a JSON document supplier_qual accepts")], source=source)
    return value


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Refused
    return found


def _int(text: str) -> int:
    if len(text) - text.startswith("-") > MAX_DIGITS:
        raise _Refused
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused
    return value


def _constant(name: str) -> float:
    raise _Refused


def _acceptable(value: object) -> bool:
    """Whether decoded data nests at most :data:`MAX_DEPTH` deep and holds no lone surrogate."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                return False
            continue
        if not isinstance(item, dict | list):
            continue
        if depth >= MAX_DEPTH:
            return False
        children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, str | dict | list))
    return True


def _locate(text: str) -> list[Problem]:
    """Every rule the JSON ``text`` breaks, with its JSON path and line (a slow pass, run only when one is broken)."""
    lines = [m.end() for m in re.finditer("\n", text)]

    def place(at: int) -> str:
        line = bisect.bisect_right(lines, at)
        column = at - (lines[line - 1] if line else 0) + 1
        return f"line {line + 1} column {column}"

    problems: list[Problem] = []
    stack: list[dict[str, Any]] = []

    def here() -> list[str | int]:
        if not stack:
            return []
        top = stack[-1]
        return [*top["path"], top["key"] if top["kind"] == "object" else top["index"]]

    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            break
        position = match.end()
        kind = match.lastgroup
        piece = match[kind] if kind else ""
        at = match.start(kind) if kind else match.start()
        if kind == "punct":
            if piece in "{[":
                if len(stack) >= MAX_DEPTH:
                    problems.append(
                        Problem(
                            f"nested more than {MAX_DEPTH} levels deep: not a document supplier_qual reads", place(at)
                        )
                    )
                    return problems
                path = here()
                stack.append(
                    {
                        "kind": "object" if piece == "{" else "list",
                        "path": path,
                        "seen": {},
                        "key": "",
                        "index": 0,
                        "expect_key": piece == "{",
                    }
                )
            elif piece in "}]":
                if stack:
                    stack.pop()
            elif piece == "," and stack:
                top = stack[-1]
                if top["kind"] == "list":
                    top["index"] += 1
                else:
                    top["expect_key"] = True
            continue
        if kind == "string":
            decoded = json.loads(piece)
            if stack and stack[-1]["kind"] == "object" and stack[-1]["expect_key"]:
                top = stack[-1]
                top["expect_key"], top["key"] = False, decoded
                if decoded in top["seen"]:
                    first = top["seen"][decoded]
                    problems.append(
                        Problem(
                            f'the key "{decoded}" is given twice ({first} and {place(at)}): give it once; the '
                            "second value would silently replace the first",
                            json_path(here()),
                        )
                    )
                else:
                    top["seen"][decoded] = place(at)
            if _LONE_SURROGATE.search(decoded):
                problems.append(
                    Problem(
                        f"text with a lone surrogate escape, which is not a character ({place(at)}): correct the text",
                        json_path(here()),
                    )
                )
        elif kind == "number":
            digits = len(piece) - piece.startswith("-")
            if re.fullmatch(r"-?[0-9]+", piece) and digits > MAX_DIGITS:
                problems.append(
                    Problem(
                        f"a whole number of {digits:,} digits ({place(at)}): at most {MAX_DIGITS} are accepted",
                        json_path(here()),
                    )
                )
            elif not re.fullmatch(r"-?[0-9]+", piece) and not math.isfinite(float(piece)):
                problems.append(
                    Problem(
                        f"{piece[:20]} is too large a number ({place(at)}): numbers must be finite", json_path(here())
                    )
                )
        elif kind == "word" and piece in ("NaN", "Infinity", "-Infinity"):
            problems.append(
                Problem(f"{piece} is not a number ({place(at)}): numbers must be finite", json_path(here()))
            )
    return problems


# --- settings and reference data the buyer supplies: their faults are configuration problems -------


def config_text(path: str | Path, what: str) -> str:
    """A settings or reference-data file as text, under the same size cap as every input.

    :raises ConfigurationError: ``{path}: cannot read the {what} (…)``.
    """
    try:
        return read_bytes(Path(path), what=what).decode("utf-8-sig")
    except InputError as exc:
        raise ConfigurationError(f"{path}: cannot read the {what} ({exc.problems[0].message})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigurationError(f"{path}: cannot read the {what} (not UTF-8 text at byte {exc.start})") from exc


def config_document(path: str | Path, what: str) -> object:
    """A YAML or JSON settings file, read strictly; every problem is named in one configuration error.

    :raises ConfigurationError: ``{path}: cannot read the {what} (line 3: …; …)``.
    """
    raw = config_text(path, what).encode()
    try:
        return parse_document(raw, source=str(path))
    except InputError as exc:
        found = "; ".join(": ".join(p for p in (problem.location, problem.message) if p) for problem in exc.problems)
        raise ConfigurationError(f"{path}: cannot read the {what} ({found})") from exc
