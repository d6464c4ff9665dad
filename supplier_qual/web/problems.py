"""Every error the service answers with has one shape: ``{"errors": [{"location", "message"}, …]}``.

``location`` names the place at fault: a JSON path into the request body
(``$.name``), a query parameter (``query.days``), a header
(``header.Authorization``), or the place inside an uploaded file
(``Questionnaire!F14``, ``$.answers.A1.value``); it is empty when no one place is
to blame. No response ever carries a traceback: an unexpected failure answers 500
with the request id to quote, and the details go to the server's log only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

from flask import Flask, Response, g, jsonify
from sqlalchemy.exc import InterfaceError as DBAPIInterfaceError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from ..errors import InputError, Problem, problems_from_messages

log = logging.getLogger("supplier_qual.web")

LOCATIONS = {"query": "query", "headers": "header", "cookies": "cookie", "files": "files", "form": "form"}


class ApiError(HTTPException):
    """An answer other than success, with the problems to report."""

    def __init__(self, status: int, problems: Iterable[Problem], headers: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.code = status
        self.problems = list(problems)
        self.extra_headers = dict(headers or {})


def abort_with(status: int, message: str, location: str = "", headers: Mapping[str, str] | None = None) -> NoReturn:
    """Stop the request with ``status`` and one problem."""
    raise ApiError(status, [Problem(message, location)], headers)


def body(problems: Iterable[Problem]) -> dict[str, list[dict[str, str]]]:
    return {"errors": [{"location": p.location, "message": p.message} for p in problems]}


def respond(status: int, problems: Iterable[Problem], headers: Mapping[str, str] | None = None) -> Response:
    response = jsonify(body(problems))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def request_problems(messages: object) -> list[Problem]:
    """webargs' ``{"json": {"name": [...]}, "query": {...}}`` as located problems."""
    if not isinstance(messages, Mapping):
        return [Problem(str(messages))]
    found: list[Problem] = []
    for where, detail in messages.items():
        if where == "json":
            found.extend(problems_from_messages(detail))
            continue
        prefix = LOCATIONS.get(str(where), str(where))
        for problem in problems_from_messages(detail):
            path = problem.location.removeprefix("$").removeprefix(".")
            found.append(Problem(problem.message, f"{prefix}.{path}" if path else prefix))
    return found


def handle_http_exception(error: HTTPException) -> Response:
    """Any HTTP error, from a view, from request parsing or from routing, in the one shape."""
    status = error.code or 500
    if isinstance(error, ApiError):
        return respond(status, error.problems, error.extra_headers)
    data: Any = getattr(error, "data", None)
    if isinstance(data, Mapping) and "messages" in data:
        return respond(status, request_problems(data["messages"]), data.get("headers"))
    headers = {k: v for k, v in error.get_headers() if k.lower() in ("allow", "retry-after", "www-authenticate")}
    return respond(status, [Problem(_describe(error))], headers)


def _describe(error: HTTPException) -> str:
    if error.code == 413:
        return "the request is larger than this service accepts"
    if error.code == 404:
        return "no such resource"
    if error.code == 405:
        return "this method is not allowed here"
    description = error.description or error.name
    return str(description).rstrip(".")


def handle_input_error(error: InputError) -> Response:
    """Bad input found by the core: 422 with every problem at its place."""
    return respond(422, error.problems)


def handle_database_unavailable(error: Exception) -> Response:
    """The register's database did not answer (down, or busy past its timeout): nothing was stored; try again."""
    log.warning("database unavailable: %s", type(error).__name__, extra={"request_id": g.get("request_id", "")})
    return respond(
        503,
        [Problem("the register's database is unavailable; nothing was stored, try again shortly")],
        {"Retry-After": "5"},
    )


def handle_unexpected(error: Exception) -> Response:
    request_id = g.get("request_id", "")
    log.exception("unexpected failure", extra={"request_id": request_id})
    message = "the service failed unexpectedly; nothing was stored"
    if request_id:
        message += f"; quote request id {request_id}"
    return respond(500, [Problem(message)])


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(InputError, handle_input_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(DBAPIInterfaceError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
