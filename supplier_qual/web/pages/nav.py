"""The navigation of each role: the pages a user of that role is offered, in order.

An entry shows only once its endpoint exists, so a page module adds itself simply by
registering a view under the endpoint named here. The first entry a role has is
where ``/`` takes a signed-in user.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str


NAV: dict[str, tuple[NavItem, ...]] = {
    "supplier": (
        NavItem("pages.supplier.home", "Self-assessment"),
        NavItem("pages.supplier.history", "History"),
    ),
    "buyer": (
        NavItem("pages.buyer.dashboard", "Suppliers"),
        NavItem("pages.buyer.expiry", "Certificate expiry"),
        NavItem("pages.invites.new", "Invite a supplier"),
    ),
    "tender_officer": (NavItem("pages.tender.index", "Tenders"),),
    "admin": (
        NavItem("pages.buyer.dashboard", "Suppliers"),
        NavItem("pages.buyer.expiry", "Certificate expiry"),
        NavItem("pages.tender.index", "Tenders"),
        NavItem("pages.invites.new", "Invite a supplier"),
        NavItem("pages.admin.users_list", "Users"),
    ),
}


def items(role: str) -> list[dict[str, str]]:
    """The navigation of ``role`` as links (``endpoint``, ``label``, ``url``), only pages that exist."""
    views = current_app.view_functions
    return [
        {"endpoint": item.endpoint, "label": item.label, "url": url_for(item.endpoint)}
        for item in NAV.get(role, ())
        if item.endpoint in views
    ]
