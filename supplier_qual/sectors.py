"""IAF sector codes and their NACE Rev. 2 correspondence; country names and codes.

An *IAF code* (1–39, also called EA code) classifies the activity a
management-system certificate covers; certification bodies assign them from the
client's NACE codes and are accredited per code. A *NACE Rev. 2* code is the EU's
activity classification: a division (``25``), group (``25.6``) or class
(``25.62``), each level one more digit, so a code covers every code it prefixes.
Both tables ship as data with their sources (``supplier_qual/data/README.md``).
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from .errors import ConfigurationError

_NACE = re.compile(r"^\s*(?:[A-Ua-u]\s*)?(\d{2})(?:\.?(\d{1,2}))?\s*$")


@dataclass(frozen=True)
class Sector:
    """One IAF code: its name and the NACE Rev. 2 codes it includes and excludes."""

    code: int
    description: str
    nace: tuple[str, ...]
    nace_excluded: tuple[str, ...] = ()
    note: str = ""

    def includes(self, nace: str) -> bool:
        """Whether the NACE code ``nace`` (normalised, e.g. ``25.62``) falls within this sector."""
        digits = nace.replace(".", "")
        within = any(digits.startswith(n.replace(".", "")) for n in self.nace)
        return within and not any(digits.startswith(n.replace(".", "")) for n in self.nace_excluded)

    def reaches_below(self, nace: str) -> bool:
        """Whether part of the coarser NACE code ``nace`` (``25``) falls within this sector (``25.4``)."""
        digits = nace.replace(".", "")
        return any(len(n.replace(".", "")) > len(digits) and n.replace(".", "").startswith(digits) for n in self.nace)


@dataclass(frozen=True)
class SectorTable:
    """The 39 IAF codes, with where the table came from."""

    sectors: Mapping[int, Sector]
    origin: str

    def for_nace(self, nace: str) -> tuple[int, ...]:
        """The IAF codes a NACE code maps to: one for most classes and groups.

        ``25.62`` → (17,), ``25.4`` → (18,). A division the table splits between
        codes maps to each of them: ``25`` → (17, 18), ``33`` → (17, …, 23).
        """
        code = normalise_nace(nace)
        if code is None:
            return ()
        return tuple(c for c, s in sorted(self.sectors.items()) if s.includes(code) or s.reaches_below(code))

    def name(self, code: int) -> str:
        sector = self.sectors.get(code)
        return f"IAF {code} ({sector.description})" if sector else f"IAF {code}"


def normalise_nace(text: str) -> str | None:
    """``"C25.62"``, ``"2562"``, ``" 25.6 "`` → ``"25.62"``, ``"25.62"``, ``"25.6"``; ``None`` if not NACE."""
    match = _NACE.match(text)
    if match is None:
        return None
    division, rest = match.groups()
    return f"{division}.{rest}" if rest else division


@functools.cache
def iaf_sectors() -> SectorTable:
    """The shipped table of IAF codes (``supplier_qual/data/iaf_scope_codes.csv``)."""
    origin = "supplier_qual/data/iaf_scope_codes.csv"
    text = (resources.files("supplier_qual") / "data" / "iaf_scope_codes.csv").read_text(encoding="utf-8")
    sectors = {}
    for row in csv.DictReader(io.StringIO(text)):
        try:
            code = int(row["code"])
        except (KeyError, ValueError) as exc:
            raise ConfigurationError(f"{origin}: not a valid IAF code table ({exc})") from exc
        sectors[code] = Sector(
            code=code,
            description=row.get("description", "").strip(),
            nace=_codes(row.get("nace_rev2", "")),
            nace_excluded=_codes(row.get("nace_excluded", "")),
            note=(row.get("note") or "").strip(),
        )
    return SectorTable(sectors, origin)


def _codes(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(";") if part.strip())


# --- countries ---------------------------------------------------------------------


@functools.cache
def _country_keys() -> Mapping[str, str]:
    text = (resources.files("supplier_qual") / "data" / "countries.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    keys: dict[str, str] = {}
    for row in csv.DictReader(lines):
        alpha_2 = row["alpha_2"]
        names = [row["alpha_2"], row["alpha_3"], row["name"], *row["other_names"].split(";")]
        for name in names:
            if name.strip():
                keys.setdefault(plain(name), alpha_2)
    return keys


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country given by code or English name, else ``None``."""
    return _country_keys().get(plain(text)) if text.strip() else None


def plain(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces: ``"Köln-Süd"`` → ``"koln sud"``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded.casefold()).split())
