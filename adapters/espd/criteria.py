"""The ESPD criteria supplier_qual recognises, and how a criterion's properties, answers and evidence are read.

The crosswalk (``criteria.csv`` beside this module) maps every UUID and code of
each ESPD generation to a kind of criterion and its default standard.
"""

from __future__ import annotations

import csv
import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from supplier_qual.standards import standards_in

from .document import child, children, name, text

NO_LOT = {"", "0", "LOT-0000"}


def is_answer(prop: Property) -> bool:
    """The criterion's main question ("Your answer?", "Your answer"), an indicator."""
    return prop.data_type == "INDICATOR" and prop.description.lower().rstrip("?: ").strip() == "your answer"


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


def properties_of(criterion: ET.Element, v1: bool) -> list[Property]:
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


def criteria_of(root: ET.Element, v1: bool) -> list[ET.Element]:
    return children(root, "Criterion" if v1 else "TenderingCriterion")


def code_of(criterion: ET.Element, v1: bool) -> str:
    return text(criterion, "TypeCode" if v1 else "CriterionTypeCode")


def lots_of(criterion: ET.Element) -> tuple[str, ...]:
    lots = [text(ref, "ID") for ref in children(criterion, "ProcurementProjectLotReference")]
    return tuple(lot for lot in lots if lot not in NO_LOT)


def standards_asked(properties: list[Property], info: CriterionInfo) -> list[str]:
    """The standards a certificate criterion asks for: as its expected description names them, else the default."""
    expected = " ; ".join(p.expected for p in properties if p.type_code == "REQUIREMENT" and p.expected)
    named = [str(s) for s in standards_in(expected)]
    if info.kind == "env_certificate":
        named = [s for s in named if not s.startswith("ISO 9001")]
    return named or [info.standard]
