"""The REST API under ``/api/v1``: one flask-smorest blueprint per resource, documented from its schemas."""

from __future__ import annotations

import http
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from ..problems import handle_http_exception
from .schemas import ErrorSchema

F = TypeVar("F", bound=Callable[..., Any])
PREFIX = "/api/v1"
#: The largest id a route takes: the databases' 64-bit integers.
ID_MAX = 2**63 - 1


class Api(SmorestApi):  # type: ignore[misc]
    """flask-smorest with the service's one error shape, in the answers and in the document."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> Any:
        return handle_http_exception(error)


def errors(blp: Blueprint, *codes: int) -> Callable[[F], F]:
    """Document the error answers an operation can give (401 and 403 come with every protected one)."""

    def decorate(view: F) -> F:
        for code in codes:
            view = blp.alt_response(code, response=http.HTTPStatus(code).name)(view)
        return view

    return decorate


def init_api(app: Flask) -> Api:
    from . import assessments, audit, certificates, health, reference, submissions, suppliers, tenders, tokens

    app.config.setdefault("API_TITLE", "supplier_qual")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = Api(
        app,
        spec_kwargs={
            "info": {
                "description": "Qualify suppliers against the IAF/ISO expected outcomes of accredited ISO 9001 "
                "certification (A–I): keep a register of suppliers, their submissions and every assessment, "
                "watch certificates, and check bidders' eligibility for tenders.",
                "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
            },
            "security": [{"bearer": []}],
        },
    )
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "an API token from `supplier-qual token create`"}
    )
    for module in (suppliers, submissions, assessments, tenders, certificates, audit, tokens, health):
        api.register_blueprint(module.blp)
    reference.register(app)
    return api
