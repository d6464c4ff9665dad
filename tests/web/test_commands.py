"""The service's commands: tokens, re-assessment under a new policy, and serve's options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import supplier_qual
from supplier_qual.cli import cli

from ..conftest import AS_OF
from .conftest import NORTHWIND, NORTHWIND_JSON, Register


def test_token_create_list_revoke(register: Register, sqlite_url: str) -> None:
    made = CliRunner().invoke(
        cli, ["token", "create", "--role", "buyer", "--name", "ERP integration", "--db", sqlite_url]
    )
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    assert token.startswith("sq_") and "shown again" in made.stderr
    assert register.client.get("/api/v1/suppliers", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    listed = CliRunner().invoke(cli, ["token", "list", "--json", "--db", sqlite_url])
    tokens = json.loads(listed.stdout)
    mine = next(t for t in tokens if t["name"] == "ERP integration")
    assert mine["role"] == "buyer" and mine["state"] == "active" and token not in listed.stdout
    table = CliRunner().invoke(cli, ["token", "list", "--db", sqlite_url])
    assert "ERP integration" in table.stdout and mine["prefix"] in table.stdout
    revoked = CliRunner().invoke(cli, ["token", "revoke", mine["prefix"], "--db", sqlite_url])
    assert revoked.exit_code == 0 and f"revoked token {mine['id']}" in revoked.stdout
    assert register.client.get("/api/v1/suppliers", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    again = CliRunner().invoke(cli, ["token", "revoke", str(mine["id"]), "--db", sqlite_url])
    assert "already revoked" in again.stdout
    entries = register.call("GET", "/api/v1/audit?action=token.revoke", "admin").json["items"]
    assert entries[0]["subject_id"] == str(mine["id"]) and entries[0]["remote_addr"] == "command line"


def test_supplier_tokens_need_a_supplier_in_the_register(register: Register, sqlite_url: str) -> None:
    unbound = CliRunner().invoke(cli, ["token", "create", "--role", "supplier", "--db", sqlite_url])
    assert unbound.exit_code == 2 and "--supplier" in unbound.stderr
    unknown = CliRunner().invoke(
        cli, ["token", "create", "--role", "supplier", "--supplier", "NOPE", "--db", sqlite_url]
    )
    assert unknown.exit_code == 2 and "no supplier NOPE" in unknown.stderr
    made = CliRunner().invoke(
        cli,
        [
            "token",
            "create",
            "--role",
            "supplier",
            "--supplier",
            NORTHWIND,
            "--expires",
            "30",
            "--json",
            "--db",
            sqlite_url,
        ],
    )
    details = json.loads(made.stdout)
    assert details["supplier_id"] == NORTHWIND and details["expires_at"]
    headers = {"Authorization": f"Bearer {details['token']}"}
    assert register.client.get(f"/api/v1/suppliers/{NORTHWIND}", headers=headers).status_code == 200
    missing = CliRunner().invoke(cli, ["token", "revoke", "999", "--db", sqlite_url])
    assert missing.exit_code == 2


def test_reassess_under_a_new_policy_reports_and_keeps_history(
    register: Register, sqlite_url: str, tmp_path: Path
) -> None:
    first = register.upload(NORTHWIND, NORTHWIND_JSON.read_bytes()).json
    policy = tmp_path / "strict.yaml"
    policy.write_text(
        "name: strict-buyer\noutcome_weights: {A: 1, B: 1, C: 1, D: 1, E: 9, F: 1, G: 1, H: 1, I: 1}\n"
        "decision:\n  qualified: {overall_at_least: 99.5}\n",
        encoding="utf-8",
    )
    env = {"SUPPLIER_QUAL_POLICY": str(policy), "SUPPLIER_QUAL_AS_OF": AS_OF.isoformat()}
    expected = supplier_qual.assess(NORTHWIND_JSON, policy=policy, as_of=AS_OF)
    assert expected.decision is not None
    dry = CliRunner().invoke(cli, ["reassess", "--all", "--dry-run", "--db", sqlite_url], env=env)
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.stdout and NORTHWIND in dry.stdout
    assert register.count("assessments") == 1
    done = CliRunner().invoke(cli, ["reassess", "--supplier", NORTHWIND, "--json", "--db", sqlite_url], env=env)
    assert done.exit_code == 0, done.output
    [change] = json.loads(done.stdout)
    assert change["changed"] is True
    assert change["before"]["assessment_id"] == first["id"]
    assert change["after"]["decision"] == expected.decision.decision
    assert change["after"]["score"] == expected.decision.score
    history = register.call("GET", f"/api/v1/suppliers/{NORTHWIND}/assessments", "buyer").json["items"]
    assert [a["trigger"] for a in history] == ["reassess", "upload"]
    assert expected.provenance is not None and history[0]["policy"] == expected.provenance.policy != "default"
    assert history[1]["assessment"] == first["assessment"]
    rendered = supplier_qual.render(expected, "json")
    assert isinstance(rendered, str)
    assert history[0]["assessment"] == json.loads(rendered)
    unchanged = CliRunner().invoke(cli, ["reassess", "--all", "--db", sqlite_url], env=env)
    assert "unchanged" in unchanged.stdout and "Brightline" not in unchanged.stdout
    assert register.count("assessments") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [((), "--supplier ID, or give --all"), (("--supplier", "NOPE-9"), "no supplier NOPE-9 in the register")],
)
def test_reassess_needs_known_suppliers(
    sqlite_url: str, register: Register, args: tuple[str, ...], message: str
) -> None:
    result = CliRunner().invoke(cli, ["reassess", *args, "--db", sqlite_url])
    assert result.exit_code == 2 and message in result.stderr


def test_serve_and_db_are_commands() -> None:
    for command in (["serve", "--help"], ["db", "--help"], ["token", "--help"], ["reassess", "--help"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 0
    assert "--demo" in CliRunner().invoke(cli, ["serve", "--help"]).stdout
