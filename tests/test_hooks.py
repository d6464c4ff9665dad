"""Every hook: a plugin implementing it changes the result."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy
import pytest
from click.testing import CliRunner

import supplier_qual
from supplier_qual import hookspecs
from supplier_qual.api import catalog
from supplier_qual.cli import cli
from supplier_qual.model import Assessment
from supplier_qual.plugins import DEFAULT_PLUGINS

from .conftest import AS_OF
from .plugins import overrides

Make = Callable[..., dict[str, Any]]


def _assess(pm: pluggy.PluginManager, data: Any) -> Assessment:
    return supplier_qual.assess(data, as_of=AS_OF, pm=pm)


def test_every_hook_spec_is_tested_here() -> None:
    specs = {name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), "supplier_qual_spec")}
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    assert specs <= tested


def test_register_questionnaires(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    pm.register(overrides.ExtraQuestionnaire(tmp_path))
    assert [(q.id, q.version) for q in catalog(pm)] == [
        ("iso9001-outcomes", "1.0"),
        ("iso9001-outcomes", "1.1"),
        ("tiny-pack", "0.1"),
    ]


def test_read_submission(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    source = tmp_path / "acme.txt"
    source.write_text("ACME Ltd;Partly", encoding="utf-8")
    with pytest.raises(supplier_qual.SubmissionError, match="not a format supplier_qual can read"):
        _assess(pm, source)
    pm.register(overrides.CsvLineReader())
    assessment = _assess(pm, source)
    assert assessment.supplier.name == "ACME Ltd"


def test_read_tender(pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make) -> None:
    tender = tmp_path / "tender.txt"
    tender.write_text("tender;T-42;60", encoding="utf-8")
    with pytest.raises(supplier_qual.InputError):
        supplier_qual.read_tender(tender, pm=pm)
    pm.register(overrides.CsvTenderReader())
    bid = tmp_path / "bid.json"
    bid.write_text(json.dumps(make_submission()), encoding="utf-8")
    result = supplier_qual.eligibility(tender, [bid], as_of=AS_OF, pm=pm)
    assert result.tender.id == "T-42"
    assert [r.requirement for r in result.bidders[0].requirements] == ["overall score at least 60"]


def test_read_bid(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    from supplier_qual.tender import parse_tender

    receipt = tmp_path / "receipt.txt"
    receipt.write_text("bid;Kilo Ltd;GB-COH-0707", encoding="utf-8")
    tender = parse_tender({"id": "T-7", "requirements": {"min_overall": 60}})
    with pytest.raises(supplier_qual.InputError, match="not a format supplier_qual can read"):
        supplier_qual.eligibility(tender, [receipt], as_of=AS_OF, pm=pm)
    pm.register(overrides.PortalBidReader())
    [bidder] = supplier_qual.eligibility(tender, [receipt], as_of=AS_OF, pm=pm).bidders
    assert bidder.supplier.name == "Kilo Ltd" and bidder.state == "cannot_tell" and bidder.evidence == "none"


def test_verify_certificate(pm: pluggy.PluginManager, make_submission: Make) -> None:
    pm.register(overrides.RegistrySaysSuspended())
    assessment = _assess(pm, make_submission())
    assert assessment.certificates[0].status == "suspended"
    assert assessment.decision is not None and assessment.decision.decision == "not_qualified"


def test_verify_certificate_confirmation(pm: pluggy.PluginManager, make_submission: Make) -> None:
    pm.register(overrides.RegistryConfirms())
    assessment = _assess(pm, make_submission())
    assert assessment.certificates[0].verified_by == "test-registry"
    assert {r.assurance for r in assessment.outcomes.values()} == {"verified"}


def test_score_outcome(pm: pluggy.PluginManager, make_submission: Make) -> None:
    pm.register(overrides.HalfOfEverything())
    assessment = _assess(pm, make_submission())
    assert {r.score for r in assessment.outcomes.values()} == {75.0}
    assert {r.assurance for r in assessment.outcomes.values()} == {"observed"}


def test_combine_outcome(pm: pluggy.PluginManager, make_submission: Make) -> None:
    pm.register(overrides.HalfOfEverything())
    pm.register(overrides.WorstEvidenceWins())
    assert {r.score for r in _assess(pm, make_submission()).outcomes.values()} == {50.0}


def test_decide(pm: pluggy.PluginManager, make_submission: Make) -> None:
    pm.register(overrides.AlwaysConditional())
    decision = _assess(pm, make_submission()).decision
    assert decision is not None and decision.decision == "conditional"


def test_plan_corrective_actions(pm: pluggy.PluginManager, make_submission: Make) -> None:
    assert _assess(pm, make_submission()).corrective_actions == ()
    pm.register(overrides.SiteVisit())
    actions = _assess(pm, make_submission()).corrective_actions
    assert [a.action for a in actions] == ["Host a site visit by the buyer's quality engineer"]


def test_check_requirement(pm: pluggy.PluginManager, make_submission: Make, tmp_path: Path) -> None:
    from supplier_qual.tender import parse_tender

    bid = tmp_path / "bid.json"
    bid.write_text(json.dumps(make_submission()), encoding="utf-8")
    tender = parse_tender({"id": "T-7", "requirements": {"min_overall": 60, "decision_at_least": "qualified"}})
    before = supplier_qual.eligibility(tender, [bid], as_of=AS_OF, pm=pm).bidders[0]
    assert before.eligible
    pm.register(overrides.NoTenderWithoutSiteVisit())
    after = supplier_qual.eligibility(tender, [bid], as_of=AS_OF, pm=pm).bidders[0]
    assert not after.eligible
    assert [(r.met, r.reason) for r in after.requirements] == [
        (False, "No site visit yet for tender T-7"),
        (True, before.requirements[1].reason),
    ]


def test_render(pm: pluggy.PluginManager, make_submission: Make) -> None:
    assessment = _assess(pm, make_submission())
    with pytest.raises(supplier_qual.InputError, match="no renderer for the format 'csv'"):
        supplier_qual.render(assessment, "csv", pm=pm)
    pm.register(overrides.Csv())
    assert supplier_qual.render(assessment, "csv", pm=pm).startswith("A,100.0\n")


def test_register_commands(pm: pluggy.PluginManager) -> None:
    pm.register(overrides.Hello())
    pm.hook.register_commands(cli=cli)
    try:
        result = CliRunner().invoke(cli, ["hello"], obj=pm)
        assert result.output == "hello from a plugin\n"
    finally:
        cli.commands.pop("hello", None)


def test_register_routes(pm: pluggy.PluginManager) -> None:
    from supplier_qual.web import create_app

    class Ping:
        @supplier_qual.hookimpl
        def register_routes(self, app: Any) -> None:
            app.add_url_rule("/ping", "ping", lambda: "pong")

    bare = create_app({"DATABASE_URL": "sqlite://"}, pm=pm)
    assert bare.test_client().get("/ping").status_code == 404
    pm.register(Ping())
    app = create_app({"DATABASE_URL": "sqlite://"}, pm=pm)
    assert app.test_client().get("/ping").get_data(as_text=True) == "pong"
    for built in (bare, app):
        built.extensions["supplier_qual"].db.dispose()


def test_misspelled_hook_fails_loudly(pm: pluggy.PluginManager) -> None:
    class Typo:
        @supplier_qual.hookimpl
        def score_outcomes(self) -> None:
            """Misspelled on purpose."""

    pm.register(Typo())
    with pytest.raises(pluggy.PluginValidationError):
        pm.check_pending()


def test_load_plugins_keeps_the_built_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPPLIER_QUAL_LOAD_PLUGINS", "")
    pm = supplier_qual.get_plugin_manager()
    assert {name for name, _ in pm.list_name_plugin()} == set(DEFAULT_PLUGINS)
