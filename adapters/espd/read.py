"""What an ESPD request asks and an ESPD response answers, mapped onto tenders, bids and certificates.

The quality-assurance criterion keeps one UUID in every ESPD version
(``d726bac9-e153-4e75-bfca-c5385587766d``) and a code per generation; the
crosswalk of criteria (``criteria.csv`` beside this module) is data. A request's
QA and environmental criteria become certificate requirements to the standard its
``cbc:ExpectedDescription`` names (IAF codes it names too: "ISO 9001:2015, IAF
17"); exclusion grounds become criteria met by answering "no"; other criteria
with a "Your answer?" indicator become criteria met by "yes"; the rest are listed
as not checked. A response's answer to the QA criterion is a declaration: "yes"
becomes a certificate marked *declared* carrying its evidence (document id, URL,
issuer); "no" a declaration with the bidder's explanation.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from supplier_qual.bids import identifier
from supplier_qual.model import Certificate, Supplier
from supplier_qual.schemas.tender import certificate_requirement
from supplier_qual.standards import iaf_codes_in, standards_in
from supplier_qual.tender import (
    Criterion,
    CriterionGroup,
    CriterionRequirement,
    Declaration,
    Lot,
    Requirement,
    Tender,
)

from .document import EspdDocument, child, children, name, text

NO_LOT = {"", "0", "LOT-0000"}
_KNOWN_SCHEMES = {"VAT", "VAT_NUMBER", "LEI", "DUNS", "BRIS", "NATIONAL"}


def _is_answer(prop: Property) -> bool:
    """The criterion's main question ("Your answer?", "Your answer"), an indicator."""
    return prop.data_type == "INDICATOR" and prop.description.lower().rstrip("?: ").strip() == "your answer"


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
class CriterionInfo:
    """A criterion in the crosswalk: what kind it is and which standard it asks for by default."""

    kind: str
    standard: str
    name: str


@functools.cache
def crosswalk() -> dict[str, CriterionInfo]:
    """Every id and code of the criteria supplier_qual recognises, in every ESPD generation, to its kind."""
    table: dict[str, CriterionInfo] = {}
    with (Path(__file__).with_name("criteria.csv")).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            info = CriterionInfo(row["kind"], row["standard"], row["name"])
            for column in ("uuid", "v1_code", "v2_code", "v4_code", "v5_code"):
                if row[column]:
                    table[row[column]] = info
    return table


def criterion_kind(criterion_id: str, code: str) -> CriterionInfo | None:
    """The crosswalk entry of a criterion by its UUID or its code (exclusion grounds also by code family)."""
    table = crosswalk()
    found = table.get(criterion_id) or table.get(code)
    if found is None and (code.startswith("CRITERION.EXCLUSION") or code.startswith("EXCLUSION.")):
        return CriterionInfo("exclusion", "", "")
    return found


@dataclass
class Property:
    """One property (question or requirement) of a criterion, where it sits, and the answer given to it."""

    id: str
    description: str
    type_code: str
    data_type: str
    expected: str
    group_type: str
    parent: Property | None = None
    answers: list[object] = field(default_factory=list)


def _properties(criterion: ET.Element, v1: bool) -> list[Property]:
    """Every property of a criterion in document order, each with the indicator question its group hangs on."""
    found: list[Property] = []

    def walk(group: ET.Element, parent: Property | None, group_type: str) -> None:
        last_indicator = parent
        for element in group:
            local = name(element)
            if local in ("TenderingCriterionProperty", "Requirement"):
                prop = Property(
                    id=text(element, "ID"),
                    description=text(element, "Description"),
                    type_code=text(element, "TypeCode") or ("QUESTION" if v1 else ""),
                    data_type=text(element, "ValueDataTypeCode") or element.get("responseDataType", ""),
                    expected=text(element, "ExpectedDescription") or text(element, "ExpectedID"),
                    group_type=group_type,
                    parent=parent,
                )
                if v1:
                    prop.answers = _v1_answers(element)
                found.append(prop)
                if prop.data_type == "INDICATOR":
                    last_indicator = prop
            elif local in (
                "TenderingCriterionPropertyGroup",
                "SubsidiaryTenderingCriterionPropertyGroup",
                "RequirementGroup",
            ):
                kind = text(element, "PropertyGroupTypeCode") or element.get("pi", "") or "ON*"
                walk(
                    element,
                    last_indicator
                    if kind.upper().replace("GROUP_FULFILLED.", "").replace("_", "") in ("ONTRUE", "ONFALSE")
                    else parent,
                    kind,
                )

    walk(criterion, None, "ON*")
    return found


def _v1_answers(requirement: ET.Element) -> list[object]:
    response = child(requirement, "Response")
    if response is None:
        return []
    answers: list[object] = []
    for element in response.iter():
        local = name(element)
        if local == "Indicator" and element.text:
            answers.append(element.text.strip().lower() == "true")
        elif local in ("Description", "Code", "Amount", "Quantity", "Percent", "Date") and (element.text or "").strip():
            answers.append(element.text.strip())  # type: ignore[union-attr]
        elif local == "EvidenceDocumentReference":
            answers.append(_evidence_v1(element))
    return answers


@dataclass(frozen=True)
class Evidence:
    """Evidence a response points at: the document's id, where it is, who issued it."""

    id: str = ""
    url: str = ""
    issuer: str = ""


def _evidence_v1(reference: ET.Element) -> Evidence:
    return Evidence(text(reference, "ID"), text(reference, "Attachment", "ExternalReference", "URI"))


def _criteria(root: ET.Element, v1: bool) -> list[ET.Element]:
    return children(root, "Criterion" if v1 else "TenderingCriterion")


def _code(criterion: ET.Element, v1: bool) -> str:
    return text(criterion, "TypeCode" if v1 else "CriterionTypeCode")


def _lots_of(criterion: ET.Element) -> tuple[str, ...]:
    lots = [text(ref, "ID") for ref in children(criterion, "ProcurementProjectLotReference")]
    return tuple(lot for lot in lots if lot not in NO_LOT)


def _standards(properties: list[Property], info: CriterionInfo) -> list[str]:
    """The standards a certificate criterion asks for: as its expected description names them, else the default."""
    expected = " ; ".join(p.expected for p in properties if p.type_code == "REQUIREMENT" and p.expected)
    named = [str(s) for s in standards_in(expected)]
    if info.kind == "env_certificate":
        named = [s for s in named if not s.startswith("ISO 9001")]
    return named or [info.standard]


# -- request ------------------------------------------------------------------------------------------------------


def read_request(document: EspdDocument) -> Tender:
    """The tender an ESPD request describes: its reference, lots and the requirements its criteria state."""
    root, v1 = document.root, document.version == "1"
    tender_level: list[Requirement] = []
    by_lot: dict[str, list[Requirement]] = {}
    unchecked: list[str] = []
    lots = [text(lot, "ID") for lot in children(root, "ProcurementProjectLot")]
    lots = [lot for lot in lots if lot not in NO_LOT]
    for criterion in _criteria(root, v1):
        requirement = _requirement(criterion, v1, document.source)
        if requirement is None:
            unchecked.append(text(criterion, "Name") or _code(criterion, v1))
            continue
        for req in requirement:
            targets = _lots_of(criterion)
            if targets:
                for lot in targets:
                    by_lot.setdefault(lot, []).append(req)
            else:
                tender_level.append(req)
    project = child(root, "ProcurementProject")
    title = text(project, "Name") or text(project, "Description")
    return Tender(
        id=text(root, "ContractFolderID") or text(root, "ID"),
        title=title,
        closing_date=None,
        contract_end=None,
        requirements=_unique(tender_level),
        lots=tuple(Lot(lot, requirements=_unique([*tender_level, *by_lot.get(lot, [])])) for lot in lots),
        format="espd",
        notes=(f"not checked here, to judge by hand: {len(unchecked)} ESPD criteria ({'; '.join(unchecked)})",)
        if unchecked
        else (),
    )


def _unique(requirements: list[Requirement]) -> tuple[Requirement, ...]:
    seen: dict[str, Requirement] = {}
    for requirement in requirements:
        seen.setdefault(requirement.key or requirement.label, requirement)
    return tuple(seen.values())


def _requirement(criterion: ET.Element, v1: bool, source: str) -> list[Requirement] | None:
    criterion_id, code = text(criterion, "ID"), _code(criterion, v1)
    title = text(criterion, "Name") or code
    info = criterion_kind(criterion_id, code)
    properties = _properties(criterion, v1)
    origin = f"ESPD criterion {criterion_id or code}"
    if info is not None and info.kind in ("qa_certificate", "env_certificate"):
        expected = " ; ".join(p.expected for p in properties if p.expected)
        spec_codes = iaf_codes_in(expected)
        return [
            certificate_requirement({"standard": standard, "iaf_codes": spec_codes}, {}, origin=origin)
            for standard in _standards(properties, info)
        ]
    if code.startswith("CRITERION.OTHER") or (info is not None and info.kind == "eo_data"):
        return []
    answer = next((p for p in properties if _is_answer(p)), None)
    if answer is None:
        return None
    exclusion = info is not None and info.kind == "exclusion"
    wanted = not exclusion
    item = CriterionRequirement(answer.id, f"{title}: {answer.description}", "boolean", wanted)
    found = Criterion(
        id=criterion_id or code,
        title=title,
        groups=(CriterionGroup(answer.id, (item,)),),
        classification=code,
    )
    words = "exclusion ground" if exclusion else "criterion"
    label = f"{words}: {title} ({'answered no' if exclusion else 'answered yes'})"
    return [Requirement("criterion", {"criterion": found}, label, f"criterion:{found.id}", origin)]


# -- response -----------------------------------------------------------------------------------------------------


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
    for criterion in _criteria(root, v1):
        properties = _properties(criterion, v1)
        for prop in properties:
            if not v1:
                prop.answers = answers.get(prop.id, [])
            if prop.answers and prop.type_code != "REQUIREMENT":
                responses[prop.id] = prop.answers[0]
            if prop.data_type == "LOT_IDENTIFIER" and prop.type_code == "QUESTION":
                lots += [str(a) for a in prop.answers]
        info = criterion_kind(text(criterion, "ID"), _code(criterion, v1))
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
    answer = next((p for p in properties if _is_answer(p)), None)
    if answer is None or not answer.answers or not isinstance(answer.answers[0], bool):
        return None
    standards = _standards(properties, info)
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
