"""Helpers for tests of the pages with Flask's test client: users per role, reading CSRF tokens, signing in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from supplier_qual.web.store import users

from .conftest import BRIGHTLINE, NORTHWIND, Register

PASSWORD = "correct horse battery staple"
#: who -> (role, e-mail address, supplier)
PAGE_USERS = {
    "admin": ("admin", "admin@register.example", None),
    "buyer": ("buyer", "buyer@register.example", None),
    "tender_officer": ("tender_officer", "tenders@register.example", None),
    "supplier": ("supplier", "quality@northwind.example", NORTHWIND),
    "other_supplier": ("supplier", "quality@brightline.example", BRIGHTLINE),
}
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def add_page_users(register: Register) -> dict[str, str]:
    """A user per role (and one per supplier), all with :data:`PASSWORD`; their e-mail addresses by who."""
    with register.service.db.write() as session:
        for who, (role, email, supplier) in PAGE_USERS.items():
            users.create_user(
                session, email=email, role=role, name=f"{who} user", supplier_id=supplier, password=PASSWORD
            )
    return {who: email for who, (_, email, _) in PAGE_USERS.items()}


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1) or found.group(2)


@dataclass
class Browserless:
    """A test client that signs in through the sign-in form, as a person would."""

    app: Flask
    client: FlaskClient

    def sign_in(self, email: str, password: str = PASSWORD, **kwargs: Any) -> Any:
        page = self.client.get("/sign-in")
        return self.client.post(
            "/sign-in", data={"email": email, "password": password, "csrf_token": csrf_token(page.text)}, **kwargs
        )

    def cookie(self) -> str | None:
        found = self.client.get_cookie("sq_session")
        return found.value if found else None
