"""An OCDS tender read: release packages, record packages and single releases, OCDS 1.1 (and 1.2 fields).

A release package holding several releases of one contracting process is
compiled into one release with ocdskit (OCDS merge rules; no schema is fetched:
the merge uses the default rules, which is what the core fields here need). Read
from the compiled release: tender id, title, lots, closing date
(``tender.tenderPeriod.endDate``), contract end (``tender.contractPeriod.endDate``,
else the latest ``contracts[].period.endDate``); bidders from
``bids.details[].tenderers`` (with their lots and ``requirementResponses``), then
parties with role ``tenderer`` and ``tender.tenderers``; identifiers as
``SCHEME-ID``; requirements from ``tender.criteria`` (requirements extension) and
``tender.selectionCriteria`` where they name a management-system standard.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Mapping
from typing import Any

from supplier_qual.bids import identifier
from supplier_qual.criteria import criterion_from_json, criterion_requirement
from supplier_qual.errors import Problem, TenderError
from supplier_qual.json_values import iso_date as _date
from supplier_qual.json_values import mapping as _mapping
from supplier_qual.json_values import mappings as _list
from supplier_qual.model import Supplier
from supplier_qual.standards import iaf_codes_in, standards_in
from supplier_qual.tender import Bid, Lot, Requirement, Tender


def is_ocds(data: object) -> bool:
    """Whether parsed JSON is OCDS: a release package, a record package or a release."""
    if not isinstance(data, Mapping):
        return False
    if isinstance(data.get("releases"), list) or isinstance(data.get("records"), list):
        return True
    return "ocid" in data and ("tender" in data or "tag" in data)


def compiled_release(data: Mapping[str, Any], *, source: str) -> Mapping[str, Any]:
    """The one contracting process in ``data``, compiled: a record's compiled release, or the releases merged."""
    if isinstance(data.get("records"), list):
        records = [r for r in data["records"] if isinstance(r, Mapping)]
        _one_process([str(r.get("ocid", "")) for r in records], source, "$.records")
        record = records[0]
        compiled = record.get("compiledRelease")
        if isinstance(compiled, Mapping):
            return compiled
        releases = [r for r in record.get("releases", []) if isinstance(r, Mapping) and "tag" in r]
        if not releases:
            raise TenderError(
                [Problem("the record has no compiled release and no full releases", "$.records[0]")], source=source
            )
        return _merge(releases, source)
    if isinstance(data.get("releases"), list):
        releases = [r for r in data["releases"] if isinstance(r, Mapping)]
        if not releases:
            raise TenderError([Problem("the release package holds no release", "$.releases")], source=source)
        _one_process([str(r.get("ocid", "")) for r in releases], source, "$.releases")
        return releases[0] if len(releases) == 1 else _merge(releases, source)
    return data


def _one_process(ocids: list[str], source: str, where: str) -> None:
    found = sorted(set(ocids))
    if not found:
        raise TenderError([Problem("no contracting process in the package", where)], source=source)
    if len(found) > 1:
        raise TenderError(
            [
                Problem(
                    f"the package holds {len(found)} contracting processes ({', '.join(found)}): give one tender", where
                )
            ],
            source=source,
        )


def _merge(releases: list[Mapping[str, Any]], source: str) -> Mapping[str, Any]:
    from ocdskit.combine import merge

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # A schema without merge rules: nothing is fetched from the network; arrays of objects merge by id.
            compiled = list(merge(releases, schema={"properties": {}}))
    except Exception as exc:  # ocdsmerge raises its own error classes for inconsistent data
        raise TenderError([Problem(f"the releases cannot be merged: {exc}", "$.releases")], source=source) from exc
    first: Mapping[str, Any] = compiled[0]
    return first


def read_release(release: Mapping[str, Any], *, source: str) -> Tender:
    """The tender, lots, requirements and bidders of one (compiled) release."""
    tender = _mapping(release.get("tender"))
    ocid = str(release.get("ocid") or "")
    tender_id = str(tender.get("id") or ocid)
    if not tender_id:
        raise TenderError([Problem("the release names no tender (tender.id or ocid)", "$.tender.id")], source=source)
    closing = _date(_mapping(tender.get("tenderPeriod")).get("endDate"))
    ends = [_date(_mapping(c.get("period")).get("endDate")) for c in _list(release.get("contracts"))]
    contract_end = _date(_mapping(tender.get("contractPeriod")).get("endDate")) or max(
        (e for e in ends if e is not None), default=None
    )
    dates = {"closing_date": closing, "contract_end": contract_end}
    tender_level: list[Requirement] = []
    by_lot: dict[str, list[Requirement]] = {}
    notes: list[str] = []
    for index, criterion in enumerate(_list(tender.get("criteria"))):
        requirement = _criterion(criterion, f"$.tender.criteria[{index}]")
        related = [str(x) for x in _list_any(criterion.get("relatedLots"))]
        if not related and criterion.get("relatesTo") == "lot" and criterion.get("relatedItem"):
            related = [str(criterion["relatedItem"])]
        for lot_id in related:
            by_lot.setdefault(lot_id, []).append(requirement)
        if not related:
            tender_level.append(requirement)
    tender_level += _selection(tender.get("selectionCriteria"), notes, "$.tender.selectionCriteria")
    eligibility = tender.get("eligibilityCriteria")
    if isinstance(eligibility, str):
        tender_level += _standards_named(eligibility, "$.tender.eligibilityCriteria")
    lots: list[Lot] = []
    for entry in _list(tender.get("lots")):
        lot_id = str(entry.get("id") or "")
        if not lot_id:
            continue
        lot_end = _date(_mapping(entry.get("contractPeriod")).get("endDate")) or contract_end
        own = by_lot.get(lot_id, []) + _selection(entry.get("selectionCriteria"), notes, f"lot {lot_id}")
        requirements = _with_dates([*tender_level, *own], {**dates, "contract_end": lot_end})
        lots.append(Lot(lot_id, str(entry.get("title") or ""), requirements, closing, lot_end))
    return Tender(
        id=tender_id,
        title=str(tender.get("title") or ""),
        closing_date=closing,
        contract_end=contract_end,
        requirements=_with_dates(tender_level, dates),
        lots=tuple(lots),
        bidders=tuple(_bidders(release, source)),
        format="ocds",
        notes=tuple(notes),
        ocid=ocid,
        source=source,
    )


def _with_dates(requirements: list[Requirement], dates: dict[str, dt.date | None]) -> tuple[Requirement, ...]:
    """Certificate requirements made valid through the contract end when the tender gives one; duplicates once."""
    from supplier_qual.schemas.tender import certificate_requirement  # marshmallow, for an OCDS tender only

    found: dict[str, Requirement] = {}
    for given in requirements:
        requirement = given
        if requirement.kind == "certificate" and dates.get("contract_end") is not None:
            spec = {
                "standard": requirement.params["standard"],
                "iaf_codes": requirement.params["iaf_codes"],
                "valid_through": "contract_end",
            }
            criterion = requirement.params.get("criterion")
            requirement = certificate_requirement(spec, dates, criterion=criterion, origin=requirement.origin)
        found.setdefault(requirement.key or requirement.label, requirement)
    return tuple(found.values())


def _criterion(data: Mapping[str, Any], where: str) -> Requirement:
    criterion = criterion_from_json(data)
    return criterion_requirement(
        criterion, origin=f"OCDS criterion {criterion.id or criterion.title} ({where})", dates={}
    )


def _selection(value: object, notes: list[str], where: str) -> list[Requirement]:
    """Certificate requirements from selection criteria that name a standard; the others noted as not checked."""
    texts: list[str] = []
    if isinstance(value, str):
        texts.append(value)
    elif isinstance(value, Mapping):
        if isinstance(value.get("description"), str):
            texts.append(value["description"])
        texts += [str(c.get("description") or "") for c in _list(value.get("criteria"))]
    found: list[Requirement] = []
    for text in texts:
        named = _standards_named(text, where)
        if named:
            found += named
        elif text.strip():
            shown = text.strip() if len(text) <= 140 else text.strip()[:137] + "..."
            notes.append(f"selection criterion not checked here, to judge by hand ({where}): {shown}")
    return found


def _standards_named(text: str, where: str) -> list[Requirement]:
    from supplier_qual.schemas.tender import certificate_requirement

    codes = iaf_codes_in(text)
    return [
        certificate_requirement({"standard": str(s), "iaf_codes": codes}, {}, origin=f"OCDS {where}")
        for s in standards_in(text)
    ]


def _bidders(release: Mapping[str, Any], source: str) -> list[Bid]:
    parties = {str(p.get("id")): p for p in _list(release.get("parties")) if p.get("id") is not None}
    bidders: list[Bid] = []
    named: set[str] = set()
    for index, detail in enumerate(_list(_mapping(release.get("bids")).get("details"))):
        if detail.get("status") == "withdrawn":
            continue
        responses = {
            str(_mapping(r.get("requirement")).get("id")): r.get("value")
            for r in _list(detail.get("requirementResponses"))
            if _mapping(r.get("requirement")).get("id") is not None
        }
        for reference in _list(detail.get("tenderers")):
            party_id = str(reference.get("id") or "")
            named.add(party_id)
            bidders.append(
                _bid(
                    parties.get(party_id, reference),
                    reference,
                    source,
                    lots=tuple(str(x) for x in _list_any(detail.get("relatedLots"))),
                    responses=responses,
                    bid_id=str(detail.get("id") or f"bids.details[{index}]"),
                    date=_date(detail.get("date")),
                )
            )
    for reference in _list(_mapping(release.get("tender")).get("tenderers")):
        party_id = str(reference.get("id") or "")
        if party_id and party_id not in named:
            named.add(party_id)
            bidders.append(_bid(parties.get(party_id, reference), reference, source))
    for party_id, party in parties.items():
        if "tenderer" in _list_any(party.get("roles")) and party_id not in named:
            named.add(party_id)
            bidders.append(_bid(party, party, source))
    return bidders


def _bid(
    party: Mapping[str, Any],
    reference: Mapping[str, Any],
    source: str,
    *,
    lots: tuple[str, ...] = (),
    responses: dict[str, object] | None = None,
    bid_id: str = "",
    date: dt.date | None = None,
) -> Bid:
    ident = _mapping(party.get("identifier"))
    ids = []
    if ident.get("id") is not None:
        ids.append(identifier(str(ident.get("scheme") or ""), _clean_id(ident["id"])))
    for extra in _list(party.get("additionalIdentifiers")):
        if extra.get("id") is not None:
            ids.append(identifier(str(extra.get("scheme") or ""), _clean_id(extra["id"])))
    party_id = str(party.get("id") or reference.get("id") or "")
    if re.match(r"^[A-Z]{2}-[A-Z0-9_]+-\S+$", party_id):
        ids.append(party_id.upper())
    primary = ids[0] if ids else ""
    name = str(ident.get("legalName") or party.get("name") or reference.get("name") or party_id)
    address = _mapping(party.get("address"))
    supplier = Supplier(
        name=name,
        id=primary,
        scheme=str(ident.get("scheme") or ""),
        country=str(address.get("countryName") or address.get("country") or ""),
    )
    return Bid(
        supplier=supplier,
        identifiers=tuple(dict.fromkeys(ids)),
        lots=lots,
        responses=responses or {},
        id=bid_id or party_id,
        date=date,
        sources=(f"{source}: {bid_id or party_id}",),
    )


def _clean_id(value: object) -> str:
    # Spreadsheet-made data writes registry numbers as floats ("11111111.0"): the registry number is the integer.
    text = str(value).strip()
    return text[:-2] if re.fullmatch(r"\d+\.0", text) else text


def _list_any(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
