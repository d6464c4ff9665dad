"""Five bidders for a two-lot tender, written as submissions, an OCDS package, and ESPD request and responses.

LOT-1 asks for an accredited ISO 9001:2015 certificate covering IAF 17, LOT-2 one
covering IAF 28 (and ends sooner); both ask for it valid through the contract
end and for outcome G at least 50. The bidders:

- Alpha: certificate covering IAF 17 and 28, valid to 2029 → eligible for both lots;
- Bravo: certificate expiring 2027-03-14, before either contract end → neither;
- Charlie: certificate covering IAF 28 only → LOT-2 only;
- Delta: no certificate → neither;
- Echo: a good certificate, but outcome G answered at its worst → neither.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from supplier_qual.model import Questionnaire

from .conftest import VALID_CERTIFICATE, full_answers, write_json

CONTRACT_END = "2028-12-31"
LOT2_END = "2027-12-31"
AS_OF = "2026-11-25"
EXPECTED = {"LOT-1": ["Alpha Precision Ltd"], "LOT-2": ["Alpha Precision Ltd", "Charlie Engineering Ltd"]}

BIDDERS: list[dict[str, Any]] = [
    {
        "name": "Alpha Precision Ltd",
        "coh": "01111111",
        "cert": {"iaf_codes": [17, 28], "expires": "2029-06-30", "issued": "2026-07-01", "number": "QA-ALPHA-1"},
    },
    {"name": "Bravo Castings Ltd", "coh": "02222222", "cert": {"number": "QA-BRAVO-1"}},
    {
        "name": "Charlie Engineering Ltd",
        "coh": "03333333",
        "cert": {"iaf_codes": [28], "expires": "2029-01-31", "issued": "2026-02-01", "number": "QA-CHARLIE-1"},
    },
    {"name": "Delta Supplies Ltd", "coh": "04444444", "cert": None},
    {
        "name": "Echo Components Ltd",
        "coh": "05555555",
        "cert": {"iaf_codes": [17, 28], "expires": "2029-03-31", "issued": "2026-04-01", "number": "QA-ECHO-1"},
        "weak_g": True,
    },
]

TENDER_YAML = f"""id: T-2026-020
title: Valve bodies and installation
closing_date: 2026-12-15
contract_end: {CONTRACT_END}
requirements:
  certificate: {{standard: "ISO 9001:2015", valid_through: contract_end}}
  min_outcome: {{G: 50}}
lots:
  - id: LOT-1
    title: Machined valve bodies
    requirements:
      certificate: {{standard: "ISO 9001:2015", iaf_codes: [17], valid_through: contract_end}}
  - id: LOT-2
    title: Installation
    contract_end: {LOT2_END}
    requirements:
      certificate: {{standard: "ISO 9001:2015", iaf_codes: [28], valid_through: contract_end}}
"""


def submission(questionnaire: Questionnaire, bidder: dict[str, Any]) -> dict[str, Any]:
    answers = full_answers(questionnaire)
    if bidder.get("weak_g"):
        for question in questionnaire.questions:
            if question.outcome == "G" and question.type in ("choice", "maturity"):
                worst = min(question.options, key=lambda o: o.points).value
                answers[question.id] = {"value": worst, "evidence": "", "comment": ""}
    certificates = []
    if bidder["cert"] is not None:
        certificate = copy.deepcopy(VALID_CERTIFICATE)
        certificate.update(bidder["cert"], holder=bidder["name"])
        certificates.append(certificate)
    return {
        "supplier": {"name": bidder["name"], "id": f"GB-COH-{bidder['coh']}", "scheme": "GB-COH", "country": "GB"},
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "answers": answers,
        "certificates": certificates,
    }


def write_submissions(folder: Path, questionnaire: Questionnaire) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_json(folder / f"{b['name'].split()[0].lower()}.json", submission(questionnaire, b)) for b in BIDDERS]


def ocds_package(*, with_missing_bidder: bool = False) -> dict[str, Any]:
    parties = [
        {
            "id": "GB-LAC-E09000003",
            "name": "Borough Council",
            "roles": ["buyer"],
            "identifier": {"scheme": "GB-LAC", "id": "E09000003"},
        },
    ]
    details = []
    for index, bidder in enumerate(BIDDERS, start=1):
        party_id = f"GB-COH-{bidder['coh']}"
        parties.append(
            {
                "id": party_id,
                "name": bidder["name"],
                "roles": ["tenderer"],
                "identifier": {"scheme": "GB-COH", "id": bidder["coh"], "legalName": bidder["name"]},
            }
        )
        details.append(
            {
                "id": f"bid-{index}",
                "status": "pending",
                "tenderers": [{"id": party_id, "name": bidder["name"]}],
                "relatedLots": ["LOT-1", "LOT-2"],
                "requirementResponses": [
                    {"id": f"rr-{index}-1", "requirement": {"id": "REQ-QA-1"}, "value": bidder["cert"] is not None},
                    {"id": f"rr-{index}-2", "requirement": {"id": "REQ-QA-2"}, "value": bidder["cert"] is not None},
                ],
            }
        )
    if with_missing_bidder:
        parties.append(
            {
                "id": "GB-COH-09999999",
                "name": "Foxtrot Fabrications Ltd",
                "roles": ["tenderer"],
                "identifier": {"scheme": "GB-COH", "id": "09999999", "legalName": "Foxtrot Fabrications Ltd"},
            }
        )
        details.append(
            {
                "id": "bid-6",
                "tenderers": [{"id": "GB-COH-09999999", "name": "Foxtrot Fabrications Ltd"}],
                "relatedLots": ["LOT-1"],
            }
        )

    def criterion(lot: str, code: int, n: int) -> dict[str, Any]:
        return {
            "id": f"CR-QA-{n}",
            "title": f"Quality management system certified to ISO 9001:2015 covering IAF {code}",
            "relatesToTenderer": True,
            "relatedLots": [lot],
            "requirementGroups": [
                {
                    "id": f"RG-{n}",
                    "requirements": [
                        {
                            "id": f"REQ-QA-{n}",
                            "title": "The tenderer holds an accredited ISO 9001:2015 certificate",
                            "dataType": "boolean",
                            "expectedValue": True,
                        }
                    ],
                }
            ],
        }

    release = {
        "ocid": "ocds-213czf-T2026020",
        "id": "ocds-213czf-T2026020-tender-1",
        "date": "2026-12-16T00:00:00Z",
        "tag": ["tender"],
        "initiationType": "tender",
        "parties": parties,
        "tender": {
            "id": "T-2026-020",
            "title": "Valve bodies and installation",
            "tenderPeriod": {"endDate": "2026-12-15T12:00:00Z"},
            "contractPeriod": {"endDate": f"{CONTRACT_END}T23:59:59Z"},
            "lots": [
                {"id": "LOT-1", "title": "Machined valve bodies"},
                {"id": "LOT-2", "title": "Installation", "contractPeriod": {"endDate": f"{LOT2_END}T23:59:59Z"}},
            ],
            "criteria": [criterion("LOT-1", 17, 1), criterion("LOT-2", 28, 2)],
        },
        "bids": {"details": details},
    }
    return {
        "uri": "https://example.org/packages/T-2026-020.json",
        "publisher": {"name": "Borough Council"},
        "publishedDate": "2026-12-16T00:00:00Z",
        "version": "1.1",
        "releases": [release],
    }


OVERLAY_YAML = """based_on: {base}
requirements:
  min_outcome: {{G: 50}}
"""

_NS = (
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
)


def _qa_criterion(lot: str, code: int, n: int) -> str:
    base = f"C55_SC_qu-certif-indep-{n}"
    return f"""
  <cac:TenderingCriterion>
    <cbc:ID>d726bac9-e153-4e75-bfca-c5385587766d</cbc:ID>
    <cbc:CriterionTypeCode listID="http://publications.europa.eu/resource/authority/criterion">qu-certif-indep</cbc:CriterionTypeCode>
    <cbc:Name>Certificates by independent bodies about quality assurance standards</cbc:Name>
    <cac:ProcurementProjectLotReference><cbc:ID>{lot}</cbc:ID></cac:ProcurementProjectLotReference>
    <cac:TenderingCriterionPropertyGroup>
      <cbc:ID>{base}/RG1</cbc:ID><cbc:PropertyGroupTypeCode>ON*</cbc:PropertyGroupTypeCode>
      <cac:SubsidiaryTenderingCriterionPropertyGroup>
        <cbc:ID>{base}/RG1/RSG1</cbc:ID><cbc:PropertyGroupTypeCode>ON*</cbc:PropertyGroupTypeCode>
        <cac:TenderingCriterionProperty>
          <cbc:ID>{base}/RG1/RSG1/RQ1/R1/R1/R1</cbc:ID><cbc:Description>Requirement</cbc:Description>
          <cbc:TypeCode>REQUIREMENT</cbc:TypeCode><cbc:ValueDataTypeCode>DESCRIPTION</cbc:ValueDataTypeCode>
          <cbc:ExpectedDescription>ISO 9001:2015 certificate covering IAF {code}</cbc:ExpectedDescription>
        </cac:TenderingCriterionProperty>
        <cac:SubsidiaryTenderingCriterionPropertyGroup>
          <cbc:ID>{base}/RG1/RSG1/QSG2</cbc:ID><cbc:PropertyGroupTypeCode>ON*</cbc:PropertyGroupTypeCode>
          <cac:TenderingCriterionProperty>
            <cbc:ID>{base}/RG1/RSG1/QSG2/Q1</cbc:ID><cbc:Description>Your answer?</cbc:Description>
            <cbc:TypeCode>QUESTION</cbc:TypeCode><cbc:ValueDataTypeCode>INDICATOR</cbc:ValueDataTypeCode>
          </cac:TenderingCriterionProperty>
          <cac:SubsidiaryTenderingCriterionPropertyGroup>
            <cbc:ID>{base}/RG1/RSG1/QSG2/QSG1</cbc:ID><cbc:PropertyGroupTypeCode>ONFALSE</cbc:PropertyGroupTypeCode>
            <cac:TenderingCriterionProperty>
              <cbc:ID>{base}/RG1/RSG1/QSG2/QSG1/Q1</cbc:ID>
              <cbc:Description>If not, please explain why and state which other means of proof can be provided:</cbc:Description>
              <cbc:TypeCode>QUESTION</cbc:TypeCode><cbc:ValueDataTypeCode>DESCRIPTION</cbc:ValueDataTypeCode>
            </cac:TenderingCriterionProperty>
          </cac:SubsidiaryTenderingCriterionPropertyGroup>
        </cac:SubsidiaryTenderingCriterionPropertyGroup>
        <cac:SubsidiaryTenderingCriterionPropertyGroup>
          <cbc:ID>{base}/RG1/RSG1/QSG3</cbc:ID><cbc:PropertyGroupTypeCode>ON*</cbc:PropertyGroupTypeCode>
          <cac:TenderingCriterionProperty>
            <cbc:ID>{base}/RG1/RSG1/QSG3/Q1</cbc:ID><cbc:Description>Is this information available electronically?</cbc:Description>
            <cbc:TypeCode>QUESTION</cbc:TypeCode><cbc:ValueDataTypeCode>INDICATOR</cbc:ValueDataTypeCode>
          </cac:TenderingCriterionProperty>
          <cac:SubsidiaryTenderingCriterionPropertyGroup>
            <cbc:ID>{base}/RG1/RSG1/QSG3/QSG1</cbc:ID><cbc:PropertyGroupTypeCode>ONTRUE</cbc:PropertyGroupTypeCode>
            <cac:TenderingCriterionProperty>
              <cbc:ID>{base}/RG1/RSG1/QSG3/QSG1/Q1</cbc:ID><cbc:Description>Evidence Supplied</cbc:Description>
              <cbc:TypeCode>QUESTION</cbc:TypeCode><cbc:ValueDataTypeCode>EVIDENCE_IDENTIFIER</cbc:ValueDataTypeCode>
            </cac:TenderingCriterionProperty>
          </cac:SubsidiaryTenderingCriterionPropertyGroup>
        </cac:SubsidiaryTenderingCriterionPropertyGroup>
      </cac:SubsidiaryTenderingCriterionPropertyGroup>
    </cac:TenderingCriterionPropertyGroup>
  </cac:TenderingCriterion>"""


def _header(kind: str) -> str:
    root = f"QualificationApplication{kind}"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2" {_NS}>
  <cbc:UBLVersionID>2.3</cbc:UBLVersionID>
  <cbc:ProfileExecutionID schemeVersionID="4.1.0">ESPD-EDMv4.1.0</cbc:ProfileExecutionID>
  <cbc:ContractFolderID>T-2026-020</cbc:ContractFolderID>
  <cbc:IssueDate>2026-11-20</cbc:IssueDate>"""


def espd_request() -> bytes:
    lots = "".join(
        f"\n  <cac:ProcurementProjectLot><cbc:ID>{lot}</cbc:ID></cac:ProcurementProjectLot>" for lot in EXPECTED
    )
    body = (
        _header("Request")
        + """
  <cac:ProcurementProject><cbc:Name>Valve bodies and installation</cbc:Name></cac:ProcurementProject>"""
        + lots
    )
    body += _qa_criterion("LOT-1", 17, 1) + _qa_criterion("LOT-2", 28, 2)
    return (body + "\n</QualificationApplicationRequest>\n").encode()


def espd_response(bidder: dict[str, Any], *, explanation: str = "") -> bytes:
    holds = bidder["cert"] is not None
    body = (
        _header("Response")
        + f"""
  <cac:EconomicOperatorParty>
    <cac:EconomicOperatorRole><cbc:RoleCode>sole-contr</cbc:RoleCode></cac:EconomicOperatorRole>
    <cac:Party>
      <cac:PartyIdentification><cbc:ID schemeID="GB-COH">{bidder["coh"]}</cbc:ID></cac:PartyIdentification>
      <cac:PartyName><cbc:Name>{bidder["name"]}</cbc:Name></cac:PartyName>
      <cac:PostalAddress><cac:Country><cbc:IdentificationCode>GBR</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    </cac:Party>
  </cac:EconomicOperatorParty>"""
    )
    body += _qa_criterion("LOT-1", 17, 1) + _qa_criterion("LOT-2", 28, 2)
    for n in (1, 2):
        base = f"C55_SC_qu-certif-indep-{n}/RG1/RSG1"
        body += f"""
  <cac:TenderingCriterionResponse>
    <cbc:ValidatedCriterionPropertyID>{base}/QSG2/Q1</cbc:ValidatedCriterionPropertyID>
    <cac:ResponseValue><cbc:ResponseIndicator>{"true" if holds else "false"}</cbc:ResponseIndicator></cac:ResponseValue>
  </cac:TenderingCriterionResponse>"""
        if holds:
            body += f"""
  <cac:TenderingCriterionResponse>
    <cbc:ValidatedCriterionPropertyID>{base}/QSG3/QSG1/Q1</cbc:ValidatedCriterionPropertyID>
    <cac:EvidenceSupplied><cbc:ID>EV-{bidder["coh"]}</cbc:ID></cac:EvidenceSupplied>
  </cac:TenderingCriterionResponse>"""
        elif explanation:
            body += f"""
  <cac:TenderingCriterionResponse>
    <cbc:ValidatedCriterionPropertyID>{base}/QSG2/QSG1/Q1</cbc:ValidatedCriterionPropertyID>
    <cac:ResponseValue><cbc:Description>{explanation}</cbc:Description></cac:ResponseValue>
  </cac:TenderingCriterionResponse>"""
    if holds:
        body += f"""
  <cac:Evidence>
    <cbc:ID>EV-{bidder["coh"]}</cbc:ID>
    <cac:DocumentReference>
      <cbc:ID>{bidder["cert"]["number"]}</cbc:ID>
      <cac:Attachment><cac:ExternalReference><cbc:URI>https://certs.example/{bidder["cert"]["number"]}</cbc:URI></cac:ExternalReference></cac:Attachment>
      <cac:IssuerParty><cac:PartyName><cbc:Name>BSI Assurance UK Ltd</cbc:Name></cac:PartyName></cac:IssuerParty>
    </cac:DocumentReference>
  </cac:Evidence>"""
    return (body + "\n</QualificationApplicationResponse>\n").encode()


def write_json_file(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path
