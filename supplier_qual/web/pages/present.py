"""How the pages word and format things: decisions, assurance, certificate states, dates and scores.

Registered as Jinja filters (``{{ value|decision_label }}``) and used by the macros
in ``templates/pages/macros.html``; each badge's *text* carries the meaning, its
colour only repeats it.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask

DECISIONS: dict[str, tuple[str, str, str]] = {
    # decision: (label, symbol, tone)
    "qualified": ("Qualified", "✓", "good"),
    "conditional": ("Conditional", "!", "warn"),
    "not_qualified": ("Not qualified", "✗", "bad"),
}
CERTIFICATE_STATES: dict[str, tuple[str, str]] = {
    "valid": ("Valid", "good"),
    "expired": ("Expired", "bad"),
    "not_yet_valid": ("Not yet valid", "warn"),
    "suspended": ("Suspended", "bad"),
    "withdrawn": ("Withdrawn", "bad"),
    "unaccredited": ("Not accredited", "bad"),
    "obsolete_standard": ("Obsolete standard", "bad"),
    "invalid": ("Invalid", "bad"),
}
ASSURANCE: dict[str, str] = {
    "self_declared": "Self-declared",
    "evidenced": "Evidenced",
    "certified": "Certified",
    "verified": "Verified",
    "observed": "Observed",
}
ROLES: dict[str, str] = {
    "supplier": "Supplier",
    "buyer": "Buyer",
    "tender_officer": "Tender officer",
    "admin": "Administrator",
}


def decision_label(decision: str | None) -> str:
    return DECISIONS.get(decision or "", (str(decision or "—").replace("_", " ").capitalize(), "", ""))[0]


def decision_symbol(decision: str | None) -> str:
    return DECISIONS.get(decision or "", ("", "", ""))[1]


def decision_tone(decision: str | None) -> str:
    return DECISIONS.get(decision or "", ("", "", "neutral"))[2]


def certificate_label(status: str | None) -> str:
    return CERTIFICATE_STATES.get(status or "", (str(status or "—").replace("_", " ").capitalize(), ""))[0]


def certificate_tone(status: str | None) -> str:
    return CERTIFICATE_STATES.get(status or "", ("", "neutral"))[1]


def assurance_label(assurance: str | None) -> str:
    return ASSURANCE.get(assurance or "", str(assurance or "—").replace("_", " ").capitalize())


def role_label(role: str | None) -> str:
    return ROLES.get(role or "", str(role or ""))


def score(value: float | None) -> str:
    """A score to one decimal, as the reports print it; a dash for none."""
    return "—" if value is None else f"{value:.1f}"


def date(value: dt.date | dt.datetime | str | None) -> str:
    """``2026-11-25``; a moment is shown as its UTC date."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def moment(value: dt.datetime | None) -> str:
    """``2026-11-25 14:03 UTC``."""
    return "—" if value is None else value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


FILTERS = {
    "decision_label": decision_label,
    "decision_symbol": decision_symbol,
    "decision_tone": decision_tone,
    "certificate_label": certificate_label,
    "certificate_tone": certificate_tone,
    "assurance_label": assurance_label,
    "role_label": role_label,
    "score": score,
    "date": date,
    "moment": moment,
}


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
