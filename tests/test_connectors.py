"""The procurement REST connector and the ProZorro client, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pluggy
import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from supplier_qual.cli import cli


@pytest.fixture
def run(pm: pluggy.PluginManager) -> Any:
    pm.hook.register_commands(cli=cli)

    def invoke(*args: str) -> Any:
        return CliRunner().invoke(cli, list(args), obj=pm)

    return invoke


def connector(tmp_path: Path, server: HTTPServer, **extra: Any) -> Path:
    config = {
        "name": "Buyer ERP",
        "base_url": server.url_for("/api"),
        "token_env": "SQ_TEST_TOKEN",
        "page_size": 2,
        "retries": 2,
        "backoff_factor": 0,
        "timeouts": {"connect": 2, "read": 2},
        "pull": {"path": "/suppliers"},
        "push": {"path": "/results"},
        **extra,
    }
    path = tmp_path / "connector.yaml"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQ_TEST_TOKEN", "s3cret")


def test_pull_follows_the_cursor(run: Any, httpserver: HTTPServer, tmp_path: Path) -> None:
    pages = {
        None: {"items": [{"id": "GB-COH-1"}, {"id": "GB-COH-2"}], "next_cursor": "c2"},
        "c2": {"items": [{"id": "GB-COH-3"}], "next_cursor": None},
    }

    def handler(request: Request) -> Response:
        assert request.headers["Authorization"] == "Bearer s3cret"
        assert request.args["page_size"] == "2"
        return Response(json.dumps(pages[request.args.get("cursor")]), content_type="application/json")

    httpserver.expect_request("/api/suppliers").respond_with_handler(handler)
    result = run("sync", "pull", str(connector(tmp_path, httpserver)), "-o", str(tmp_path / "in"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "in").iterdir()) == ["GB-COH-1.json", "GB-COH-2.json", "GB-COH-3.json"]
    assert "Pulled 3 record(s)" in result.output


def test_pull_by_page_number(run: Any, httpserver: HTTPServer, tmp_path: Path) -> None:
    records = [{"id": f"S{n}"} for n in range(5)]

    def handler(request: Request) -> Response:
        page = int(request.args["page"])
        return Response(json.dumps({"data": records[(page - 1) * 2 : page * 2]}), content_type="application/json")

    httpserver.expect_request("/api/suppliers").respond_with_handler(handler)
    path = connector(tmp_path, httpserver, pull={"path": "/suppliers", "items": "data", "pagination": "page"})
    result = run("sync", "pull", str(path), "-o", str(tmp_path / "in"))
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "in").iterdir())) == 5


def test_retry_after_then_success(run: Any, httpserver: HTTPServer, tmp_path: Path) -> None:
    calls: list[float] = []

    def handler(request: Request) -> Response:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Response("busy", status=429, headers={"Retry-After": "1"})
        if len(calls) == 2:
            return Response("down", status=503)
        return Response(json.dumps({"items": []}), content_type="application/json")

    httpserver.expect_request("/api/suppliers").respond_with_handler(handler)
    result = run("sync", "pull", str(connector(tmp_path, httpserver)), "-o", str(tmp_path / "in"))
    assert result.exit_code == 0, result.output
    assert len(calls) == 3
    assert calls[1] - calls[0] >= 0.9  # Retry-After: 1 was honoured


def test_a_system_that_keeps_failing(run: Any, httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/api/suppliers").respond_with_data("down", status=502)
    result = run("sync", "pull", str(connector(tmp_path, httpserver)), "-o", str(tmp_path / "in"))
    assert result.exit_code == 3
    assert "kept failing: HTTP 502" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "in").exists()


def test_duplicate_push_is_idempotent(run: Any, httpserver: HTTPServer, tmp_path: Path) -> None:
    recorded: dict[str, Any] = {}

    def handler(request: Request) -> Response:
        key = request.headers["Idempotency-Key"]
        if key in recorded:
            return Response(json.dumps({"status": "already recorded"}), status=200, content_type="application/json")
        recorded[key] = json.loads(request.data)
        return Response(json.dumps({"status": "recorded"}), status=201, content_type="application/json")

    httpserver.expect_request("/api/results", method="POST").respond_with_handler(handler)
    result_file = tmp_path / "eligibility.json"
    result_file.write_text(
        json.dumps({"tender": {"id": "T-1"}, "as_of": "2026-11-25", "bidders": []}), encoding="utf-8"
    )
    path = connector(tmp_path, httpserver)
    first = run("sync", "push", str(path), str(result_file))
    second = run("sync", "push", str(path), str(result_file))
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    assert first.output == second.output
    [(key, body)] = recorded.items()
    assert body == {"kind": "eligibility", "result": {"tender": {"id": "T-1"}, "as_of": "2026-11-25", "bidders": []}}
    assert len(key) == 64


def test_auth_failure_names_the_variable(run: Any, httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/api/suppliers").respond_with_json({"error": "invalid token"}, status=401)
    result = run("sync", "pull", str(connector(tmp_path, httpserver)), "-o", str(tmp_path / "in"))
    assert result.exit_code == 3
    assert "refused the credentials: HTTP 401 (check SQ_TEST_TOKEN)" in result.output
    assert "s3cret" not in result.output


def test_missing_token_is_a_configuration_error(
    run: Any, httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SQ_TEST_TOKEN")
    result = run("sync", "pull", str(connector(tmp_path, httpserver)), "-o", str(tmp_path / "in"))
    assert result.exit_code == 3
    assert "the environment variable SQ_TEST_TOKEN holding its token is not set" in result.output


def test_other_4xx_is_a_clear_input_error(run: Any, httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/api/results", method="POST").respond_with_json(
        {"message": "tender T-1 is closed"}, status=409
    )
    result_file = tmp_path / "assessment.json"
    result_file.write_text(json.dumps({"outcomes": {}, "overall": {}}), encoding="utf-8")
    result = run("sync", "push", str(connector(tmp_path, httpserver)), str(result_file))
    assert result.exit_code == 2
    assert 'refused the request: HTTP 409: "tender T-1 is closed"' in result.output


@pytest.mark.parametrize(
    ("body", "message"),
    [("<html>oops</html>", "not JSON"), ('{"records": []}', "without a list of records under 'items'")],
)
def test_malformed_responses(run: Any, httpserver: HTTPServer, tmp_path: Path, body: str, message: str) -> None:
    httpserver.expect_request("/api/suppliers").respond_with_data(body, content_type="application/json")
    result = run("sync", "pull", str(connector(tmp_path, httpserver)), "-o", str(tmp_path / "in"))
    assert result.exit_code == 3 and message in result.output


def test_timeout(run: Any, httpserver: HTTPServer, tmp_path: Path) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return Response(json.dumps({"items": []}), content_type="application/json")

    httpserver.expect_request("/api/suppliers").respond_with_handler(slow)
    path = connector(tmp_path, httpserver, timeouts={"connect": 1, "read": 0.3})
    result = run("sync", "pull", str(path), "-o", str(tmp_path / "in"))
    assert result.exit_code == 3
    assert "did not answer within 0.3 s" in result.output


def test_a_bad_connector_file_is_located(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "connector.yaml"
    path.write_text("base_url: ftp://x\npull: {path: /s, pagination: scroll}\n", encoding="utf-8")
    result = run("sync", "pull", str(path), "-o", str(tmp_path / "in"))
    assert result.exit_code == 3
    assert "$.base_url: must be an http:// or https:// URL" in result.output
    assert "$.pull.pagination: must be one of cursor, page" in result.output


def test_prozorro_pull_adds_public_bids(run: Any, httpserver: HTTPServer, tmp_path: Path) -> None:
    tender = {"id": "abc", "tenderID": "UA-2026-01-01-000001-a", "procurementMethodType": "belowThreshold"}
    bids = [
        {
            "id": "b1",
            "status": "active",
            "tenderers": [{"name": "ТОВ Тест", "identifier": {"scheme": "UA-EDR", "id": "12345678"}}],
        }
    ]
    httpserver.expect_request("/api/2.5/tenders/abc").respond_with_json({"data": tender})
    httpserver.expect_request("/api/2.5/tenders/abc/bids").respond_with_json({"data": bids})
    out = tmp_path / "tender.json"
    result = run("prozorro", "pull", "abc", "--base-url", httpserver.url_for("/"), "-o", str(out))
    assert result.exit_code == 0, result.output
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["data"]["bids"] == bids
    httpserver.expect_request("/api/2.5/tenders/nope").respond_with_json({"status": "error"}, status=404)
    missing = run("prozorro", "pull", "nope", "--base-url", httpserver.url_for("/"), "-o", str(tmp_path / "x.json"))
    assert missing.exit_code == 2 and "HTTP 404" in missing.output
