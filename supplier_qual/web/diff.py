"""What changed between two assessments of a supplier: decision, scores, certificates and findings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _change(before: object, after: object) -> dict[str, object]:
    return {"before": before, "after": after}


def _findings(result: Mapping[str, Any]) -> list[dict[str, str]]:
    found = []
    for oid, outcome in sorted(result.get("outcomes", {}).items()):
        for finding in outcome.get("findings", []):
            found.append(
                {
                    "outcome": oid,
                    "severity": str(finding.get("severity", "")),
                    "message": str(finding.get("message", "")),
                }
            )
    return found


def compare(before: Mapping[str, Any], after: Mapping[str, Any], *, decisions: tuple[str, str]) -> dict[str, Any]:
    """The differences from assessment JSON ``before`` to ``after``.

    :param decisions: the effective decisions (an override counts) of the two.
    """
    outcomes = []
    old_outcomes, new_outcomes = before.get("outcomes", {}), after.get("outcomes", {})
    for oid in sorted(set(old_outcomes) | set(new_outcomes)):
        old, new = old_outcomes.get(oid, {}), new_outcomes.get(oid, {})
        if old.get("score") != new.get("score") or old.get("assurance") != new.get("assurance"):
            outcomes.append(
                {
                    "outcome": oid,
                    "score": _change(old.get("score"), new.get("score")),
                    "assurance": _change(old.get("assurance"), new.get("assurance")),
                }
            )
    old_certs = {c.get("number", ""): c for c in before.get("certificates", [])}
    new_certs = {c.get("number", ""): c for c in after.get("certificates", [])}
    changed_certs = [
        {"number": number, "status": _change(old_certs[number].get("status"), new_certs[number].get("status"))}
        for number in sorted(set(old_certs) & set(new_certs))
        if old_certs[number].get("status") != new_certs[number].get("status")
    ]
    old_findings, new_findings = _findings(before), _findings(after)
    old_overall, new_overall = before.get("overall", {}), after.get("overall", {})
    diff: dict[str, Any] = {
        "decision": _change(*decisions),
        "computed_decision": _change(old_overall.get("decision"), new_overall.get("decision")),
        "overall_score": _change(old_overall.get("score"), new_overall.get("score")),
        "as_of": _change(before.get("as_of"), after.get("as_of")),
        "outcomes": outcomes,
        "certificates_added": sorted(set(new_certs) - set(old_certs)),
        "certificates_removed": sorted(set(old_certs) - set(new_certs)),
        "certificates_changed": changed_certs,
        "findings_added": [f for f in new_findings if f not in old_findings],
        "findings_removed": [f for f in old_findings if f not in new_findings],
    }
    diff["changed"] = bool(
        decisions[0] != decisions[1]
        or diff["computed_decision"]["before"] != diff["computed_decision"]["after"]
        or diff["overall_score"]["before"] != diff["overall_score"]["after"]
        or any(diff[k] for k in ("outcomes", "certificates_added", "certificates_removed", "certificates_changed"))
        or diff["findings_added"]
        or diff["findings_removed"]
    )
    return diff
