"""A register to show the service with: example suppliers, their assessments, a tender, and a token per role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigurationError
from . import qualification, tendering
from .auth import Principal
from .service import Service
from .store import accounts, audit
from .store.models import Supplier, utcnow

SEEDER = Principal(name="demo set-up", role="admin")


@dataclass(frozen=True)
class DemoSupplier:
    id: str
    name: str
    country: str
    submission: str
    performance: str | None = None


SUPPLIERS = (
    DemoSupplier(
        "GB-COH-04567123",
        "Northwind Components Ltd",
        "GB",
        "submissions/northwind-components.json",
        "submissions/northwind-performance.json",
    ),
    DemoSupplier("CZ-ICO-27182818", "Brightline Fabrication s.r.o.", "CZ", "submissions/brightline-fabrication.json"),
)
TENDER = "tenders/valve-components.yaml"


def examples_dir() -> Path:
    """The repository's ``examples/`` folder, which the demonstration is made from."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples"
        if (candidate / TENDER).is_file():
            return candidate
    raise ConfigurationError("the demonstration needs the examples/ folder of the source tree")


def seed(service: Service) -> dict[str, str]:
    """Fill an empty register; the tokens made, by role (shown once: they are stored hashed)."""
    examples = examples_dir()
    with service.db.write() as session:
        now = utcnow()
        for item in SUPPLIERS:
            session.add(Supplier(id=item.id, name=item.name, country=item.country, created_at=now, updated_at=now))
            audit.record(session, SEEDER, "supplier.create", "supplier", item.id, supplier_id=item.id)
        tokens = {}
        for role, name, supplier in (
            ("admin", "Demo administrator", None),
            ("buyer", "Demo buyer", None),
            ("tender_officer", "Demo tender officer", None),
            ("supplier", "Northwind Components (supplier)", SUPPLIERS[0].id),
        ):
            account = accounts.create_account(session, name=name, role=role, supplier_id=supplier)
            token, row = accounts.issue_token(session, account, name=name)
            audit.record(session, SEEDER, "token.create", "token", row.id, supplier_id=supplier, detail={"role": role})
            tokens[role] = token
    for item in SUPPLIERS:
        path = examples / item.submission
        qualification.submit(service, SEEDER, item.id, path.read_bytes(), path.name, "application/json")
        if item.performance:
            figures = examples / item.performance
            data = figures.read_bytes()
            qualification.record_performance(service, SEEDER, item.id, data, figures.name, "application/json")
    tender = examples / TENDER
    registered, _ = tendering.register_tender(service, SEEDER, tender.read_bytes(), tender.name)
    tendering.check_eligibility(service, SEEDER, registered.id, [s.id for s in SUPPLIERS], None)
    return tokens
