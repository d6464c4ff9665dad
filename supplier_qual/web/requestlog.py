"""Around every request: a request id, the size cap, security headers and one structured log line.

The log line names the request id, method, path, status, duration, client address
and the account acting — never a token, a query string or a file's content.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, current_app, g, request

from .auth import Principal
from .intake import upload_limit

log = logging.getLogger("supplier_qual.web.requests")

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
#: Requests that carry a file get the upload limit (so do views marked ``accepts_upload``); every other far less.
UPLOAD_ENDPOINTS = {"submissions.Submissions", "submissions.Performance", "tenders.Tenders"}
OTHER_REQUEST_BYTES = 256 * 1024
MULTIPART_OVERHEAD = 64 * 1024
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)


def _begin() -> None:
    g.started = time.perf_counter()
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if REQUEST_ID.match(offered) else uuid.uuid4().hex
    view = current_app.view_functions.get(request.endpoint or "")
    if request.endpoint in UPLOAD_ENDPOINTS or getattr(view, "accepts_upload", False):
        request.max_content_length = upload_limit() + MULTIPART_OVERHEAD
    else:
        request.max_content_length = OTHER_REQUEST_BYTES


def _finish(response: Response) -> Response:
    headers = response.headers
    headers["X-Request-ID"] = g.get("request_id", "")
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    page = response.mimetype == "text/html"
    # Pages keep the referrer on the same site: over HTTPS the CSRF check compares it with the host.
    headers["Referrer-Policy"] = "same-origin" if page else "no-referrer"
    headers["Content-Security-Policy"] = PAGE_CSP if page else API_CSP
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if request.path.startswith("/api/v1"):
        headers["Cache-Control"] = "no-store"
    principal = g.get("principal")
    entry = {
        "request_id": g.get("request_id", ""),
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1),
        "remote_addr": request.remote_addr or "",
    }
    if isinstance(principal, Principal):
        entry |= {"account_id": principal.account_id, "role": principal.role, "token_id": principal.token_id}
    log.info(json.dumps(entry, sort_keys=True))
    return response


def log_to_stderr() -> None:
    """Send the service's log lines to standard error, unless the host program set up logging itself."""
    service_log = logging.getLogger("supplier_qual.web")
    # A server that configures its own logging (gunicorn does) disables loggers made before it; these stay on.
    for logger in (service_log, log):
        logger.disabled = False
    if service_log.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    service_log.addHandler(handler)
    service_log.setLevel(logging.INFO)


def register(app: Flask) -> None:
    log_to_stderr()
    app.before_request(_begin)
    app.after_request(_finish)
