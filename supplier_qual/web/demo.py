"""A register to show the service with: example suppliers, their assessments, a tender, a user and a token per role."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigurationError
from . import qualification, tendering
from .auth import Principal
from .service import Service
from .store import accounts, audit, users
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
#: The demonstration's users: role, name, e-mail address, supplier (the first supplier's id for the supplier user).
USERS = (
    ("admin", "Demo administrator", "admin@demo.example", None),
    ("buyer", "Demo buyer", "buyer@demo.example", None),
    ("tender_officer", "Demo tender officer", "tenders@demo.example", None),
    ("supplier", "Northwind Components (supplier)", "quality@northwind.example", SUPPLIERS[0].id),
)


@dataclass
class DemoAccess:
    """What the demonstration made to get in with (shown once: both are stored hashed)."""

    tokens: dict[str, str] = field(default_factory=dict)
    #: role -> (e-mail address, password)
    sign_ins: dict[str, tuple[str, str]] = field(default_factory=dict)


def demo_password() -> str:
    return "demo-" + secrets.token_urlsafe(9)


def examples_dir() -> Path:
    """The repository's ``examples/`` folder, which the demonstration is made from."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples"
        if (candidate / TENDER).is_file():
            return candidate
    raise ConfigurationError("the demonstration needs the examples/ folder of the source tree")


def seed(service: Service) -> DemoAccess:
    """Fill an empty register; the users' passwords and the tokens made, by role."""
    examples = examples_dir()
    with service.db.write() as session:
        now = utcnow()
        for item in SUPPLIERS:
            session.add(Supplier(id=item.id, name=item.name, country=item.country, created_at=now, updated_at=now))
            audit.record(session, SEEDER, "supplier.create", "supplier", item.id, supplier_id=item.id)
        access = DemoAccess()
        for role, name, email, supplier in USERS:
            password = demo_password()
            account = users.create_user(
                session, email=email, role=role, name=name, supplier_id=supplier, password=password
            )
            access.sign_ins[role] = (email, password)
            token, row = accounts.issue_token(session, account, name=name)
            audit.record(session, SEEDER, "token.create", "token", row.id, supplier_id=supplier, detail={"role": role})
            access.tokens[role] = token
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
    return access
