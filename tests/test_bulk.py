"""Bulk runs: workers only where they repay, results in the files' order, a hung file ended alone."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from supplier_qual import batch
from supplier_qual.limits import ReadLimits

from .conftest import EXAMPLES
from .plugins.dying_worker import exhausts_memory_on_poison, hangs_on_poison, where_it_ran

AS_OF = dt.date(2026, 11, 25)
NORTHWIND = (EXAMPLES / "northwind-components.json").read_bytes()


def _jobs(tmp_path: Path, names: list[str]) -> list[batch.Job]:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    out.mkdir()
    for name in names:
        (inbox / name).write_bytes(NORTHWIND)
    return batch.plan(batch.collect([inbox]), out, "json", AS_OF)


def test_a_small_batch_is_assessed_in_this_process(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, [f"s{i}.json" for i in range(3)])
    assert len(jobs) < batch.SMALL_BATCH
    results = batch.run(jobs, task=where_it_ran)
    assert {r.decision for r in results} == {f"{os.getpid()} child"}


@pytest.mark.slow
def test_workers_read_in_process_and_report_in_the_files_order(tmp_path: Path) -> None:
    # The later files finish first (where_it_ran sleeps less for them); done still hears them in order.
    jobs = _jobs(tmp_path, [f"s{i}.json" for i in range(5)])
    heard: list[str] = []
    results = batch.run(jobs, workers=2, task=where_it_ran, done=lambda r: heard.append(Path(r.source).name))
    assert heard == [f"s{i}.json" for i in range(5)]
    assert [Path(r.source).name for r in results] == heard
    pids = {r.decision.split()[0] for r in results}
    assert str(os.getpid()) not in pids
    assert 1 <= len(pids) <= 2
    assert {r.decision.split()[1] for r in results} == {"in-process"}


@pytest.mark.slow
def test_a_file_that_hangs_its_worker_is_ended_at_the_deadline_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "DEADLINE_MARGIN", 0)
    jobs = _jobs(tmp_path, ["a.json", "b.json", "poison.json", "c.json", "d.json"])
    results = batch.run(jobs, workers=2, task=hangs_on_poison, limits=ReadLimits(seconds=2))
    assert [(Path(r.source).name, r.ok) for r in results] == [
        ("a.json", True),
        ("b.json", True),
        ("c.json", True),
        ("d.json", True),
        ("poison.json", False),
    ]
    assert results[4].problems == (
        f"{jobs[4].source}: this file could not be read safely: reading it took longer than the 2 seconds "
        "allowed; save it again or send another file",
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.json", "b.json", "c.json", "d.json"]


@pytest.mark.slow
def test_workers_that_cannot_start_are_a_configuration_problem_not_the_files(tmp_path: Path) -> None:
    from supplier_qual.errors import ConfigurationError
    from supplier_qual.pool import run_pool

    lost: list[object] = []
    with pytest.raises(ConfigurationError, match="the worker processes could not start"):
        run_pool(
            [1, 2, 3],
            str,
            workers=1,
            deadline=5,
            lost=lambda job, why: lost.append((job, why)),
            finish=lambda index, result: None,
            setup=_exit_at_setup,
        )
    assert lost == []


def _exit_at_setup() -> None:
    raise SystemExit(3)


@pytest.mark.slow
def test_a_worker_whose_reader_ran_out_of_memory_is_replaced(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, ["a.json", "b.json", "c.json", "poison.json"])[::-1]  # poison first, then a, b, c
    results = batch.run(jobs, workers=1, pool=True, task=exhausts_memory_on_poison)
    assert results[0].problems == (
        f"{jobs[0].source}: this file could not be read safely: reading it needed more than the 512 MB of "
        "memory allowed; save it again or send another file",
    )
    pids = {r.decision for r in results[1:]}
    assert len(pids) == 1
    assert results[0].decision not in pids  # the worker that read the poison was replaced
    assert str(os.getpid()) not in pids
