"""The IAF CertSearch client, against a real HTTP server on 127.0.0.1 serving the documented shapes."""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pluggy
import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import supplier_qual
from supplier_qual.adapters.registries.cache import TTLCache
from supplier_qual.adapters.registries.certsearch import CertSearchClient
from supplier_qual.adapters.registries.config import load_registries
from supplier_qual.cli import cli
from supplier_qual.errors import ConfigurationError
from supplier_qual.model import CertificateResult
from supplier_qual.policy import DEFAULT_POLICY
from supplier_qual.schemas.submission import CertificateSchema

from .conftest import AS_OF, VALID_CERTIFICATE, write_json

SECRET = "sk-test-7f3a9c1e5b2d-never-print-me"  # a fake key the tests hunt for
KEY_ENV = "SUPPLIER_QUAL_TEST_CERTSEARCH_KEY"
BASE = "/api/client/v1"
NAME = "IAF CertSearch"


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    httpd = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    httpd.start()
    yield httpd
    httpd.clear()
    httpd.stop()


@pytest.fixture
def registry(server: HTTPServer) -> Iterator[HTTPServer]:
    server.clear()
    yield server
    server.clear()


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, SECRET)


def write_config(tmp_path: Path, server: HTTPServer, **settings: Any) -> Path:
    entry = {
        "name": NAME,
        "type": "iaf_certsearch",
        "base_url": server.url_for(BASE),
        "api_key_env": KEY_ENV,
        "country": "GB",
        "retries": 2,
        "backoff_factor": 0,
        "timeout": {"connect": 2, "read": 2},
        **settings,
    }
    path = tmp_path / "registries.yaml"
    path.write_text(json.dumps({"registries": [entry]}), encoding="utf-8")  # JSON is YAML
    return path


def certificate_record(**changes: Any) -> dict[str, Any]:
    """A certificate as ``GET /certificate/{cert_id}`` describes it."""
    site = {
        "street": "1 Mill Lane",
        "city": "Leeds",
        "state": "West Yorkshire",
        "post_code": "LS1 1AA",
        "full_address": "1 Mill Lane, Leeds LS1 1AA",
        "scope": "",
        "country": "United Kingdom",
    }
    record = {
        "cert_id": "cert_KMi1abc",
        "accreditation_bodies_name": "United Kingdom Accreditation Service (UKAS)",
        "certification_bodies_name": "BSI Assurance UK Ltd",
        "certification_number": "FM 612345",
        "certification_status": "Active",
        "certification_scope": "Machining of hydraulic valve components",
        "certification_standards_scheme": [
            {"standard_name": "ISO 9001:2015", "scheme_name": "QMS", "is_accredited_mla": True}
        ],
        "certification_main_sites": [site],
        "certification_additional_sites": [],
        "certification_sectors": [{"sector_name": "Basic metals and fabricated metal products", "sector_code": "17"}],
        "certified_entities": [
            {
                "ce_id": "ce_KMi1xyz",
                "certified_entity_name": "Northwind Components Ltd",
                "certified_entity_english_name": "Northwind Components Ltd",
                "certified_entity_trading_name": "Northwind",
                "country": "United Kingdom",
                "certified_entity_addresses": [site],
            }
        ],
        "certification_issue_date": "20240315",
        "certification_expiry_date": "20270314",
        "updated_at": 1767225600,
    }
    record.update(changes)
    return record


def company_reply(*records: dict[str, Any]) -> dict[str, Any]:
    """``POST /company``: the matched company with its certificates."""
    return {
        "data": {
            "matched_certified_entity_name": "Northwind Components Ltd",
            "match_status": "matched",
            "match_type": "exact",
            "certificates": list(records),
        }
    }


def expect_company(server: HTTPServer) -> Any:
    return server.expect_request(
        f"{BASE}/company",
        method="POST",
        headers={"x-http-authorization": SECRET},
        json={"company_name": "Northwind Components Ltd", "company_country": "GB", "match_rate": 100},
    )


def verify(pm: pluggy.PluginManager, config: Path, **changes: Any) -> CertificateResult:
    policy = dataclasses.replace(
        DEFAULT_POLICY, certificates=dataclasses.replace(DEFAULT_POLICY.certificates, registries=str(config))
    )
    certificate = CertificateSchema.parse({**VALID_CERTIFICATE, **changes})
    return supplier_qual.verify_certificates([certificate], as_of=AS_OF, policy=policy, pm=pm).certificates[0]


def registry_check(result: CertificateResult) -> Any:
    return next(c for c in result.checks if c.check == "registry_status")


# --- found ------------------------------------------------------------------------------


def test_found_valid_by_company(pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path) -> None:
    expect_company(registry).respond_with_json(company_reply(certificate_record()))
    result = verify(pm, write_config(tmp_path, registry))
    assert result.status == "valid"
    assert result.verified_by == NAME
    assert result.registry == "confirmed"
    assert registry_check(result).message == f"{NAME} confirms certificate FM 612345: Active, expires 2027-03-14"
    accreditation = next(c for c in result.checks if c.check == "registry_accreditation")
    assert accreditation.passed and accreditation.supersedes == ("accreditation",)


def test_found_valid_by_certificate_id(pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path) -> None:
    registry.expect_request(
        f"{BASE}/certificate/cert_KMi1abc", method="GET", headers={"x-http-authorization": SECRET}
    ).respond_with_json({"data": certificate_record()})
    result = verify(pm, write_config(tmp_path, registry), registry_id="cert_KMi1abc")
    assert result.verified_by == NAME and result.status == "valid"


def test_registry_accreditation_supersedes_the_shipped_list(
    pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path
) -> None:
    record = certificate_record(accreditation_bodies_name="Komite Akreditasi Nasional Baru")
    expect_company(registry).respond_with_json(company_reply(record))
    result = verify(pm, write_config(tmp_path, registry), accreditation_body="Komite Akreditasi Nasional Baru")
    offline = next(c for c in result.checks if c.check == "accreditation")
    assert not offline.passed  # not on the shipped list …
    assert result.status == "valid"  # … but CertSearch says is_accredited_mla


def test_not_accredited_mla_makes_it_unaccredited(
    pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path
) -> None:
    scheme = [{"standard_name": "ISO 9001:2015", "scheme_name": "QMS", "is_accredited_mla": False}]
    expect_company(registry).respond_with_json(company_reply(certificate_record(certification_standards_scheme=scheme)))
    assert verify(pm, write_config(tmp_path, registry)).status == "unaccredited"


def test_found_suspended_overrides_the_supplier_and_says_both(
    pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path
) -> None:
    expect_company(registry).respond_with_json(company_reply(certificate_record(certification_status="Suspended")))
    result = verify(pm, write_config(tmp_path, registry), status="active")
    assert result.status == "suspended"
    assert result.registry == "differs"
    assert result.verified_by is None
    message = registry_check(result).message
    assert "lists certificate FM 612345 as Suspended" in message
    assert "the supplier declared it active" in message


@pytest.mark.parametrize(
    ("registry_status", "status"),
    [
        ("Active", "valid"),
        ("Suspended", "suspended"),
        ("Withdrawn", "withdrawn"),
        ("Cancelled", "withdrawn"),
        ("Inactive", "withdrawn"),
        ("Expired", "expired"),
    ],
)
def test_each_registry_status(
    pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path, registry_status: str, status: str
) -> None:
    expect_company(registry).respond_with_json(company_reply(certificate_record(certification_status=registry_status)))
    assert verify(pm, write_config(tmp_path, registry)).status == status


def test_confidential_record_without_dates(pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path) -> None:
    record = certificate_record(certification_scope="", certification_main_sites=[], certified_entities=[])
    del record["certification_issue_date"], record["certification_expiry_date"]
    expect_company(registry).respond_with_json(company_reply(record))
    result = verify(pm, write_config(tmp_path, registry))
    assert result.status == "valid" and result.verified_by == NAME
    assert "(dates not disclosed)" in registry_check(result).message
    assert result.valid_until == VALID_CERTIFICATE_EXPIRY


VALID_CERTIFICATE_EXPIRY = CertificateSchema.parse(VALID_CERTIFICATE).expires


def test_registry_dates_differing_from_the_certificate(
    pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path
) -> None:
    record = certificate_record(certification_expiry_date="2026-06-30", certification_bodies_name="Other Cert Ltd")
    expect_company(registry).respond_with_json(company_reply(record))
    result = verify(pm, write_config(tmp_path, registry))
    assert result.status == "expired"  # the registry's expiry has passed
    details = next(c for c in result.checks if c.check == "registry_details")
    assert "expiry date 2026-06-30, not 2027-03-14" in details.message
    assert "certification body Other Cert Ltd, not BSI Assurance UK Ltd" in details.message
    assert details.red_flag


# --- not found -------------------------------------------------------------------------


def test_not_found_leaves_the_certificate_unverified(
    pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path
) -> None:
    expect_company(registry).respond_with_json(
        {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no match", "code": "not_found"},
        status=404,
    )
    result = verify(pm, write_config(tmp_path, registry))
    assert result.status == "valid"
    assert result.verified_by is None
    assert result.registry == "not_found"
    assert "stays unverified, not invalid" in registry_check(result).message


def test_company_found_without_this_certificate(pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path) -> None:
    expect_company(registry).respond_with_json(company_reply(certificate_record(certification_number="Q-999")))
    result = verify(pm, write_config(tmp_path, registry))
    assert result.registry == "not_found" and result.status == "valid"
    assert "Q-999" in registry_check(result).message


def test_no_country_means_no_search(pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path) -> None:
    result = verify(pm, write_config(tmp_path, registry, country=""))
    assert result.registry == "unavailable"
    assert "country" in registry_check(result).message
    assert not registry.log


# --- credentials refused -----------------------------------------------------------------


def test_401_is_a_configuration_error(pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path) -> None:
    expect_company(registry).respond_with_json(
        {"title": "Unauthorized", "status": 401, "detail": f"bad key {SECRET}", "code": "unauthorized"}, status=401
    )
    with pytest.raises(ConfigurationError) as error:
        verify(pm, write_config(tmp_path, registry))
    assert str(error.value) == f"registry {NAME}: the API key was refused (401 unauthorized); check {KEY_ENV}"


def test_403_insufficient_credit_is_a_configuration_error(
    pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path
) -> None:
    expect_company(registry).respond_with_json(
        {"title": "Forbidden", "status": 403, "detail": "Insufficient credit", "code": "insufficient_credit"},
        status=403,
    )
    with pytest.raises(ConfigurationError, match=r"registry IAF CertSearch: no verification credit left \(403"):
        verify(pm, write_config(tmp_path, registry))


def test_cli_reports_a_refused_key_without_traceback_or_key(
    pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path
) -> None:
    expect_company(registry).respond_with_json({"code": "unauthorized"}, status=401)
    certificate = write_json(tmp_path / "cert.json", VALID_CERTIFICATE)
    config = write_config(tmp_path, registry)
    result = CliRunner().invoke(cli, ["verify", str(certificate), "--registry-config", str(config)], obj=pm)
    assert result.exit_code == 3
    assert "configuration problem: registry IAF CertSearch: the API key was refused" in result.output
    assert "Traceback" not in result.output and SECRET not in result.output


# --- rate limits, server errors, timeouts, malformed replies --------------------------------


def test_429_then_success_honours_retry_after(pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path) -> None:
    replies = iter(
        [
            Response(json.dumps({"code": "rate_limited"}), status=429, headers={"Retry-After": "1"}),
            Response(json.dumps(company_reply(certificate_record())), status=200, content_type="application/json"),
        ]
    )
    registry.expect_request(f"{BASE}/company", method="POST").respond_with_handler(lambda _: next(replies))
    started = time.monotonic()
    result = verify(pm, write_config(tmp_path, registry))
    elapsed = time.monotonic() - started
    assert result.verified_by == NAME
    assert len(registry.log) == 2
    assert 0.9 <= elapsed < 5


def test_retry_after_is_bounded(pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path) -> None:
    replies = iter(
        [
            Response("{}", status=429, headers={"Retry-After": "3600"}),
            Response(json.dumps(company_reply(certificate_record())), status=200, content_type="application/json"),
        ]
    )
    registry.expect_request(f"{BASE}/company", method="POST").respond_with_handler(lambda _: next(replies))
    started = time.monotonic()
    result = verify(pm, write_config(tmp_path, registry, max_retry_after=0))
    assert result.verified_by == NAME
    assert time.monotonic() - started < 3


def test_500_then_success(pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path) -> None:
    replies = iter(
        [
            Response("oops", status=500),
            Response(json.dumps(company_reply(certificate_record())), status=200, content_type="application/json"),
        ]
    )
    registry.expect_request(f"{BASE}/company", method="POST").respond_with_handler(lambda _: next(replies))
    assert verify(pm, write_config(tmp_path, registry)).verified_by == NAME
    assert len(registry.log) == 2


def test_server_errors_past_the_retries_leave_it_unverified(
    pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path
) -> None:
    expect_company(registry).respond_with_data("down", status=503)
    result = verify(pm, write_config(tmp_path, registry, retries=1))
    assert result.status == "valid" and result.registry == "unavailable"
    assert "HTTP 503 after 1 retries" in registry_check(result).message
    assert len(registry.log) == 2


def test_timeout_leaves_it_unverified(pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path) -> None:
    def slow(_: Request) -> Response:
        time.sleep(1.0)
        return Response(json.dumps(company_reply(certificate_record())), content_type="application/json")

    registry.expect_request(f"{BASE}/company", method="POST").respond_with_handler(slow)
    started = time.monotonic()
    result = verify(pm, write_config(tmp_path, registry, timeout={"connect": 1, "read": 0.2}))
    assert time.monotonic() - started < 0.9  # no second try: a request that reached the server may be charged
    assert result.status == "valid" and result.registry == "unavailable"
    assert "no answer within the timeout" in registry_check(result).message


def test_malformed_json_leaves_it_unverified(pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path) -> None:
    expect_company(registry).respond_with_data('{"data": [', content_type="application/json")
    result = verify(pm, write_config(tmp_path, registry))
    assert result.status == "valid" and result.registry == "unavailable"
    assert "not valid JSON" in registry_check(result).message


def test_json_of_the_wrong_shape_leaves_it_unverified(
    pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path
) -> None:
    expect_company(registry).respond_with_json(["no", "data"])
    assert verify(pm, write_config(tmp_path, registry)).registry == "unavailable"


def test_a_key_echoed_by_the_server_is_scrubbed(pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path) -> None:
    expect_company(registry).respond_with_json({"detail": f"key {SECRET} is malformed"}, status=400)
    result = verify(pm, write_config(tmp_path, registry))
    assert SECRET not in registry_check(result).message
    assert "***" in registry_check(result).message


# --- the cache ---------------------------------------------------------------------------


def test_one_certificate_is_not_paid_for_twice(pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path) -> None:
    expect_company(registry).respond_with_json(company_reply(certificate_record()))
    config = write_config(tmp_path, registry)
    for _ in range(3):
        assert verify(pm, config).verified_by == NAME
    assert len(registry.log) == 1


def test_not_found_is_cached_but_failures_are_not(registry: HTTPServer, tmp_path: Path) -> None:
    [config] = load_registries(str(write_config(tmp_path, registry, retries=0)))
    client = CertSearchClient(config, SECRET)
    certificate = CertificateSchema.parse(VALID_CERTIFICATE)
    registry.expect_oneshot_request(f"{BASE}/company", method="POST").respond_with_data("down", status=500)
    expect_company(registry).respond_with_json({"code": "not_found"}, status=404)
    assert client.checks(certificate, AS_OF)[0].verdict == "unavailable"
    assert client.checks(certificate, AS_OF)[0].verdict == "not_found"
    assert client.checks(certificate, AS_OF)[0].verdict == "not_found"
    assert len(registry.log) == 2


def test_cache_entries_expire(tmp_path: Path) -> None:
    now = [1000.0]
    cache = TTLCache(ttl_seconds=60, clock=lambda: now[0])
    cache.set("k", {"v": 1})
    assert cache.get("k") == (True, {"v": 1})
    now[0] += 61
    assert cache.get("k") == (False, None)


def test_file_cache_survives_a_restart_without_credentials(registry: HTTPServer, tmp_path: Path) -> None:
    expect_company(registry).respond_with_json(company_reply(certificate_record()))
    path = tmp_path / "cache" / "certsearch.json"
    [config] = load_registries(str(write_config(tmp_path, registry, cache={"ttl_hours": 24, "path": str(path)})))
    certificate = CertificateSchema.parse(VALID_CERTIFICATE)
    assert CertSearchClient(config, SECRET).checks(certificate, AS_OF)[0].verdict == "confirmed"
    assert CertSearchClient(config, SECRET).checks(certificate, AS_OF)[0].verdict == "confirmed"
    assert len(registry.log) == 1
    assert SECRET not in path.read_text(encoding="utf-8")
    assert path.stat().st_mode & 0o077 == 0


def test_default_file_cache_lives_in_the_user_cache_dir(
    registry: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    [config] = load_registries(str(write_config(tmp_path, registry, cache={"file": True})))
    assert config.cache.path == str(tmp_path / "xdg" / "supplier-qual" / "iaf-certsearch.json")


# --- configuration and credentials ---------------------------------------------------------


def test_registries_do_nothing_unless_configured(pm: pluggy.PluginManager) -> None:
    certificate = CertificateSchema.parse(VALID_CERTIFICATE)
    result = supplier_qual.verify_certificates([certificate], as_of=AS_OF, pm=pm).certificates[0]
    assert result.registry is None
    assert not [c for c in result.checks if c.aspect == "registry"]


def test_a_key_in_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "registries.yaml"
    path.write_text(
        "registries:\n  - {name: X, type: iaf_certsearch, base_url: 'https://x.test', api_key: abc}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError, match="credentials are never read from files"):
        load_registries(str(path))


def test_a_missing_key_variable_names_the_variable(
    pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV)
    with pytest.raises(ConfigurationError, match=f"the environment variable {KEY_ENV} holding its API key is not set"):
        verify(pm, write_config(tmp_path, registry, name="Other CertSearch"))


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ({"name": "X", "type": "nope"}, "must be one of"),
        ({"name": "X", "type": "iaf_certsearch"}, "needs base_url and api_key_env"),
        ({"name": "X", "type": "iaf_certsearch", "base_url": "https://x.test", "api_key_env": "K", "match_rate": 83},
         "steps of 5"),
        ({"name": "X", "type": "csv_register"}, "needs a path"),
    ],
)  # fmt: skip
def test_invalid_configuration(tmp_path: Path, entry: dict[str, Any], words: str) -> None:
    path = tmp_path / "registries.yaml"
    path.write_text(json.dumps({"registries": [entry]}), encoding="utf-8")
    with pytest.raises(ConfigurationError, match=words):
        load_registries(str(path))


def test_credentials_never_reach_output_or_logs(
    pm: pluggy.PluginManager,
    registry: HTTPServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    replies = iter([Response("busy", status=503, headers={"Retry-After": "0"})])
    registry.expect_oneshot_request(f"{BASE}/company", method="POST").respond_with_handler(lambda _: next(replies))
    expect_company(registry).respond_with_json(company_reply(certificate_record()))
    certificate = write_json(tmp_path / "cert.json", VALID_CERTIFICATE)
    config = write_config(tmp_path, registry)
    for flag in ([], ["--json"]):
        result = CliRunner().invoke(
            cli, ["verify", str(certificate), "--registry-config", str(config), "--as-of", "2026-11-25", *flag], obj=pm
        )
        assert result.exit_code == 0, result.output
        assert SECRET not in result.output
    assert (
        "registry: confirmed by IAF CertSearch"
        in CliRunner().invoke(cli, ["verify", str(certificate), "--registry-config", str(config)], obj=pm).output
    )
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err
    assert caplog.records  # the client does log its calls …
    assert all(SECRET not in record.getMessage() for record in caplog.records)  # … never the key
    assert SECRET not in caplog.text


def test_assessment_with_a_registry_is_verified(
    pm: pluggy.PluginManager, registry: HTTPServer, tmp_path: Path, make_submission: Any
) -> None:
    expect_company(registry).respond_with_json(company_reply(certificate_record()))
    write_config(tmp_path, registry)
    policy = tmp_path / "policy.yaml"
    policy.write_text("certificates:\n  registries: registries.yaml\n", encoding="utf-8")
    assessment = supplier_qual.assess(make_submission(), policy=policy, as_of=AS_OF, pm=pm)
    assert assessment.certificates[0].verified_by == NAME
    assert assessment.outcomes["A"].assurance == "verified"
