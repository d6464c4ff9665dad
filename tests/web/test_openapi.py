"""The OpenAPI document: made from the schemas, served, complete; no generated request makes the service fail."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from typing import Any

import pluggy
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from werkzeug.serving import WSGIRequestHandler, make_server

from supplier_qual import hookimpl

from .conftest import BRIGHTLINE, BRIGHTLINE_JSON, NORTHWIND, NORTHWIND_JSON, TENDER_YAML, Register, build_register

EXAMPLES_PER_OPERATION = 12
#: Which token each operation is called with: a role allowed to do it, so requests reach the views.
CALLER = {
    ("POST", "/api/v1/assessments/{assessment_id}/override"): "buyer",
    ("PUT", "/api/v1/suppliers/{supplier_id}/performance"): "buyer",
    ("POST", "/api/v1/tenders"): "tender_officer",
    ("POST", "/api/v1/tenders/{tender_id}/eligibility"): "tender_officer",
}


def test_every_route_is_in_the_document(register: Register) -> None:
    spec = register.client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.1")
    documented = {(m.upper(), p) for p, item in spec["paths"].items() for m in item if m != "parameters"}
    routed = set()
    for rule in register.app.url_map.iter_rules():
        if not (rule.rule.startswith("/api/v1") or rule.rule in ("/health", "/ready")):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        routed |= {(m, path) for m in rule.methods or () if m not in ("HEAD", "OPTIONS")}
    assert routed == documented
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), (method, path)
            if path.startswith("/api/v1"):
                assert "401" in operation["responses"], (method, path)
                assert operation.get("security") is None, "protected by the document-wide bearer scheme"
            else:
                assert operation["security"] == []
    assert spec["security"] == [{"bearer": []}]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["errors"]


def test_the_reference_page_works_offline(register: Register) -> None:
    page = register.client.get("/api/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "/api/v1/suppliers/{supplier_id}/submissions" in html and "<script" not in html
    assert "http://" not in html.replace("http://localhost", "") and "https://" not in html
    assert "style-src 'self'" in page.headers["Content-Security-Policy"]
    with register.client.get("/static/reference.css") as css:
        assert css.status_code == 200 and b"https://" not in css.data


def test_security_headers_and_request_ids(register: Register) -> None:
    response = register.call("GET", "/api/v1/suppliers", "buyer", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    odd = register.call("GET", "/api/v1/suppliers", "buyer", headers={"X-Request-ID": "x" * 200 + "<script>"})
    assert odd.headers["X-Request-ID"] != "x" * 200 and len(odd.headers["X-Request-ID"]) == 32


def test_unknown_routes_and_methods_use_the_one_error_shape(register: Register) -> None:
    missing = register.client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and set(missing.json) == {"errors"}
    wrong = register.call("DELETE", "/api/v1/suppliers", "admin")
    assert wrong.status_code == 405 and set(wrong.json) == {"errors"} and "GET" in wrong.headers["Allow"]
    not_json = register.call("POST", "/api/v1/suppliers", "buyer", data=b"{", content_type="application/json")
    assert not_json.status_code in (400, 422) and set(not_json.json) == {"errors"}


class Broken:
    """A plugin whose route fails, as a bug would."""

    @hookimpl
    def register_routes(self, app: Any) -> None:
        def explode() -> str:
            raise RuntimeError("secret internal detail /etc/passwd")

        app.add_url_rule("/api/v1/explode", "explode", explode)


def test_a_plugin_adds_routes_and_a_failure_shows_no_traceback(
    sqlite_url: str, web_pm: pluggy.PluginManager, caplog: pytest.LogCaptureFixture
) -> None:
    web_pm.register(Broken(), name="broken")
    found = build_register(sqlite_url, web_pm)
    response = found.client.get("/api/v1/explode", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "secret" not in body and "passwd" not in body
    assert json.loads(body) == {
        "errors": [
            {"location": "", "message": "the service failed unexpectedly; nothing was stored; quote request id req-42"}
        ]
    }
    assert any("req-42" in str(getattr(r, "request_id", "")) for r in caplog.records)
    found.service.db.dispose()


def test_request_log_lines_never_carry_tokens_or_content(register: Register, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="supplier_qual.web.requests")
    register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes(), who="supplier")
    lines = [r.getMessage() for r in caplog.records if r.name == "supplier_qual.web.requests"]
    assert lines
    entry = json.loads(lines[-1])
    assert entry["status"] == 201 and entry["role"] == "supplier" and entry["request_id"]
    text = "\n".join(lines)
    assert register.tokens["supplier"] not in text and "Northwind" not in text and "FM 612345" not in text


class Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@pytest.fixture
def served(sqlite_url: str, web_pm: pluggy.PluginManager) -> Iterator[tuple[Register, str]]:
    """The service on a real socket on 127.0.0.1, with two suppliers assessed and a tender."""
    found = build_register(sqlite_url, web_pm)
    found.upload(NORTHWIND, NORTHWIND_JSON.read_bytes())
    found.upload(BRIGHTLINE, BRIGHTLINE_JSON.read_bytes())
    found.call(
        "POST", "/api/v1/tenders", "tender_officer", data=TENDER_YAML.read_bytes(), content_type="application/yaml"
    )
    server = make_server("127.0.0.1", 0, found.app, threaded=False, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    server.server_close()
    found.service.db.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_generated_requests_never_make_the_service_fail(served: tuple[Register, str], mode: GenerationMode) -> None:
    """schemathesis against the served document: every operation, a bounded number of requests each."""
    register, url = served
    schema = schemathesis.openapi.from_url(f"{url}/api/openapi.json")
    tried: list[str] = []
    unsatisfiable: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        headers = register.headers(CALLER.get((operation.method.upper(), operation.path), "admin"))

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: Any) -> None:
            case.call_and_validate(base_url=url, headers=headers, checks=[not_a_server_error])  # noqa: B023

        try:
            call()
        except Unsatisfiable:
            unsatisfiable.append(f"{operation.method.upper()} {operation.path}")
            continue
        tried.append(f"{operation.method.upper()} {operation.path}")
    documented = schema.raw_schema["paths"]
    # Without parameters there is nothing to make invalid.
    assert set(unsatisfiable) <= ({"GET /health", "GET /ready"} if mode == GenerationMode.NEGATIVE else set())
    assert len(tried) + len(unsatisfiable) == sum(
        1 for item in documented.values() for method in item if method != "parameters"
    )


def test_unknown_query_parameters_are_ignored_and_unknown_body_fields_refused(register: Register) -> None:
    assert register.call("GET", "/api/v1/suppliers?_=1700000000", "buyer").status_code == 200
    refused = register.call("POST", "/api/v1/suppliers", "buyer", json={"id": "X-1", "name": "X", "rating": 5})
    assert refused.status_code == 422
    assert refused.json["errors"] == [{"location": "$.rating", "message": "unknown field (not part of the format)"}]


def test_401_says_how_to_authenticate(register: Register) -> None:
    missing = register.client.get("/api/v1/suppliers")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = register.client.get("/api/v1/suppliers", headers={"Authorization": "Bearer sq_wrong"})
    assert 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]


def test_an_unreachable_database_answers_503_and_stores_nothing(tmp_path, web_pm) -> None:  # type: ignore[no-untyped-def]
    from .conftest import make_app

    app = make_app("postgresql://nobody@127.0.0.1:1/none", web_pm, AUTO_MIGRATE=False)
    client = app.test_client()
    response = client.get("/api/v1/suppliers", headers={"Authorization": "Bearer sq_anything"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert set(response.json) == {"errors"} and "try again" in response.json["errors"][0]["message"]
    assert client.get("/ready").status_code == 503
    assert client.get("/health").status_code == 200
    app.extensions["supplier_qual"].db.dispose()
