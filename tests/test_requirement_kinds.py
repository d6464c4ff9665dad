"""Requirement kinds beyond scores: performance, age, knockouts, other standards; duplicate bids counted once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy

import supplier_qual
from supplier_qual.tender import parse_tender

from .conftest import AS_OF, VALID_CERTIFICATE, write_json

Make = Callable[..., dict[str, Any]]


def one(pm: pluggy.PluginManager, tmp_path: Path, requirements: dict[str, Any], data: dict[str, Any]) -> Any:
    tender = parse_tender({"id": "T-1", "closing_date": "2026-12-15", "requirements": requirements})
    [bidder] = supplier_qual.eligibility(tender, [write_json(tmp_path / "bid.json", data)], as_of=AS_OF, pm=pm).bidders
    return bidder


def test_performance_thresholds(pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make) -> None:
    wanted = {"min_on_time_delivery_pct": 95, "max_defect_ppm": 500}
    good = one(pm, tmp_path, wanted, make_submission(performance={"on_time_delivery_pct": 97.5, "defect_ppm": 350}))
    assert [r.state for r in good.requirements] == ["met", "met"]
    late = one(pm, tmp_path, wanted, make_submission(performance={"on_time_delivery_pct": 91.0, "defect_ppm": 350}))
    assert late.requirements[0].state == "not_met" and "below the minimum of 95%" in late.requirements[0].reason
    none = one(pm, tmp_path, wanted, make_submission())
    assert [r.state for r in none.requirements] == ["cannot_tell", "cannot_tell"]
    assert none.state == "cannot_tell" and not none.eligible


def test_knockouts_passed(pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make) -> None:
    assert one(pm, tmp_path, {"knockouts_passed": True}, make_submission()).eligible
    failed = one(pm, tmp_path, {"knockouts_passed": True}, make_submission({"G2": "No"}))
    assert failed.state == "not_met" and "G2" in failed.requirements[0].reason


def test_submission_age_needs_a_dated_bid(pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make) -> None:
    undated = one(pm, tmp_path, {"max_submission_age_days": 180}, make_submission())
    assert undated.requirements[0].state == "cannot_tell"
    assessed = one(pm, tmp_path, {"max_assessment_age_days": 30}, make_submission())
    assert assessed.requirements[0].state == "met"


def test_a_certificate_to_another_standard(pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make) -> None:
    ems = {**VALID_CERTIFICATE, "standard": "ISO 14001:2015", "number": "EMS 1"}
    data = make_submission(certificates=[VALID_CERTIFICATE, ems])
    both = one(pm, tmp_path, {"certificate": [{"standard": "ISO 9001:2015"}, {"standard": "ISO 14001"}]}, data)
    assert [r.state for r in both.requirements] == ["met", "met"]
    assert "EMS 1" in both.requirements[1].reason
    missing = one(pm, tmp_path, {"certificate": {"standard": "ISO 45001"}}, data)
    assert missing.requirements[0].state == "not_met"


def test_the_same_bid_twice_is_counted_once(pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make) -> None:
    tender = parse_tender({"id": "T-1", "requirements": {"min_overall": 60}})
    first = write_json(tmp_path / "a.json", make_submission())
    copy = write_json(tmp_path / "b.json", make_submission())
    changed = make_submission({"A1": "No"})
    other = write_json(tmp_path / "c.json", changed)
    result = supplier_qual.eligibility(tender, [first, copy, other, first], as_of=AS_OF, pm=pm)
    assert len(result.bidders) == 1
    assert [(d.source, d.why) for d in result.duplicates] == [
        (str(copy), "the same file given twice"),
        (str(other), "another submission from the same supplier (GB-COH-04567123)"),
        (str(first), "the same file given twice"),
    ]
    text = supplier_qual.render(result, "text", pm=pm)
    assert "1 of 1 eligible" in text and "Duplicate bids (each counted once)" in text
