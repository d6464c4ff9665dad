"""A stored eligibility run arranged for reading: per lot, per bidder, each requirement met or not and why.

Nothing is judged here: the run's stored result (what ``POST /tenders/{id}/eligibility``
stored and returns) is only grouped and worded for the page, the printable page and
the workbook's file name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..store.models import EligibilityRun

#: A bidder's state: (words, symbol, badge tone).
STATES: dict[str, tuple[str, str, str]] = {
    "met": ("Eligible", "✓", "good"),
    "not_met": ("Not eligible", "✗", "bad"),
    "cannot_tell": ("Cannot tell", "?", "warn"),
}
#: A requirement's state: (words, symbol, badge tone).
REQUIREMENT_STATES: dict[str, tuple[str, str, str]] = {
    "met": ("Met", "✓", "good"),
    "not_met": ("Not met", "✗", "bad"),
    "cannot_tell": ("Cannot tell", "?", "warn"),
}
EVIDENCE = {
    "submission": "the supplier's self-assessment",
    "assessment": "an earlier assessment",
    "declaration": "the bid's own declarations only",
    "none": "no evidence",
}


@dataclass(frozen=True)
class Bidder:
    name: str
    identifier: str
    country: str
    state: str
    decision: str
    score: float | None
    requirements: list[dict[str, str]]
    to_supply: list[str]
    source: str
    evidence: str

    @property
    def words(self) -> tuple[str, str, str]:
        return STATES.get(self.state, (self.state, "", "neutral"))


@dataclass(frozen=True)
class Section:
    """One lot (or the whole tender, ``lot`` ``None``) with its bidders."""

    lot: str | None
    title: str
    bidders: list[Bidder]

    @property
    def counts(self) -> dict[str, int]:
        return {state: sum(1 for b in self.bidders if b.state == state) for state in STATES}


@dataclass(frozen=True)
class Report:
    run_id: int
    as_of: dt.date
    created_at: dt.datetime
    checked_by: str
    tender: dict[str, Any]
    sections: list[Section]
    notices: list[str]
    duplicates: list[dict[str, str]]
    provenance: list[tuple[str, str]]
    result_json: str = field(repr=False)


def _bidder(entry: dict[str, Any]) -> Bidder:
    who = entry.get("supplier") or {}
    requirements = []
    for item in entry.get("requirements") or []:
        words, symbol, tone = REQUIREMENT_STATES.get(str(item.get("state")), (str(item.get("state")), "", "neutral"))
        requirements.append(
            {
                "requirement": str(item.get("requirement") or ""),
                "state": str(item.get("state") or ""),
                "words": words,
                "symbol": symbol,
                "tone": tone,
                "reason": str(item.get("reason") or ""),
            }
        )
    return Bidder(
        name=str(who.get("name") or who.get("id") or "(unnamed bidder)"),
        identifier=str(who.get("id") or ""),
        country=str(who.get("country") or ""),
        state=str(entry.get("state") or ("met" if entry.get("eligible") else "not_met")),
        decision=str(entry.get("decision") or ""),
        score=entry.get("score"),
        requirements=requirements,
        to_supply=[str(s) for s in entry.get("to_supply") or []],
        source=str(entry.get("source") or ""),
        evidence=EVIDENCE.get(str(entry.get("evidence") or ""), str(entry.get("evidence") or "")),
    )


def sections(result: dict[str, Any]) -> list[Section]:
    """The bidders lot by lot, in the tender's order of lots (those of no lot first)."""
    lots = (result.get("tender") or {}).get("lots") or []
    entries = result.get("bidders") or []
    found = []
    loose = [_bidder(e) for e in entries if not e.get("lot")]
    if loose or not lots:
        found.append(Section(None, "", loose))
    for lot in lots:
        lot_id = str(lot.get("id") or "")
        mine = [_bidder(e) for e in entries if e.get("lot") == lot_id]
        if mine or result.get("lot") in (None, lot_id):
            found.append(Section(lot_id, str(lot.get("title") or ""), mine))
    return found


def _provenance(result: dict[str, Any]) -> list[tuple[str, str]]:
    found = result.get("provenance") or {}
    if not found:
        return []
    plugins = found.get("plugins") or []
    return [
        ("Engine version", str(found.get("engine_version") or "—")),
        ("Qualification policy", str(found.get("policy") or "default")),
        ("Policy fingerprint (SHA-256)", str(found.get("policy_sha256") or "the built-in policy")),
        ("Inputs fingerprint (SHA-256)", str(found.get("input_sha256") or "—")),
        ("Rule plugins", ", ".join(f"{p.get('name')} {p.get('version')}" for p in plugins) or "—"),
    ]


def report(run: EligibilityRun, checked_by: str) -> Report:
    result = json.loads(run.result_json)
    return Report(
        run_id=run.id,
        as_of=run.as_of,
        created_at=run.created_at,
        checked_by=checked_by,
        tender=result.get("tender") or {},
        sections=sections(result),
        notices=[str(n) for n in result.get("notices") or []],
        duplicates=[{k: str(v) for k, v in d.items()} for d in result.get("duplicates") or []],
        provenance=_provenance(result),
        result_json=run.result_json,
    )


def run_summary(run: dict[str, Any]) -> dict[str, Any]:
    """A run as the tender's page lists it: when, as of which date, how many bidders are eligible."""
    bidders = (run.get("result") or {}).get("bidders") or []
    return {
        "id": run["id"],
        "as_of": run["as_of"],
        "created_at": run["created_at"],
        "entries": len(bidders),
        "eligible": sum(1 for b in bidders if b.get("eligible")),
        "lot": (run.get("result") or {}).get("lot"),
    }


def download_name(tender_id: str, run_id: int) -> str:
    """``eligibility-T-2026-014-run-3.xlsx``, with only safe characters."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", tender_id).strip("-") or "tender"
    return f"eligibility-{safe}-run-{run_id}.xlsx"
