"""Text that came from an input, made safe to show on a terminal, in a text report or in an error line.

A supplier types names, answers and comments; a workbook may spell any character as
``_x001B_``; a file name in an inbox can hold anything. Printed raw, an escape
sequence among them could retitle the buyer's terminal window, plant a hyperlink,
ring the bell, or move the cursor back over what was printed (carriage return,
backspace, CSI as ``\\x9b``), and a bidirectional override could show text in
another order than it is read. So every text output passes here on its way out,
once, at the boundary (the command line and the files it writes), and never on the
way in: supplier_qual keeps what was typed and shows it, escaped.

Escaped as ``\\x1b`` or ``\\u202e``: the C0 controls (keeping newline and tab in
reports, not in one-line error messages), DEL, the C1 controls, the line and
paragraph separators, the bidirectional controls and lone surrogates. JSON output
keeps its exact data: the same characters are written as JSON escapes
(``\\u001b``), which read back as the very same text.
"""

from __future__ import annotations

import re

_ALWAYS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"
_IN_REPORT = re.compile(f"[{_ALWAYS}]")
_IN_LINE = re.compile(f"[\t\n{_ALWAYS}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character shown as a visible escape; ``one_line`` escapes newline and tab too."""
    return (_IN_LINE if one_line else _IN_REPORT).sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text with the same characters written as JSON escapes: the same data, safe to print.

    Valid because such characters can stand only inside JSON strings, where
    ``\\uXXXX`` means the character itself.
    """
    return _IN_REPORT.sub(_json_escape, text)


def for_output(text: str, fmt: str) -> str:
    """A rendered result made safe to print or write: JSON by :func:`json_safe`, any other text by :func:`printable`."""
    return json_safe(text) if fmt == "json" else printable(text)
