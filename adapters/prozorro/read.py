"""A ProZorro (openprocurement) tender read: lots, criteria, bids with their tenderers and requirement responses.

The tender is the object ``GET /api/2.5/tenders/{id}`` returns (under ``data``) or
the bare tender object. Criteria follow the same requirements model as OCDS
(``classification.id`` an ESPD-style code such as ``CRITERION.SELECTION.…``);
bidders come from ``bids[].tenderers`` (``identifier.scheme`` ``UA-EDR``) with
their lots (``lotValues[].relatedLot``) and ``requirementResponses``; bids not
``active`` (invalid, deleted, draft) are left out and noted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from supplier_qual.bids import identifier
from supplier_qual.criteria import criterion_from_json, criterion_requirement
from supplier_qual.errors import Problem, TenderError
from supplier_qual.json_values import iso_date as _date
from supplier_qual.json_values import mapping as _mapping
from supplier_qual.json_values import mappings as _list
from supplier_qual.model import Supplier
from supplier_qual.tender import Bid, Lot, Requirement, Tender

_LIVE = {"active", "pending", ""}


def unwrap(data: object) -> Mapping[str, Any] | None:
    """The tender object of an API answer (``{"data": {...}}``) or a saved tender, else ``None``."""
    if isinstance(data, Mapping) and isinstance(data.get("data"), Mapping):
        data = data["data"]
    if isinstance(data, Mapping) and ("tenderID" in data or "procurementMethodType" in data):
        return data
    return None


def is_criteria_list(data: object) -> bool:
    """A ProZorro criteria template (a list of criteria), which is not a tender."""
    return (
        isinstance(data, list) and bool(data) and all(isinstance(c, Mapping) and "requirementGroups" in c for c in data)
    )


def read_prozorro(tender: Mapping[str, Any], *, source: str) -> Tender:
    """The tender, its lots and requirements, and the bids ProZorro lists."""
    tender_id = str(tender.get("tenderID") or tender.get("id") or "")
    if not tender_id:
        raise TenderError([Problem("the ProZorro tender has no tenderID", "$.tenderID")], source=source)
    closing = _date(_mapping(tender.get("tenderPeriod")).get("endDate"))
    ends = [_date(_mapping(c.get("period")).get("endDate")) for c in _list(tender.get("contracts"))]
    contract_end = max((e for e in ends if e is not None), default=None)
    dates = {"closing_date": closing, "contract_end": contract_end}
    tender_level: list[Requirement] = []
    by_lot: dict[str, list[Requirement]] = {}
    for index, data in enumerate(_list(tender.get("criteria"))):
        criterion = criterion_from_json(data)
        origin = f"ProZorro criterion {criterion.classification or criterion.id} ($.criteria[{index}])"
        requirement = criterion_requirement(criterion, origin=origin, dates=dates)
        if data.get("relatesTo") == "lot" and data.get("relatedItem"):
            by_lot.setdefault(str(data["relatedItem"]), []).append(requirement)
        else:
            tender_level.append(requirement)
    lots = tuple(
        Lot(str(lot.get("id")), str(lot.get("title_en") or lot.get("title") or ""),
            tuple(_unique([*tender_level, *by_lot.get(str(lot.get("id")), [])])), closing, contract_end)
        for lot in _list(tender.get("lots"))
        if lot.get("id") and lot.get("status", "active") != "cancelled"
    )  # fmt: skip
    bidders, notes = _bids(tender, source)
    return Tender(
        id=tender_id,
        title=str(tender.get("title_en") or tender.get("title") or ""),
        closing_date=closing,
        contract_end=contract_end,
        requirements=tuple(_unique(tender_level)),
        lots=lots,
        bidders=tuple(bidders),
        format="prozorro",
        notes=tuple(notes),
        source=source,
    )


def _unique(requirements: list[Requirement]) -> list[Requirement]:
    found: dict[str, Requirement] = {}
    for requirement in requirements:
        found.setdefault(requirement.key or requirement.label, requirement)
    return list(found.values())


def _bids(tender: Mapping[str, Any], source: str) -> tuple[list[Bid], list[str]]:
    bidders: list[Bid] = []
    notes: list[str] = []
    for index, bid in enumerate(_list(tender.get("bids"))):
        bid_id = str(bid.get("id") or f"bids[{index}]")
        status = str(bid.get("status") or "")
        if status not in _LIVE:
            notes.append(f"{source}: bid {bid_id} is {status} in ProZorro; not checked")
            continue
        responses = {
            str(_mapping(r.get("requirement")).get("id")): r.get("value", r.get("values"))
            for r in _list(bid.get("requirementResponses"))
            if _mapping(r.get("requirement")).get("id") is not None
        }
        lots = tuple(str(v["relatedLot"]) for v in _list(bid.get("lotValues")) if v.get("relatedLot"))
        for tenderer in _list(bid.get("tenderers")):
            ident = _mapping(tenderer.get("identifier"))
            scheme, value = str(ident.get("scheme") or ""), str(ident.get("id") or "")
            full = identifier(scheme, value) if value else ""
            address = _mapping(tenderer.get("address"))
            supplier = Supplier(
                name=str(ident.get("legalName") or tenderer.get("name") or full),
                id=full,
                scheme=scheme,
                country=str(address.get("countryName_en") or address.get("countryName") or ""),
            )
            bidders.append(
                Bid(
                    supplier=supplier,
                    identifiers=(full,) if full else (),
                    lots=lots,
                    responses=responses,
                    id=bid_id,
                    date=_date(bid.get("date")),
                    sources=(f"{source}: bid {bid_id}",),
                )
            )
    return bidders, notes
