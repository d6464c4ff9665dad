"""The buyer's performance files: one supplier or many, JSON or CSV, never applied to the wrong supplier."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy
import pytest

import supplier_qual
from supplier_qual.model import Performance, Supplier
from supplier_qual.performance_data import parse_performance, performance_for

from .conftest import AS_OF, write_json

NORTHWIND = Supplier("Northwind Components Ltd", "GB-COH-04567123", country="GB")
Make = Callable[..., dict[str, Any]]


def _records(text: str, name: str = "perf.csv") -> tuple[supplier_qual.PerformanceRecord, ...]:
    return parse_performance(text.encode(), source=name)


def test_a_single_json_block_applies_to_the_one_submission() -> None:
    records = _records(json.dumps({"period_months": 6, "on_time_delivery_pct": 91.5}), "perf.json")
    found = performance_for(records, NORTHWIND)
    assert found == Performance(period_months=6, on_time_delivery_pct=91.5)
    wrapped = _records(json.dumps({"performance": {"defect_ppm": 420}}), "perf.json")
    assert performance_for(wrapped, NORTHWIND) == Performance(defect_ppm=420)


def test_many_suppliers_in_json_match_by_identifier_in_any_case() -> None:
    data = {
        "suppliers": [
            {"supplier_id": "CZ-ICO-27182818", "on_time_delivery_pct": 70.0},
            {"supplier_id": "gb-coh-04567123", "on_time_delivery_pct": 97.5, "deliveries": 240},
        ]
    }
    records = _records(json.dumps(data), "perf.json")
    found = performance_for(records, NORTHWIND)
    assert found is not None and found.on_time_delivery_pct == 97.5 and found.deliveries == 240
    assert performance_for(records, Supplier("Someone else", "DE-HRB-1")) is None
    assert performance_for(records, Supplier("No identifier")) is None
    by_scheme = performance_for(records, Supplier("Brightline Fabrication s.r.o.", "27182818", scheme="CZ-ICO"))
    assert by_scheme is not None and by_scheme.on_time_delivery_pct == 70.0


def test_a_single_record_for_another_supplier_is_refused() -> None:
    records = _records(json.dumps({"supplier_id": "CZ-ICO-27182818", "defect_ppm": 100}), "perf.json")
    with pytest.raises(supplier_qual.InputError) as caught:
        performance_for(records, NORTHWIND)
    assert str(caught.value.problems[0]) == (
        "perf.json: $: this performance data is for supplier CZ-ICO-27182818, not for Northwind Components Ltd "
        "(GB-COH-04567123): it is not applied to another supplier"
    )


def test_csv_as_an_erp_exports_it_semicolons_and_decimal_commas() -> None:
    text = (
        "Supplier ID;Period months;Deliveries;On-time delivery pct;Defect ppm;Lots received;Lots rejected\n"
        "GB-COH-04567123;12;240;97,5;1.250,5;240;2\n"
        "\n"
        "CZ-ICO-27182818;12;80;70;25000;80;8\n"
    )
    records = _records(text)
    northwind = performance_for(records, NORTHWIND)
    assert northwind == Performance(
        period_months=12,
        deliveries=240,
        on_time_delivery_pct=97.5,
        defect_ppm=1250.5,
        lots_received=240,
        lots_rejected=2,
    )
    assert [r.location for r in records] == ["line 2", "line 4"]


def test_periods_of_one_supplier_give_the_previous_figures() -> None:
    text = (
        "supplier_id,period_end,on_time_delivery_pct,defect_ppm\n"
        "GB-COH-04567123,2026-09-30,96.0,300\n"
        "GB-COH-04567123,2025-09-30,91.0,610\n"
    )
    found = performance_for(_records(text), NORTHWIND)
    assert found is not None
    assert (found.on_time_delivery_pct, found.previous_on_time_delivery_pct) == (96.0, 91.0)
    assert (found.defect_ppm, found.previous_defect_ppm) == (300, 610)
    assert found.period_end is not None and found.period_end.isoformat() == "2026-09-30"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "supplier_id,on_time_delivery_pct\nGB-1,96\nGB-1,91\n",
            ["perf.csv: line 3: a second record for GB-1: give period_end to tell its periods apart"],
        ),
        (
            "supplier_id,period_end,on_time_delivery_pct\nGB-1,2026-09-30,96\nGB-1,2026-09-30,91\n",
            ["perf.csv: line 3: GB-1 has two records for the period ending 2026-09-30"],
        ),
        (
            "supplier_id,on_time_delivery_pct,lots_rejected,colour\nGB-1,140,x\n",
            ["perf.csv: line 1: unknown column 'colour' (not a performance field)"],
        ),
        (
            "supplier_id,on_time_delivery_pct,lots_rejected\nGB-1,140,x\n",
            [
                "perf.csv: line 2, column lots_rejected: Not a valid integer.",
                "perf.csv: line 2, column on_time_delivery_pct: must be a percentage from 0 to 100",
            ],
        ),
        (
            "on_time_delivery_pct\n96\n91\n",
            ["perf.csv: line 1: several rows need a supplier_id column to say whose figures they are"],
        ),
        ("supplier_id,defect_ppm\n", ["perf.csv: line 2: no performance records: the file has a header row only"]),
        ("", ["perf.csv: empty performance file: expected JSON, or CSV with a header row"]),
    ],
)
def test_bad_performance_files_are_refused_with_their_place(text: str, expected: list[str]) -> None:
    with pytest.raises(supplier_qual.InputError) as caught:
        _records(text)
    assert sorted(str(p) for p in caught.value.problems) == sorted(expected)


def test_bad_json_records_name_their_path() -> None:
    data = {"suppliers": [{"supplier_id": "GB-1", "defect_ppm": -3}, "oops"], "extra": 1}
    with pytest.raises(supplier_qual.InputError) as caught:
        _records(json.dumps(data), "perf.json")
    assert [str(p) for p in caught.value.problems] == ["perf.json: $.extra: unknown field (not part of the format)"]
    del data["extra"]
    with pytest.raises(supplier_qual.InputError) as caught:
        _records(json.dumps(data), "perf.json")
    assert [str(p) for p in caught.value.problems] == [
        "perf.json: $.suppliers[1]: expected an object of performance figures"
    ]


def test_the_api_takes_a_performance_file_and_applies_the_matching_record(
    pm: pluggy.PluginManager, make_submission: Make, tmp_path: Path
) -> None:
    perf = tmp_path / "perf.csv"
    perf.write_text(
        "supplier_id,deliveries,on_time_delivery_pct\nCZ-ICO-27182818,80,50\nGB-COH-04567123,240,99\n",
        encoding="utf-8",
    )
    assessment = supplier_qual.assess(make_submission(), as_of=AS_OF, performance=perf, pm=pm)
    assert assessment.performance is not None and assessment.performance.on_time_delivery_pct == 99


def test_eligibility_refuses_anonymous_records_for_several_bidders(
    pm: pluggy.PluginManager, make_submission: Make, tmp_path: Path
) -> None:
    perf = write_json(tmp_path / "perf.json", {"on_time_delivery_pct": 50})
    bid = write_json(tmp_path / "bid.json", make_submission())
    tender = tmp_path / "tender.yaml"
    tender.write_text("id: T-1\ntitle: Test\nrequirements:\n  min_overall: 10\n", encoding="utf-8")
    with pytest.raises(supplier_qual.InputError) as caught:
        supplier_qual.eligibility(tender, [bid, bid], as_of=AS_OF, performance=perf, pm=pm)
    assert "no supplier_id: with several suppliers" in str(caught.value)


@pytest.mark.slow
def test_cli_bulk_run_applies_each_suppliers_record(make_submission: Make, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first = make_submission()
    second = make_submission()
    second["supplier"] = {"name": "Brightline Fabrication s.r.o.", "id": "CZ-ICO-27182818", "country": "CZ"}
    write_json(inbox / "northwind.json", first)
    write_json(inbox / "brightline.json", second)
    perf = tmp_path / "perf.csv"
    perf.write_text(
        "supplier_id,deliveries,on_time_delivery_pct\nCZ-ICO-27182818,80,50\nGB-COH-04567123,240,99\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    command = [sys.executable, "-m", "supplier_qual", "assess", str(inbox), "-o", str(out), "-f", "json", "-j", "1"]
    run = subprocess.run(
        [*command, "--as-of", AS_OF.isoformat(), "--performance", str(perf)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    results = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")}
    otd = {name: r["outcomes"]["I"]["evidence"] for name, r in results.items()}
    measured = {
        name: next(e["detail"]["on_time_delivery_pct"] for e in evidence if e["source"] == "performance")
        for name, evidence in otd.items()
    }
    assert measured == {"northwind": 99.0, "brightline": 50.0}


@pytest.mark.slow
def test_cli_single_record_for_another_supplier_exits_2(make_submission: Make, tmp_path: Path) -> None:
    sub = write_json(tmp_path / "northwind.json", make_submission())
    perf = write_json(tmp_path / "perf.json", {"supplier_id": "CZ-ICO-27182818", "defect_ppm": 100})
    run = subprocess.run(
        [sys.executable, "-m", "supplier_qual", "assess", str(sub), "--performance", str(perf)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert run.stderr.strip().endswith("it is not applied to another supplier")
    assert "Traceback" not in run.stderr
