"""Every route × every role × ownership: allowed, forbidden, and another supplier's things answering like nothing."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from supplier_qual.web.auth import PERMISSIONS

from .conftest import BRIGHTLINE, BRIGHTLINE_JSON, NORTHWIND, NORTHWIND_JSON, PERFORMANCE_JSON, TENDER_YAML, Register

WHO = ("admin", "buyer", "tender_officer", "supplier")
_unique = itertools.count()


@dataclass
class World:
    """A register with an assessment of each supplier and a tender."""

    register: Register
    assessment: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def world(register: Register) -> World:
    found = World(register)
    for supplier_id, path in ((NORTHWIND, NORTHWIND_JSON), (BRIGHTLINE, BRIGHTLINE_JSON)):
        response = register.upload(supplier_id, path.read_bytes(), path.name)
        assert response.status_code == 201, response.json
        found.assessment[supplier_id] = response.json["id"]
    response = register.call(
        "POST", "/api/v1/tenders", "tender_officer", data=TENDER_YAML.read_bytes(), content_type="application/yaml"
    )
    assert response.status_code == 201, response.json
    return found


def _token(world: World) -> str:
    response = world.register.call("POST", "/api/v1/tokens", "admin", json={"role": "buyer", "name": "spare"})
    return str(response.json["id"])


@dataclass(frozen=True)
class Route:
    """One operation; ``{s}`` is a supplier id, ``{a}`` an assessment of that supplier."""

    method: str
    path: str
    action: str
    owned: bool = False
    body: Callable[[World], dict[str, Any]] = lambda _w: {}


def _upload(_w: World) -> dict[str, Any]:
    return {
        "data": {"file": (io.BytesIO(NORTHWIND_JSON.read_bytes()), "n.json")},
        "content_type": "multipart/form-data",
    }


ROUTES = [
    Route("GET", "/api/v1/suppliers", "suppliers.read"),
    Route(
        "POST",
        "/api/v1/suppliers",
        "suppliers.create",
        body=lambda _w: {"json": {"id": f"NEW-{next(_unique)}", "name": "New Supplier Ltd"}},
    ),
    Route("GET", "/api/v1/suppliers/{s}", "suppliers.read", owned=True),
    Route("PATCH", "/api/v1/suppliers/{s}", "suppliers.update", owned=True, body=lambda _w: {"json": {"notes": "x"}}),
    Route("POST", "/api/v1/suppliers/{s}/submissions", "submissions.upload", owned=True, body=_upload),
    Route(
        "PUT",
        "/api/v1/suppliers/{s}/performance",
        "performance.write",
        owned=True,
        body=lambda _w: {"data": PERFORMANCE_JSON.read_bytes(), "content_type": "application/json"},
    ),
    Route("GET", "/api/v1/suppliers/{s}/assessments", "assessments.read", owned=True),
    Route("GET", "/api/v1/assessments/{a}", "assessments.read", owned=True),
    Route("GET", "/api/v1/assessments/{a}?format=text", "assessments.read", owned=True),
    Route("GET", "/api/v1/assessments/{a}/diff/{a}", "assessments.read", owned=True),
    Route(
        "POST",
        "/api/v1/assessments/{a}/override",
        "assessments.override",
        owned=True,
        body=lambda _w: {"json": {"decision": "conditional", "reason": "site visit found open findings"}},
    ),
    Route(
        "POST",
        "/api/v1/tenders",
        "tenders.create",
        body=lambda _w: {"data": TENDER_YAML.read_bytes(), "content_type": "application/yaml"},
    ),
    Route("GET", "/api/v1/tenders", "tenders.read"),
    Route("GET", "/api/v1/tenders/T-2026-014", "tenders.read"),
    Route(
        "POST",
        "/api/v1/tenders/T-2026-014/eligibility",
        "tenders.eligibility",
        body=lambda _w: {"json": {"suppliers": [NORTHWIND, BRIGHTLINE]}},
    ),
    Route("GET", "/api/v1/certificates/expiring?days=400", "certificates.watch"),
    Route("GET", "/api/v1/audit", "audit.read"),
    Route("GET", "/api/v1/tokens", "tokens.manage"),
    Route("POST", "/api/v1/tokens", "tokens.manage", body=lambda _w: {"json": {"role": "buyer"}}),
    Route("DELETE", "/api/v1/tokens/{t}", "tokens.manage"),
]


def _path(route: Route, world: World, supplier_id: str) -> str:
    assessment = world.assessment.get(supplier_id, 999_999)
    path = route.path.replace("{s}", supplier_id).replace("{a}", str(assessment))
    if "{t}" in path:
        path = path.replace("{t}", _token(world))
    return path


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_each_role_is_allowed_or_forbidden_as_the_permissions_say(world: World, route: Route) -> None:
    for who in WHO:
        response = world.register.call(route.method, _path(route, world, NORTHWIND), who, **route.body(world))
        allowed = who in PERMISSIONS[route.action]
        if allowed:
            assert response.status_code in (200, 201, 204), (who, response.status_code, response.get_data(as_text=True))
        else:
            assert response.status_code == 403, (who, response.status_code)
            assert response.json["errors"][0]["location"] == "header.Authorization"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_no_token_or_a_bad_one_is_401(world: World, route: Route) -> None:
    path = _path(route, world, NORTHWIND)
    assert world.register.call(route.method, path, **route.body(world)).status_code == 401
    bad = {"Authorization": "Bearer sq_not-a-real-token"}
    response = world.register.call(route.method, path, headers=bad, **route.body(world))
    assert response.status_code == 401
    assert response.json == {
        "errors": [{"location": "header.Authorization", "message": response.json["errors"][0]["message"]}]
    }


OWNED = [r for r in ROUTES if r.owned]


@pytest.mark.parametrize("route", OWNED, ids=lambda r: f"{r.method} {r.path}")
def test_another_suppliers_things_answer_exactly_like_nothing(world: World, route: Route) -> None:
    allowed = "supplier" in PERMISSIONS[route.action]
    other = world.register.call(route.method, _path(route, world, BRIGHTLINE), "supplier", **route.body(world))
    missing = world.register.call(route.method, _path(route, world, "NO-SUCH-1"), "supplier", **route.body(world))
    if not allowed:
        assert other.status_code == missing.status_code == 403
        return
    assert other.status_code == missing.status_code == 404
    assert other.get_data() == missing.get_data()
    assert other.headers["Content-Type"] == missing.headers["Content-Type"]
    own = world.register.call(route.method, _path(route, world, NORTHWIND), "supplier", **route.body(world))
    assert own.status_code in (200, 201), own.get_data(as_text=True)


def test_a_supplier_lists_and_watches_only_its_own(world: World) -> None:
    listed = world.register.call("GET", "/api/v1/suppliers", "supplier").json
    assert [s["id"] for s in listed["items"]] == [NORTHWIND]
    everyone = world.register.call("GET", "/api/v1/suppliers", "buyer").json
    assert {s["id"] for s in everyone["items"]} == {NORTHWIND, BRIGHTLINE}
    watch = world.register.call("GET", "/api/v1/certificates/expiring?days=3650", "supplier").json
    assert watch["due"] and {d["supplier_id"] for d in watch["due"]} == {NORTHWIND} and watch["expired"] == []


def test_a_supplier_never_sees_another_bidder(world: World) -> None:
    run = world.register.call(
        "POST", "/api/v1/tenders/T-2026-014/eligibility", "tender_officer", json={"suppliers": [NORTHWIND, BRIGHTLINE]}
    )
    assert run.status_code == 201
    assert len(run.json["result"]["bidders"]) == 2
    seen = world.register.call("GET", "/api/v1/tenders/T-2026-014", "supplier").json
    bidders = [b for r in seen["eligibility"] for b in r["result"]["bidders"]]
    assert [b["supplier"]["id"] for b in bidders] == [NORTHWIND]
    assert BRIGHTLINE not in str(seen) and "Brightline" not in str(seen)
    officer = world.register.call("GET", "/api/v1/tenders/T-2026-014", "tender_officer").json
    assert {b["supplier"]["id"] for b in officer["eligibility"][0]["result"]["bidders"]} == {NORTHWIND, BRIGHTLINE}
    outsider = world.register.call("GET", "/api/v1/tenders/T-2026-014", "other_supplier").json
    assert [b["supplier"]["id"] for r in outsider["eligibility"] for b in r["result"]["bidders"]] == [BRIGHTLINE]


def test_a_revoked_or_expired_token_stops_working(world: World) -> None:
    made = world.register.call("POST", "/api/v1/tokens", "admin", json={"role": "buyer", "name": "ERP"}).json
    headers = {"Authorization": f"Bearer {made['token']}"}
    assert world.register.client.get("/api/v1/suppliers", headers=headers).status_code == 200
    assert world.register.call("DELETE", f"/api/v1/tokens/{made['id']}", "admin").status_code == 204
    assert world.register.client.get("/api/v1/suppliers", headers=headers).status_code == 401
    listed = {t["id"]: t for t in world.register.call("GET", "/api/v1/tokens", "admin").json}
    assert listed[made["id"]]["state"] == "revoked"
    assert "token" not in listed[made["id"]]
    import datetime as dt

    from sqlalchemy import update

    from supplier_qual.web.store.models import ApiToken

    soon = world.register.call("POST", "/api/v1/tokens", "admin", json={"role": "buyer", "expires_days": 1}).json
    with world.register.service.db.write() as session:
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == soon["id"])
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
    expired = world.register.client.get("/api/v1/suppliers", headers={"Authorization": f"Bearer {soon['token']}"})
    assert expired.status_code == 401
