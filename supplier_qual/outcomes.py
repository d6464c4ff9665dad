"""The nine expected outcomes A–I of accredited ISO 9001 certification, as data.

An *outcome* is one of the things the IAF/ISO communiqué "Expected Outcomes for
Accredited Certification to ISO 9001" (2009) says a customer may expect of an
organization whose quality management system (QMS) is certified under
accreditation. supplier_qual scores every supplier against each of them.

The summaries below paraphrase the communiqué; the clause references point to the
ISO 9001:2015 clauses mainly concerned. The same communiqué warns that
certification covers the management system, not the product, and does not
guarantee that every product conforms (:data:`CERTIFICATION_CAVEAT`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """One expected outcome: its letter, a short title, a paraphrase and clause references."""

    id: str
    title: str
    summary: str
    clauses: tuple[str, ...]


OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        "A",
        "Suitable quality management system",
        "The organization runs a quality management system that fits its products, "
        "processes and the scope of its certification.",
        ("4.1", "4.2", "4.3", "4.4"),
    ),
    Outcome(
        "B",
        "Customer and regulatory requirements understood",
        "It analyses and understands what its customers need and the statutory and "
        "regulatory requirements that apply to its products.",
        ("5.1.2", "8.2"),
    ),
    Outcome(
        "C",
        "Product characteristics specified",
        "It has specified the characteristics of its products so that they meet "
        "customer and statutory or regulatory requirements.",
        ("8.2.3", "8.3"),
    ),
    Outcome(
        "D",
        "Processes determined and managed",
        "It has determined and manages the processes needed to deliver conforming "
        "products and to satisfy its customers.",
        ("4.4", "8.1", "8.4", "8.5"),
    ),
    Outcome(
        "E",
        "Resources to operate and monitor",
        "It has the people, infrastructure and measuring resources needed to run and monitor those processes.",
        ("7.1", "7.2"),
    ),
    Outcome(
        "F",
        "Product characteristics monitored",
        "It monitors and controls the product characteristics it has defined.",
        ("8.5.1", "8.6", "9.1.1"),
    ),
    Outcome(
        "G",
        "Nonconformities prevented and corrected",
        "It works to prevent nonconformities, corrects those that occur (including "
        "after delivery), finds their root causes and takes corrective action, and "
        "handles customer complaints.",
        ("8.7", "10.2", "9.1.2"),
    ),
    Outcome(
        "H",
        "Internal audit and management review",
        "It runs an effective internal audit programme and management review.",
        ("9.2", "9.3"),
    ),
    Outcome(
        "I",
        "Continual improvement",
        "It monitors and measures the effectiveness of its quality management system and improves it continually.",
        ("9.1", "10.1", "10.3"),
    ),
)

OUTCOME_IDS: tuple[str, ...] = tuple(o.id for o in OUTCOMES)
BY_ID: dict[str, Outcome] = {o.id: o for o in OUTCOMES}

CERTIFICATION_CAVEAT = (
    "Accredited ISO 9001 certification concerns the supplier's quality management "
    "system, not its products: it does not guarantee that every product conforms."
)


def outcome(outcome_id: str) -> Outcome:
    """The outcome with letter ``outcome_id`` (``KeyError`` when there is none)."""
    return BY_ID[outcome_id]
