"""OCDS and ProZorro tenders: the public samples' bidders and identifiers, and eligibility written back as OCDS."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pluggy
import pytest

import supplier_qual

from .procurement_fixtures import AS_OF, ocds_package, write_json_file, write_submissions
from .shared_data import sample, schema


@pytest.mark.parametrize(
    "name",
    [
        "sample-data_fictional-1.1_ocds-213czf-000-00001-04-award.json",
        "sample-data_fictional-1.1_record_ocds-213czf-000-00001.json",
    ],
)
def test_fictional_samples_list_both_tenderers(pm: pluggy.PluginManager, name: str) -> None:
    tender = supplier_qual.read_tender(sample("ocds", name), pm=pm)
    assert tender.format == "ocds" and tender.ocid == "ocds-213czf-000-00001"
    assert [(b.supplier.name, b.identifiers) for b in tender.bidders] == [
        ("AnyCorp Ltd", ("GB-COH-11111111",)),
        ("Beta Corp Ltd", ("GB-COH-22222222",)),
    ]


def test_record_package_dates(pm: pluggy.PluginManager) -> None:
    tender = supplier_qual.read_tender(
        sample("ocds", "sample-data_fictional-1.1_record_ocds-213czf-000-00001.json"), pm=pm
    )
    assert str(tender.closing_date) == "2010-04-08" and str(tender.contract_end) == "2011-06-30"


def test_release_package_with_additional_identifiers(pm: pluggy.PluginManager) -> None:
    path = sample("ocds", "standard-1.2-dev_release_schema_reference_release_package.json")
    [bidder] = supplier_qual.read_tender(path, pm=pm).bidders
    assert bidder.identifiers == ("GB-COH-1234567844", "GB-VAT-987654321")


def test_selection_criteria_that_name_no_standard_are_noted(pm: pluggy.PluginManager) -> None:
    tender = supplier_qual.read_tender(
        sample("ocds", "standard-1.1_pre-selection_tender_selectionCriteria.json"), pm=pm
    )
    assert tender.requirements == ()
    assert "not checked here" in tender.notes[0] and "SSQ" in tender.notes[0]


def test_prozorro_tender_lists_bids_with_ua_edr_identifiers(pm: pluggy.PluginManager) -> None:
    path = sample("prozorro", "openprocurement.api_tender_to_mask_belowThreshold_bids_criteria.json")
    tender = supplier_qual.read_tender(path, pm=pm)
    assert tender.format == "prozorro" and tender.id == "UA-2021-11-08-000045-a"
    raw = json.loads(path.read_text(encoding="utf-8"))
    expected = [
        f"UA-EDR-{t['identifier']['id']}" for b in raw["bids"] if b["status"] == "active" for t in b["tenderers"]
    ]
    assert [b.identifiers[0] for b in tender.bidders] == expected
    assert all(b.responses for b in tender.bidders)
    assert [r.kind for r in tender.requirements] == ["criterion", "criterion"]


def _release_schema_with_extensions() -> dict[str, Any]:
    core = json.loads(schema("ocds", "release-schema.json").read_text(encoding="utf-8"))
    for extension in ("ocds_bid_extension", "ocds_requirements_extension"):
        patch = json.loads(schema("ocds", extension, "release-schema.json").read_text(encoding="utf-8"))
        core = _merge_patch(core, patch)
    return core


def _merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


def test_eligibility_as_ocds_is_a_valid_release_package(
    pm: pluggy.PluginManager, tmp_path: Path, questionnaire: Any
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    package_schema = json.loads(schema("ocds", "release-package-schema.json").read_text(encoding="utf-8"))
    release_schema = _release_schema_with_extensions()
    write_submissions(tmp_path / "bids", questionnaire)
    package = write_json_file(tmp_path / "package.json", ocds_package(with_missing_bidder=True))
    result = supplier_qual.eligibility(package, submissions=tmp_path / "bids", as_of=AS_OF, pm=pm)
    output = json.loads(supplier_qual.render(result, "ocds", pm=pm))
    referencing = pytest.importorskip("referencing")
    from referencing.jsonschema import DRAFT4

    release_uri = package_schema["properties"]["releases"]["items"]["$ref"]
    store = referencing.Registry().with_resource(release_uri, DRAFT4.create_resource(release_schema))
    validator = jsonschema.Draft4Validator(package_schema, registry=store, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(output), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    [release] = output["releases"]
    statuses = {(d["tenderers"][0]["name"], d["relatedLots"][0]): d["status"] for d in release["bids"]["details"]}
    assert statuses[("Alpha Precision Ltd", "LOT-1")] == "valid"
    assert statuses[("Bravo Castings Ltd", "LOT-1")] == "disqualified"
    assert statuses[("Foxtrot Fabrications Ltd", "LOT-1")] == "pending"
    assert release["ocid"] == "ocds-213czf-T2026020"
    alpha = next(d for d in release["bids"]["details"] if d["id"].startswith("bid-1") and d["relatedLots"] == ["LOT-1"])
    assert all(r["value"] is True for r in alpha["requirementResponses"])
