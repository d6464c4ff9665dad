"""One small plugin per hook, each changing the result in a way a test can see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from supplier_qual import hookimpl
from supplier_qual.catalog import Catalog
from supplier_qual.model import (
    Assessment,
    Certificate,
    CertificateCheck,
    CorrectiveAction,
    Decision,
    Evidence,
    OutcomeResult,
    Questionnaire,
    RequirementResult,
    Submission,
    Supplier,
)
from supplier_qual.outcomes import Outcome
from supplier_qual.policy import Policy
from supplier_qual.tender import Requirement, Tender

TINY_QUESTIONNAIRE = """
id: tiny-pack
version: "0.1"
title: A sector question pack
questions:
""" + "".join(
    f"""
  - id: {o}1
    outcome: {o}
    text: Is {o} in place?
    type: choice
    options: [{{value: "yes", label: "Yes", points: 1}}, {{value: "no", label: "No", points: 0}}]
"""
    for o in "ABCDEFGHI"
)


class ExtraQuestionnaire:
    def __init__(self, folder: Path) -> None:
        self.path = folder / "tiny-pack.yaml"
        self.path.write_text(TINY_QUESTIONNAIRE, encoding="utf-8")

    @hookimpl
    def register_questionnaires(self) -> list[Path]:
        return [self.path]


class CsvLineReader:
    """Reads ``name;answer`` text files: every question gets the same answer."""

    @hookimpl
    def read_submission(
        self, data: bytes, filename: str, media_type: str | None, questionnaire: Questionnaire | None, catalog: Catalog
    ) -> Submission | None:
        if not filename.endswith(".txt"):
            return None
        from supplier_qual.model import Answer

        name, answer = data.decode().strip().split(";")
        chosen = questionnaire or catalog.default()
        return Submission(
            supplier=Supplier(name=name),
            questionnaire=chosen.ref,
            answers={q.id: Answer(answer) for q in chosen.questions if q.type == "choice"},
        )


class RegistrySaysSuspended:
    @hookimpl
    def verify_certificate(self, certificate: Certificate, context: Any) -> list[CertificateCheck]:
        return [CertificateCheck("test_registry", False, "suspended in the test registry", status="suspended")]


class RegistryConfirms:
    @hookimpl
    def verify_certificate(self, certificate: Certificate, context: Any) -> list[CertificateCheck]:
        return [CertificateCheck("test_registry", True, "found and active", verified_by="test-registry")]


class HalfOfEverything:
    @hookimpl
    def score_outcome(
        self, outcome: Outcome, submission: Submission, questionnaire: Questionnaire, context: Any
    ) -> Evidence:
        return Evidence(source="second_party_audit", assurance="observed", score=50.0, weight=1.0)


class WorstEvidenceWins:
    @hookimpl
    def combine_outcome(self, outcome: Outcome, evidence: list[Evidence], context: Any) -> OutcomeResult:
        scores = [e.score for e in evidence if e.score is not None]
        return OutcomeResult(outcome.id, outcome.title, min(scores, default=0.0), "self_declared")


class AlwaysConditional:
    @hookimpl
    def decide(self, assessment: Assessment, policy: Policy) -> Decision:
        return Decision("conditional", 0.0, ("buyer's own rule: every new supplier starts conditional",))


class SiteVisit:
    @hookimpl
    def plan_corrective_actions(self, assessment: Assessment, policy: Policy) -> list[CorrectiveAction]:
        return [CorrectiveAction("D", "New supplier", "Host a site visit by the buyer's quality engineer", 45)]


class NoTenderWithoutSiteVisit:
    """The buyer's rule: no bidder meets the overall-score requirement before a site visit."""

    @hookimpl
    def check_requirement(
        self, requirement: Requirement, assessment: Assessment, tender: Tender, context: Any
    ) -> RequirementResult | None:
        if requirement.kind != "min_overall":
            return None
        return RequirementResult(requirement.label, False, f"No site visit yet for tender {tender.id}")


class Csv:
    @hookimpl
    def render(self, result: object, fmt: str) -> str | None:
        if fmt != "csv" or not isinstance(result, Assessment):
            return None
        return "".join(f"{oid},{r.score}\n" for oid, r in result.outcomes.items())


class Hello:
    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        @cli.command(help="Say hello.")
        def hello() -> None:
            click.echo("hello from a plugin")


class CsvTenderReader:
    """Reads ``tender;ID;min_overall`` one-line tenders."""

    @hookimpl
    def read_tender(self, data: bytes, filename: str, media_type: str | None) -> Tender | None:
        if not data.startswith(b"tender;"):
            return None
        from supplier_qual.tender import parse_tender

        _, tender_id, score = data.decode().strip().split(";")
        return parse_tender({"id": tender_id, "requirements": {"min_overall": float(score)}})


class PortalBidReader:
    """Reads a portal's ``bid;NAME;ID`` receipt: a bid with no submission."""

    @hookimpl
    def read_bid(self, data: bytes, filename: str, media_type: str | None, catalog: Catalog) -> Any:
        if not data.startswith(b"bid;"):
            return None
        from supplier_qual.tender import Bid

        _, name, ident = data.decode().strip().split(";")
        return Bid(supplier=Supplier(name=name, id=ident), identifiers=(ident,))
