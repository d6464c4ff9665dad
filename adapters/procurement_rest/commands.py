"""``supplier-qual sync pull|push``: records from a procurement system, results back to it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from supplier_qual.documents import parse_json, read_bytes
from supplier_qual.errors import InputError, Problem


@click.group(help="Exchange data with a procurement system over its REST API (see docs/connectors.md).")
def sync() -> None:
    pass


@sync.command(
    "pull",
    help="Pull records (suppliers, bids, submissions) page by page and write each as a JSON file in OUT_DIR, "
    "named by its id. CONNECTOR is the connector's YAML file; its token comes from the environment variable it names.",
)
@click.argument("connector", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into.",
)
def pull_command(connector: Path, out: Path) -> None:
    from supplier_qual.cli.common import reports_problems

    @reports_problems
    def run() -> None:
        from .config import load_connector  # the connector's schema and HTTP client: for this command only
        from .connector import pull

        config = load_connector(connector)
        records = list(pull(config))  # every page first: a failure half-way writes nothing
        field = config.pull.id_field if config.pull else "id"
        names: set[str] = set()
        out.mkdir(parents=True, exist_ok=True)
        for index, record in enumerate(records, start=1):
            name = _file_name(str(record.get(field) or f"record-{index}"))
            while name in names:
                name = f"{name}-{index}"
            names.add(name)
            (out / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        click.echo(f"Pulled {len(records)} record(s) from {config.endpoint.name} into {out}.")

    run()


@sync.command(
    "push",
    help="Push results (the JSON of `eligibility -f json` or `assess -f json`) to the procurement system, each with "
    "an idempotency key, so that pushing the same result twice records it once.",
)
@click.argument("connector", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("results", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def push_command(connector: Path, results: tuple[Path, ...]) -> None:
    from supplier_qual.cli.common import reports_problems

    @reports_problems
    def run() -> None:
        from .config import load_connector
        from .connector import push

        config = load_connector(connector)
        loaded = []
        problems = []
        for path in results:
            try:
                data = parse_json(read_bytes(path, what="result file"), source=str(path))
                if isinstance(data, dict):
                    loaded.append((path, _kind(data, str(path)), data))
                else:
                    _kind(data, str(path))
            except InputError as exc:
                problems.extend(exc.problems)
        if problems:
            raise InputError(problems)
        for path, kind, data in loaded:
            key, _answer = push(config, kind, data)
            click.echo(f"Pushed {path} ({kind}) to {config.endpoint.name}: idempotency key {key[:16]}…")

    run()


def _kind(data: object, source: str) -> str:
    if isinstance(data, dict) and "bidders" in data and "tender" in data:
        return "eligibility"
    if isinstance(data, dict) and "outcomes" in data and "overall" in data:
        return "assessment"
    raise InputError(
        [Problem("not a result to push: expected the JSON of `eligibility -f json` or `assess -f json`")], source=source
    )


def _file_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "record"
