"""The tender an ESPD request describes.

A request's QA and environmental criteria become certificate requirements to the
standard its ``cbc:ExpectedDescription`` names (IAF codes it names too: "ISO 9001:2015,
IAF 17"); exclusion grounds become criteria met by answering "no"; other criteria
with a "Your answer?" indicator become criteria met by "yes"; the rest are listed as
not checked.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from supplier_qual.schemas.tender import certificate_requirement
from supplier_qual.standards import iaf_codes_in
from supplier_qual.tender import Criterion, CriterionGroup, CriterionRequirement, Lot, Requirement, Tender

from .criteria import NO_LOT, code_of, criteria_of, criterion_kind, is_answer, lots_of, properties_of, standards_asked
from .document import EspdDocument, child, children, text


def read_request(document: EspdDocument) -> Tender:
    """The tender an ESPD request describes: its reference, lots and the requirements its criteria state."""
    root, v1 = document.root, document.version == "1"
    tender_level: list[Requirement] = []
    by_lot: dict[str, list[Requirement]] = {}
    unchecked: list[str] = []
    lots = [text(lot, "ID") for lot in children(root, "ProcurementProjectLot")]
    lots = [lot for lot in lots if lot not in NO_LOT]
    for criterion in criteria_of(root, v1):
        requirement = _requirement(criterion, v1, document.source)
        if requirement is None:
            unchecked.append(text(criterion, "Name") or code_of(criterion, v1))
            continue
        for req in requirement:
            targets = lots_of(criterion)
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
    criterion_id, code = text(criterion, "ID"), code_of(criterion, v1)
    title = text(criterion, "Name") or code
    info = criterion_kind(criterion_id, code)
    properties = properties_of(criterion, v1)
    origin = f"ESPD criterion {criterion_id or code}"
    if info is not None and info.kind in ("qa_certificate", "env_certificate"):
        expected = " ; ".join(p.expected for p in properties if p.expected)
        spec_codes = iaf_codes_in(expected)
        return [
            certificate_requirement({"standard": standard, "iaf_codes": spec_codes}, {}, origin=origin)
            for standard in standards_asked(properties, info)
        ]
    if code.startswith("CRITERION.OTHER") or (info is not None and info.kind == "eo_data"):
        return []
    answer = next((p for p in properties if is_answer(p)), None)
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
