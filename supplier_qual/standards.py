"""Management-system standards as tenders and certificates name them: which standard, which edition.

A tender asks for "ISO 9001:2015", "EN ISO 14001", "ISO 45001 or equivalent"; a
certificate says "BS EN ISO 14001:2015", "ISO/IEC 27001:2022" or "AS9100D".
:func:`standard_of` finds the standard (its *family*, such as ``ISO 14001``), the
edition's year when one is given and, for the aerospace series, its revision letter
(AS9100 **D**), ignoring the national prefixes (EN, BS, DIN …) and amendments. Which
editions are current is reference data (:mod:`supplier_qual.refdata`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FAMILIES: dict[str, str] = {
    "ISO 9001": "quality management",
    "ISO 14001": "environmental management",
    "ISO 45001": "occupational health and safety management",
    "ISO 50001": "energy management",
    "ISO 22000": "food safety management",
    "ISO 13485": "medical devices quality management",
    "ISO 27001": "information security management",
    "ISO 37001": "anti-bribery management",
    "ISO 22301": "business continuity management",
    "ISO 3834": "quality requirements for fusion welding",
    "IATF 16949": "automotive quality management",
    "ISO/TS 16949": "automotive quality management (withdrawn, replaced by IATF 16949)",
    "AS 9100": "aerospace quality management",
    "AS 9110": "aerospace maintenance quality management",
    "AS 9120": "aerospace distributors quality management",
    "OHSAS 18001": "occupational health and safety management (withdrawn, replaced by ISO 45001)",
}
"""The standards recognised, by family, with what each certifies."""

_PATTERN = re.compile(
    r"\b(?P<body>ISO\s*/\s*TS|ISO(?:\s*/\s*IEC)?|IATF|(?:SAE\s*)?AS|EN|JIS\s*Q|OHSAS)\s*[-\s]?"
    r"(?P<number>9001|14001|45001|50001|22000|13485|27001|37001|22301|3834|16949|9100|9110|9120|18001)"
    r"(?:\s*(?:rev(?:ision)?\.?\s*)?(?P<revision>[A-D])\b)?"
    r"(?:\s*(?:-\d)?\s*[:/-]\s*(?P<year>(?:19|20)\d{2}))?",
    re.IGNORECASE,
)
_OWNER = {"16949": "IATF", "9100": "AS", "9110": "AS", "9120": "AS", "18001": "OHSAS"}
_AEROSPACE = ("9100", "9110", "9120")


@dataclass(frozen=True)
class Standard:
    """A standard named in a tender or on a certificate: its family and the edition's year, if given."""

    family: str
    year: str | None = None
    revision: str | None = None

    def __str__(self) -> str:
        return f"{self.family}:{self.year}" if self.year else self.family


def standard_of(text: str) -> Standard | None:
    """The first management-system standard ``text`` names, or ``None``.

    ``"EN ISO 9001:2015/Amd 1:2024"`` → ISO 9001, 2015; ``"ISO/IEC 27001:2022"`` →
    ISO 27001, 2022; ``"AS9100D"`` → AS 9100, revision D (EN 9100 and JIS Q 9100 are
    the same standard); ``"ISO/TS 16949:2009"`` → ISO/TS 16949, 2009.
    """
    for match in _PATTERN.finditer(text):
        number = match.group("number")
        body = re.sub(r"\s+", "", match.group("body").upper())
        if number == "16949" and body.startswith("ISO/TS"):
            family = "ISO/TS 16949"
        elif number in _OWNER:
            family = f"{_OWNER[number]} {number}"
        elif body.startswith("ISO") or body == "EN":
            family = f"ISO {number}"
        else:
            continue
        revision = match.group("revision")
        return Standard(family, match.group("year"), revision.upper() if revision and number in _AEROSPACE else None)
    return None


def standards_in(text: str) -> list[Standard]:
    """Every standard ``text`` names, in order, each family once (``"ISO 9001 and ISO 14001"``)."""
    found: list[Standard] = []
    families: set[str] = set()
    for match in _PATTERN.finditer(text):
        standard = standard_of(match.group(0))
        if standard is not None and standard.family not in families:
            families.add(standard.family)
            found.append(standard)
    return found


def same_standard(certificate: str, required: str) -> bool:
    """Whether a certificate to ``certificate`` is to the standard (and edition, if named) ``required`` names."""
    have, want = standard_of(certificate), standard_of(required)
    if have is None or want is None or have.family != want.family:
        return False
    return want.year is None or have.year is None or have.year == want.year


_IAF = re.compile(
    r"\b(?:IAF|EA|NACE)[\s-]*(?:sectors?|codes?|scopes?)?[\s:]*"
    r"(?P<codes>\d{1,2}(?:\s*(?:,|and|&|/|\+)\s*\d{1,2})*)",
    re.IGNORECASE,
)


def iaf_codes_in(text: str) -> tuple[int, ...]:
    """IAF (EA) sector codes a requirement's text names: "covering IAF 17", "EA codes 17, 18" → (17, 18)."""
    codes: set[int] = set()
    for match in _IAF.finditer(text):
        if match.group(0).upper().startswith("NACE"):
            continue
        codes.update(int(c) for c in re.findall(r"\d{1,2}", match.group("codes")) if 1 <= int(c) <= 39)
    return tuple(sorted(codes))
