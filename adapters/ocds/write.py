"""An eligibility report as OCDS a procurement platform can merge: a release with each bid's status and reasons.

The release follows the bids extension (``bids.details[]`` with ``status``:
``valid`` when the bidder meets every requirement, ``disqualified`` when one is
not met, ``pending`` while one cannot be told; ``bids.statistics`` counts per lot)
and the requirements extension (``requirementResponses``, one per requirement
judged: ``value`` true, false or null for cannot tell, ``description`` the state
and the reason). It is packaged with ocdskit as an OCDS 1.1 release package
declaring both extensions.
"""

from __future__ import annotations

import re
from typing import Any

from supplier_qual.tender import CANNOT_TELL, MET, BidderResult, Eligibility

EXTENSIONS = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_requirements_extension/master/extension.json",
)
_STATUS = {MET: "valid", "not_met": "disqualified", CANNOT_TELL: "pending"}
_WORDS = {MET: "met", "not_met": "not met", CANNOT_TELL: "cannot tell"}


def eligibility_release_package(eligibility: Eligibility) -> dict[str, Any]:
    """The eligibility report as an OCDS 1.1 release package (bids and requirements extensions)."""
    from ocdskit.combine import package_releases  # its extension registry is heavy: imported when writing

    tender = eligibility.tender
    day = eligibility.as_of.isoformat()
    ocid = tender.ocid or f"ocds-sqelig-{_slug(tender.id)}"
    parties: dict[str, dict[str, Any]] = {}
    details = []
    for index, bidder in enumerate(eligibility.bidders, start=1):
        party_id = _party_id(bidder, index)
        parties.setdefault(party_id, _party(bidder, party_id))
        details.append(_detail(bidder, party_id, index))
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-eligibility-{day}" + (f"-{_slug(eligibility.lot)}" if eligibility.lot else ""),
        "date": f"{day}T00:00:00Z",
        "tag": ["tenderUpdate"],
        "initiationType": "tender",
        "parties": list(parties.values()),
        "tender": {"id": tender.id, **({"title": tender.title} if tender.title else {})},
        "bids": {"details": details, "statistics": _statistics(eligibility)},
    }
    if tender.lots:
        release["tender"]["lots"] = [
            {"id": lot.id, **({"title": lot.title} if lot.title else {})} for lot in tender.lots
        ]
    package: dict[str, Any] = package_releases(
        [release],
        uri=f"urn:supplier-qual:eligibility:{_slug(tender.id)}:{day}",
        publisher={"name": "supplier-qual eligibility check"},
        published_date=f"{day}T00:00:00Z",
        extensions=list(EXTENSIONS),
    )
    return package


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-") or "tender"


def _party_id(bidder: BidderResult, index: int) -> str:
    return next(iter(bidder.identifiers), "") or bidder.supplier.id or f"bidder-{index}"


def _party(bidder: BidderResult, party_id: str) -> dict[str, Any]:
    supplier = bidder.supplier
    party: dict[str, Any] = {"id": party_id, "name": supplier.name, "roles": ["tenderer"]}
    if supplier.scheme and supplier.id.startswith(f"{supplier.scheme}-"):
        party["identifier"] = {"scheme": supplier.scheme, "id": supplier.id[len(supplier.scheme) + 1 :]}
    elif supplier.id:
        party["identifier"] = {"id": supplier.id}
    return party


def _detail(bidder: BidderResult, party_id: str, index: int) -> dict[str, Any]:
    bid_id = bidder.bid_id or party_id or f"bid-{index}"
    if bidder.lot:
        bid_id = f"{bid_id}-{bidder.lot}"
    verdict = {"met": "Eligible", "not_met": "Not eligible", CANNOT_TELL: "Cannot tell"}[bidder.state]
    unmet = [r for r in bidder.requirements if r.state != MET]
    why = "; ".join(f"{r.requirement}: {r.reason}" for r in unmet) or "every requirement met"
    detail: dict[str, Any] = {
        "id": bid_id,
        "status": _STATUS[bidder.state],
        "description": f"{verdict}: {why}",
        "tenderers": [{"id": party_id, "name": bidder.supplier.name}],
    }
    if bidder.lot:
        detail["relatedLots"] = [bidder.lot]
    responses = [
        {
            "id": f"{bid_id}-R{number}",
            "title": result.requirement,
            "description": f"{_WORDS[result.state]}: {result.reason}",
            "value": None if result.state == CANNOT_TELL else result.met,
            "requirement": {"id": f"R{number}", "title": result.requirement},
        }
        for number, result in enumerate(bidder.requirements, start=1)
    ]
    if responses:
        detail["requirementResponses"] = responses
    return detail


def _statistics(eligibility: Eligibility) -> list[dict[str, Any]]:
    lots: list[str | None] = [lot.id for lot in eligibility.lots] or [None]
    statistics = []
    for lot in lots:
        entries = [b for b in eligibility.bidders if b.lot == lot]
        for measure, count in (
            ("bids", len(entries)),
            ("validBids", sum(1 for b in entries if b.state == MET)),
            ("disqualifiedBids", sum(1 for b in entries if b.state == "not_met")),
        ):
            statistic: dict[str, Any] = {
                "id": f"{measure}{f'-{lot}' if lot else ''}",
                "measure": measure,
                "value": count,
            }
            if lot:
                statistic["relatedLot"] = lot
            statistics.append(statistic)
    return statistics
