"""Whether the evidence an answer gives cites a document, or is only a placeholder.

Evidence is what lifts an answer from *declared* to *documented*. Text such as "-",
"TBD", "yes", "available on request" or "on file" names no document: it is a
*placeholder*, and the answer counts as unevidenced. What remains once the
placeholder phrases (policy data, :data:`supplier_qual.policy.PLACEHOLDER_EVIDENCE`)
are taken out must cite a document by

- an identifier: a word with a digit in it (``QM-01``, ``PR 8.5``, ``rev 4``);
- a file name (``calibration-register.xlsx``);
- or a title: a document word (manual, procedure, register, record …) or two words
  in title case (``Supplier Approval``).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable

_TOKEN = re.compile(r"[\w./\-]+")
_FILE = re.compile(
    r"\.(pdf|docx?|xlsx?|xlsm|csv|txt|pptx?|odt|ods|odp|png|jpe?g|tiff?|zip|msg|eml|html?|xml|json)$", re.IGNORECASE
)
_DOCUMENT_WORDS = """
    manual manuals procedure procedures policy policies plan plans planning register registers record records
    report reports log logs logbook matrix instruction instructions specification specifications spec drawing
    drawings checklist checklists form forms minutes schedule schedules programme programmes program programs
    certificate certificates list lists chart charts analysis analyses review reviews database sheet sheets study
    studies fmea pfmea dfmea 8d scorecard scorecards survey surveys agreement agreements contract contracts standard
    standards handbook guideline guidelines sop sops map maps statement statements catalogue catalog file folder
    ncr ncrs capa capas ppap fai dashboard flowchart template templates memo letter notice evaluation evaluations
"""
DOCUMENT_WORDS = frozenset(_DOCUMENT_WORDS.split())
"""Words that make a title of what an answer cites: a manual, a register, a report …"""


_NOT_WORD = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=2048)
def _norm(word: str) -> str:
    return _NOT_WORD.sub("", word.casefold())


@functools.lru_cache(maxsize=64)
def _phrases(placeholders: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The placeholder phrases as normalised words, longest first, indexed by their first word."""
    found = []
    for phrase in placeholders:
        words = tuple(w for w in (_norm(t) for t in _TOKEN.findall(phrase)) if w)
        if words:
            found.append(words)
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in sorted(found, key=len, reverse=True):
        by_first.setdefault(words[0], []).append(words)
    return {first: tuple(listed) for first, listed in by_first.items()}


def cites_document(text: str, placeholders: Iterable[str]) -> bool:
    """Whether ``text`` cites a document once the ``placeholders`` phrases are taken out."""
    return _cites(text, placeholders if isinstance(placeholders, tuple) else tuple(placeholders))


@functools.lru_cache(maxsize=2048)
def _cites(text: str, placeholders: tuple[str, ...]) -> bool:
    tokens = [t for t in _TOKEN.findall(text) if _norm(t)]
    if not tokens:
        return False
    phrases = _phrases(placeholders)
    words = [_norm(t) for t in tokens]
    keep = [True] * len(tokens)
    i = 0
    while i < len(words):
        candidates = phrases.get(words[i], ())
        hit = next((p for p in candidates if tuple(words[i : i + len(p)]) == p), None)
        if hit is None:
            i += 1
            continue
        for j in range(i, i + len(hit)):
            keep[j] = False
        i += len(hit)
    left = [t for t, kept in zip(tokens, keep, strict=True) if kept]
    if any(any(ch.isdigit() for ch in t) or _FILE.search(t) for t in left):
        return True
    if any(_norm(t) in DOCUMENT_WORDS for t in left):
        return True
    titled = [t[:1].isupper() and t[1:2].islower() and len(t) > 2 for t in left]
    return any(a and b for a, b in itertools.pairwise(titled))
