"""Error pages in the users' words; requests under ``/api`` keep the API's JSON problems."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError as DBAPIInterfaceError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from ...errors import InputError
from .. import problems

log = logging.getLogger("supplier_qual.web")

#: Heading and explanation of each error page.
WORDING: dict[int, tuple[str, str]] = {
    400: ("The request could not be understood", "Go back, check what you entered and try again."),
    401: ("Please sign in", "Sign in to see this page."),
    403: (
        "This page is not for your role",
        "You are signed in, but your role does not give access to this page. "
        "If you think it should, ask the administrator of the register.",
    ),
    404: ("Page not found", "There is no such page, or it is not one you may see. Check the address or go back."),
    405: ("This action is not possible here", "Go back and use the buttons and links of the page."),
    413: ("The file is too large", "The file is larger than the register accepts. Send a smaller file."),
    429: (
        "Too many attempts",
        "Too many attempts were made in a short time. Wait a few minutes, then try again.",
    ),
    500: (
        "Something went wrong on our side",
        "Nothing was stored. Try again; if it happens again, quote the reference below.",
    ),
    503: (
        "The register is unavailable",
        "The register's database did not answer. Nothing was stored; try again shortly.",
    ),
}
CSRF_WORDING = (
    "This form has expired",
    "For your security, a form can only be sent from the page that showed it, within a few hours. "
    "Go back, reload the page and send the form again.",
)


def is_api_request() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def error_page(
    status: int, heading: str | None = None, message: str | None = None, problem_list: list[Any] | None = None
) -> Response:
    """The error page for ``status`` (with its standard wording unless another is given, and any problems)."""
    default_heading, default_message = WORDING.get(status, WORDING[400] if status < 500 else WORDING[500])
    html = render_template(
        "pages/error.html",
        status=status,
        heading=heading or default_heading,
        message=message or default_message,
        request_id=g.get("request_id", ""),
        problem_list=problem_list or [],
    )
    return Response(html, status=status, mimetype="text/html")


def handle_http_exception(error: HTTPException) -> Response:
    if is_api_request():
        return problems.handle_http_exception(error)
    status = error.code or 500
    response = error_page(400, *CSRF_WORDING) if isinstance(error, CSRFError) else error_page(status)
    for name, value in error.get_headers():
        if name.lower() in ("retry-after", "allow"):
            response.headers[name] = value
    return response


def handle_input_error(error: InputError) -> Response:
    """Bad input that a page view did not show on its own page: every problem, at its place."""
    if is_api_request():
        return problems.handle_input_error(error)
    return error_page(422, problem_list=list(error.problems))


def handle_database_unavailable(error: Exception) -> Response:
    if is_api_request():
        return problems.handle_database_unavailable(error)
    log.warning("database unavailable: %s", type(error).__name__, extra={"request_id": g.get("request_id", "")})
    response = error_page(503)
    response.headers["Retry-After"] = "5"
    return response


def handle_unexpected(error: Exception) -> Response:
    if is_api_request():
        return problems.handle_unexpected(error)
    log.exception("unexpected failure", extra={"request_id": g.get("request_id", "")})
    return error_page(500)


def register(app: Flask) -> None:
    """Take over the application's error handlers, handing ``/api`` requests on to the API's."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(InputError, handle_input_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(DBAPIInterfaceError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
