"""A stored assessment as the supplier's pages show it: decision, score, what to improve, weak outcomes, limits.

Nothing is judged here: every figure, line and decision comes from the assessment
the core made (its JSON, as stored); this only picks out and words what a page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ...outcomes import OUTCOMES
from ..store.models import Assessment, Override

TITLES = {o.id: o.title for o in OUTCOMES}


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def summary(row: Assessment, data: Mapping[str, Any], *, filename: str, override: Override | None) -> dict[str, Any]:
    """What the result page shows of one assessment (``data`` is its stored JSON)."""
    overall = data.get("overall", {})
    thresholds = overall.get("thresholds", {})
    qualify = thresholds.get("qualified_outcome")
    rule_out = thresholds.get("not_qualified_outcome")
    as_of = _date(data.get("as_of")) or row.as_of
    outcomes = []
    for oid, outcome in sorted(data.get("outcomes", {}).items()):
        value = outcome.get("score")
        below = None
        if isinstance(value, int | float):
            if isinstance(rule_out, int | float) and value < rule_out:
                below = f"below {rule_out:g}, where a supplier is not qualified"
            elif isinstance(qualify, int | float) and value < qualify:
                below = f"below the {qualify:g} needed to qualify"
        outcomes.append(
            {
                "id": oid,
                "title": outcome.get("title") or TITLES.get(oid, oid),
                "score": value,
                "assurance": outcome.get("assurance"),
                "below": below,
            }
        )
    actions = [
        {
            "outcome": a.get("outcome", ""),
            "severity": a.get("severity", ""),
            "finding": a.get("finding", ""),
            "action": a.get("action", ""),
            "due": as_of + dt.timedelta(days=int(a["due_days"])) if isinstance(a.get("due_days"), int) else None,
        }
        for a in data.get("corrective_actions", [])
    ]
    return {
        "id": row.id,
        "created_at": row.created_at,
        "as_of": as_of,
        "filename": filename,
        "decision": override.decision if override is not None else row.decision,
        "computed": row.decision if override is not None else None,
        "override_reason": override.reason if override is not None else None,
        "score": overall.get("score", row.overall_score),
        "reasons": list(overall.get("reasons", [])),
        "thresholds": thresholds,
        "outcomes": outcomes,
        "weak": [o for o in outcomes if o["below"]],
        "actions": actions,
        "limits": [lim.get("reason", "") for lim in overall.get("limits", []) if lim.get("reason")],
        "not_checked": list(overall.get("not_checked", [])),
        "certificates": [
            {
                "number": c.get("number", ""),
                "standard": c.get("standard", ""),
                "certification_body": c.get("certification_body", ""),
                "status": c.get("status", ""),
                "expires": c.get("expires"),
            }
            for c in data.get("certificates", [])
        ],
        "questionnaire": data.get("questionnaire", {}),
    }


def _number(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, int | float) else "—"


def changes(diff: Mapping[str, Any]) -> list[str]:
    """The differences :func:`supplier_qual.web.diff.compare` found, as short sentences; empty when none."""
    from .present import assurance_label, certificate_label, decision_label

    said = []
    decision = diff["decision"]
    if decision["before"] != decision["after"]:
        said.append(f"Decision: {decision_label(decision['before'])} → {decision_label(decision['after'])}")
    score = diff["overall_score"]
    if score["before"] != score["after"]:
        said.append(f"Overall score: {_number(score['before'])} → {_number(score['after'])}")
    for item in diff["outcomes"]:
        words = f"Outcome {item['outcome']}: {_number(item['score']['before'])} → {_number(item['score']['after'])}"
        assurance = item["assurance"]
        if assurance["before"] != assurance["after"]:
            words += f" ({assurance_label(assurance['before'])} → {assurance_label(assurance['after'])})"
        said.append(words)
    said.extend(f"Certificate {n} added" for n in diff["certificates_added"])
    said.extend(f"Certificate {n} removed" for n in diff["certificates_removed"])
    for item in diff["certificates_changed"]:
        before, after = certificate_label(item["status"]["before"]), certificate_label(item["status"]["after"])
        said.append(f"Certificate {item['number']}: {before} → {after}")
    if diff["findings_added"]:
        said.append(f"{len(diff['findings_added'])} new finding(s)")
    if diff["findings_removed"]:
        said.append(f"{len(diff['findings_removed'])} finding(s) resolved")
    return said
