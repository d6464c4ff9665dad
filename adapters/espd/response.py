"""What an ESPD response answers: the economic operator and its quality-assurance declarations.

The quality-assurance criterion keeps one UUID in every ESPD version
(``d726bac9-e153-4e75-bfca-c5385587766d``) and a code per generation. A response's
answer to it is a declaration: "yes" becomes a certificate marked *declared* carrying
its evidence (document id, URL, issuer); "no" a declaration with the bidder's
explanation.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from supplier_qual.bids import identifier
from supplier_qual.model import Certificate, Supplier
from supplier_qual.tender import Declaration

from .criteria import (
    NO_LOT,
    CriterionInfo,
    Evidence,
    Property,
    code_of,
    criteria_of,
    criterion_kind,
    is_answer,
    properties_of,
    standards_asked,
)
from .document import EspdDocument, child, children, name, text

_KNOWN_SCHEMES = {"VAT", "VAT_NUMBER", "LEI", "DUNS", "BRIS", "NATIONAL"}

_ROLES = {
    "SCLE": "sole",
    "sole-contr": "sole",
    "LEAD": "group leader",
    "group-lead": "group leader",
    "GM": "group member",
    "group-mem": "group member",
    "OERU": "entity relied upon",
    "oth-ent-rel": "entity relied upon",
    "OENRU": "subcontractor",
    "subco-ent": "subcontractor",
}


@dataclass(frozen=True)
class Operator:
    """The economic operator an ESPD response is about."""

    name: str
    identifiers: tuple[tuple[str, str], ...]
    country: str
    role: str


@dataclass(frozen=True)
class Response:
    """What an ESPD response says, as supplier_qual uses it."""

    operator: Operator
    declarations: tuple[Declaration, ...]
    certificates: tuple[Certificate, ...]
    responses: dict[str, object]
    lots: tuple[str, ...]
    issued: dt.date | None
    reference: str


def read_response(document: EspdDocument) -> Response:
    """The operator, its answers and its quality-assurance declarations in an ESPD response."""
    root, v1 = document.root, document.version == "1"
    operator = _operator(root, v1)
    answers = _answers_v2(root) if not v1 else {}
    evidences = {text(e, "ID"): _evidence(e) for e in children(root, "Evidence")}
    declarations: list[Declaration] = []
    certificates: list[Certificate] = []
    responses: dict[str, object] = {}
    lots: list[str] = []
    for criterion in criteria_of(root, v1):
        properties = properties_of(criterion, v1)
        for prop in properties:
            if not v1:
                prop.answers = answers.get(prop.id, [])
            if prop.answers and prop.type_code != "REQUIREMENT":
                responses[prop.id] = prop.answers[0]
            if prop.data_type == "LOT_IDENTIFIER" and prop.type_code == "QUESTION":
                lots += [str(a) for a in prop.answers]
        info = criterion_kind(text(criterion, "ID"), code_of(criterion, v1))
        if info is None or info.kind not in ("qa_certificate", "env_certificate"):
            continue
        found = _declaration(properties, info, evidences, operator, document)
        if found is not None:
            declarations.append(found[0])
            certificates += found[1]
    issued = text(root, "IssueDate")
    unique = {(c.standard, c.number, c.certification_body, c.evidence_url): c for c in certificates}
    certificates = list(unique.values())
    return Response(
        operator=operator,
        declarations=tuple(declarations),
        certificates=tuple(certificates),
        responses=responses,
        lots=tuple(dict.fromkeys(lot for lot in lots if lot not in NO_LOT)),
        issued=_date(issued),
        reference=text(root, "ContractFolderID"),
    )


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _operator(root: ET.Element, v1: bool) -> Operator:
    party_holder = child(root, "EconomicOperatorParty")
    party = child(party_holder, "Party") if party_holder is not None else None
    if party is None:
        return Operator("", (), "", "")
    identifiers = []
    for ident in children(party, "PartyIdentification"):
        element = child(ident, "ID")
        if element is not None and (element.text or "").strip():
            scheme = element.get("schemeID") or element.get("schemeName") or ""
            identifiers.append((scheme, (element.text or "").strip()))
    # Identifiers of a known scheme (VAT, LEI …) first: they are the ones a tender system matches on.
    identifiers.sort(key=lambda pair: pair[0].upper() not in _KNOWN_SCHEMES and not pair[0].count("-"))
    role = text(party_holder, "EconomicOperatorRole", "RoleCode")
    return Operator(
        name=text(party, "PartyName", "Name"),
        identifiers=tuple(identifiers),
        country=text(party, "PostalAddress", "Country", "IdentificationCode"),
        role=_ROLES.get(role, role.lower()),
    )


def _answers_v2(root: ET.Element) -> dict[str, list[object]]:
    answers: dict[str, list[object]] = {}
    for response in children(root, "TenderingCriterionResponse"):
        prop = text(response, "ValidatedCriterionPropertyID")
        values: list[object] = []
        for value in children(response, "ResponseValue"):
            for element in value:
                local, content = name(element), (element.text or "").strip()
                if not content or local == "ID":
                    continue
                values.append(content.lower() == "true" if local == "ResponseIndicator" else content)
        for supplied in children(response, "EvidenceSupplied"):
            values.append(Evidence(text(supplied, "ID")))
        answers.setdefault(prop, []).extend(values)
    return answers


def _evidence(element: ET.Element) -> Evidence:
    reference = child(element, "DocumentReference")
    issuer = child(reference, "IssuerParty") if reference is not None else None
    return Evidence(
        id=text(reference, "ID") or text(element, "ID"),
        url=text(reference, "Attachment", "ExternalReference", "URI"),
        issuer=text(issuer, "PartyName", "Name") or text(issuer, "PartyIdentification", "ID"),
    )


def _declaration(
    properties: list[Property],
    info: CriterionInfo,
    evidences: dict[str, Evidence],
    operator: Operator,
    document: EspdDocument,
) -> tuple[Declaration, list[Certificate]] | None:
    answer = next((p for p in properties if is_answer(p)), None)
    if answer is None or not answer.answers or not isinstance(answer.answers[0], bool):
        return None
    standards = standards_asked(properties, info)
    where = f"{document.source}: ESPD {document.version} response"
    if not answer.answers[0]:
        explanation = next(
            (
                str(p.answers[0])
                for p in properties
                if p.parent is answer and p.data_type == "DESCRIPTION" and p.answers
            ),
            "",
        )
        return Declaration(standards[0], False, explanation, where), []
    evidence = _evidence_given(properties, evidences)
    certificates = [
        Certificate(
            standard=standard,
            number=evidence.id,
            holder=operator.name,
            certification_body=evidence.issuer,
            evidence_url=evidence.url,
            declared=True,
        )
        for standard in standards
    ]
    return Declaration(standards[0], True, "", where), certificates


def _evidence_given(properties: list[Property], evidences: dict[str, Evidence]) -> Evidence:
    """The evidence a response names: v2+ through ``cac:Evidence``, v1 inline (URL, code, issuer)."""
    found = Evidence()
    for prop in properties:
        for value in prop.answers:
            if isinstance(value, Evidence):
                full = evidences.get(value.id, value)
                found = Evidence(full.id or found.id, full.url or found.url, full.issuer or found.issuer)
            elif prop.data_type == "CODE" and isinstance(value, str):
                found = Evidence(value, found.url, found.issuer)
            elif prop.data_type == "DESCRIPTION" and prop.description.lower() == "issuer" and isinstance(value, str):
                found = Evidence(found.id, found.url, value)
    return found


def supplier_of(response: Response, fallback: str) -> tuple[Supplier, tuple[str, ...]]:
    """The operator as a supplier (its first identifier as the supplier's), and every identifier as ``SCHEME-ID``."""
    operator = response.operator
    ids = tuple(identifier(scheme, value) for scheme, value in operator.identifiers)
    chosen = operator.identifiers[0] if operator.identifiers else ("", "")
    primary = ids[0] if ids else ""
    scheme = "-".join(primary.split("-")[:-1]) if chosen[0] and "-" in primary else ""
    supplier = Supplier(
        name=operator.name or fallback,
        id=primary,
        scheme=scheme,
        country=operator.country,
    )
    return supplier, ids
