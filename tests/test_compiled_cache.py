"""Compiled questionnaires kept between runs: used when the same file meets the same engine, else ignored."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import pytest

from supplier_qual import compiled_cache
from supplier_qual.compiled_cache import CACHE_ENV
from supplier_qual.errors import QuestionnaireError
from supplier_qual.questionnaire import parse_questionnaire

SHIPPED = resources.files("supplier_qual.questionnaires") / "iso9001-outcomes.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _raw() -> bytes:
    return SHIPPED.read_bytes()


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "questionnaires").glob("*.pickle"))


def test_a_second_read_is_the_compiled_one(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = parse_questionnaire(_raw(), source="q.yaml")
    [entry] = _entries(cache)
    assert entry.stat().st_mode & 0o077 == 0
    monkeypatch.setattr("supplier_qual.questionnaire._validated", _must_not_parse)
    again = parse_questionnaire(_raw(), source="q.yaml")
    assert again == first
    assert again is not first


def _must_not_parse(raw: bytes, *, source: str) -> None:
    raise AssertionError("parsed again despite the compiled entry")


def test_changed_bytes_or_name_miss_the_entry(cache: Path) -> None:
    parse_questionnaire(_raw(), source="q.yaml")
    changed = _raw().replace(b"title:", b"title: ", 1)
    assert parse_questionnaire(changed, source="q.yaml").sha256 != parse_questionnaire(_raw(), source="q.yaml").sha256
    assert parse_questionnaire(_raw(), source="other.yaml").origin == "other.yaml"
    assert len(_entries(cache)) == 3


def test_another_engine_never_meets_an_old_entry(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parse_questionnaire(_raw(), source="q.yaml")
    stamp = compiled_cache.engine_stamp()
    monkeypatch.setattr(compiled_cache, "VERSION", "999.0")
    assert compiled_cache.engine_stamp.__wrapped__() != stamp
    monkeypatch.setattr(compiled_cache, "engine_stamp", compiled_cache.engine_stamp.__wrapped__)
    assert compiled_cache.load("questionnaires", _raw(), "q.yaml") is None


def test_an_entry_others_may_write_is_not_read(cache: Path) -> None:
    parse_questionnaire(_raw(), source="q.yaml")
    [entry] = _entries(cache)
    entry.chmod(0o666)
    assert compiled_cache.load("questionnaires", _raw(), "q.yaml") is None
    entry.chmod(0o600)
    (cache / "questionnaires").chmod(0o777)
    assert compiled_cache.load("questionnaires", _raw(), "q.yaml") is None
    (cache / "questionnaires").chmod(0o700)
    assert compiled_cache.load("questionnaires", _raw(), "q.yaml") is not None


def test_a_corrupt_entry_is_parsed_anew(cache: Path) -> None:
    first = parse_questionnaire(_raw(), source="q.yaml")
    [entry] = _entries(cache)
    entry.write_bytes(b"\x80\x05not a pickle")
    assert parse_questionnaire(_raw(), source="q.yaml") == first


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    monkeypatch.setenv(CACHE_ENV, str(locked / "cache"))
    assert parse_questionnaire(_raw(), source="q.yaml").id == "iso9001-outcomes"
    assert not (locked / "cache").exists()


def test_a_cache_path_that_is_a_file_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(CACHE_ENV, str(blocker))
    assert parse_questionnaire(_raw(), source="q.yaml").id == "iso9001-outcomes"


def test_off_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parse_questionnaire(_raw(), source="q.yaml")
    assert compiled_cache.cache_dir() is None
    assert not list(tmp_path.rglob("*.pickle"))


def test_an_invalid_definition_is_refused_every_time(cache: Path) -> None:
    bad = b"id: x\nversion: '1'\ntitle: T\nquestions: []\n"
    for _ in range(2):
        with pytest.raises(QuestionnaireError):
            parse_questionnaire(bad, source="bad.yaml")
    assert _entries(cache) == []
