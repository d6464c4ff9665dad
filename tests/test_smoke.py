"""The example submissions assess end to end."""

from __future__ import annotations

import pluggy

import supplier_qual

from .conftest import AS_OF, EXAMPLES


def test_example_submission_is_qualified(pm: pluggy.PluginManager) -> None:
    assessment = supplier_qual.assess(EXAMPLES / "northwind-components.json", as_of=AS_OF, pm=pm)
    assert assessment.decision is not None
    assert assessment.decision.decision == "qualified"
    assert set(assessment.outcomes) == set("ABCDEFGHI")
