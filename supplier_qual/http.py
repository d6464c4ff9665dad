"""Talking to procurement systems over HTTP: timeouts, retries with back-off, and errors in our terms.

Every request has a (connect, read) timeout. 429 and 5xx answers are retried with
exponential back-off, honouring ``Retry-After`` (seconds or an HTTP date) up to
``max_retry_after``; POST and PUT are retried too, as every write carries an
``Idempotency-Key`` so a repeated request cannot be applied twice. Errors become
supplier_qual's: 401 and 403 a :class:`~supplier_qual.errors.ConfigurationError`
naming the system and the environment variable holding the credential; other 4xx
an :class:`~supplier_qual.errors.InputError` quoting the system's message; a
timeout, a system that keeps failing or an answer that is not JSON a
``ConfigurationError`` saying so. Credentials come from environment variables only.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._version import VERSION
from .errors import ConfigurationError, InputError, Problem

if TYPE_CHECKING:  # requests is imported by the first client made, not by every command
    import requests

RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass(frozen=True)
class Endpoint:
    """A procurement system: where it is, how to authenticate, how patient to be.

    ``token_env`` names the environment variable holding the bearer token (never
    the token itself); ``auth_scheme`` the ``Authorization`` scheme (``Bearer``,
    or ``Basic`` for ProZorro's broker keys, sent as ``key:``).
    """

    name: str
    base_url: str
    token_env: str = ""
    auth_scheme: str = "Bearer"
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff_factor: float = 0.5
    max_retry_after: float = 60.0
    headers: dict[str, str] = field(default_factory=dict)


def retrying_session(
    *,
    retries: int,
    backoff_factor: float,
    max_retry_after: float,
    methods: frozenset[str],
    headers: dict[str, str],
) -> requests.Session:
    """A JSON session that retries connection failures and 429/5xx answers, honouring ``Retry-After``.

    A read that timed out is never sent again: the server may already have acted on
    it (or charged for it).
    """
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retry = Retry(
        total=retries,
        connect=retries,
        read=0,
        status=retries,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=methods,
        backoff_factor=backoff_factor,
        backoff_max=max(backoff_factor * 8, 1.0),
        respect_retry_after_header=True,
        retry_after_max=int(max_retry_after),
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update({"Accept": "application/json", "User-Agent": f"supplier-qual/{VERSION}", **headers})
    return session


class Client:
    """A JSON client of one procurement system."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.session = retrying_session(
            retries=endpoint.retries,
            backoff_factor=endpoint.backoff_factor,
            max_retry_after=endpoint.max_retry_after,
            methods=frozenset({"GET", "POST", "PUT", "PATCH"}),
            headers=endpoint.headers,
        )
        token = self._token()
        if token:
            value = f"{token}:" if endpoint.auth_scheme.lower() == "basic" else token
            if endpoint.auth_scheme.lower() == "basic":
                import base64

                value = base64.b64encode(value.encode()).decode()
            self.session.headers["Authorization"] = f"{endpoint.auth_scheme} {value}"

    def _token(self) -> str:
        name = self.endpoint.token_env
        if not name:
            return ""
        token = os.environ.get(name, "").strip()
        if not token:
            raise ConfigurationError(
                f"{self.endpoint.name}: the environment variable {name} holding its token is not set"
            )
        return token

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        idempotency_key: str = "",
    ) -> Any:
        """The JSON the system answers to ``method path``.

        :raises ConfigurationError: refused credentials, timeout, the system keeps
            failing, or its answer is not JSON; :raises InputError: another 4xx.
        """
        import requests
        from urllib3.exceptions import ConnectTimeoutError, ReadTimeoutError

        url = self.endpoint.base_url.rstrip("/") + "/" + path.lstrip("/")
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        data = None if body is None else json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        name = self.endpoint.name
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                data=data,
                headers=headers,
                timeout=(self.endpoint.connect_timeout, self.endpoint.read_timeout),
            )
        except requests.Timeout as exc:
            wait = self.endpoint.read_timeout
            raise ConfigurationError(f"{name}: {url} did not answer within {wait:g} s") from exc
        except requests.RequestException as exc:
            cause = getattr(exc.args[0], "reason", None) if exc.args else None
            if isinstance(cause, ReadTimeoutError | ConnectTimeoutError):
                wait = (
                    self.endpoint.read_timeout if isinstance(cause, ReadTimeoutError) else self.endpoint.connect_timeout
                )
                raise ConfigurationError(f"{name}: {url} did not answer within {wait:g} s") from exc
            reason = type(cause or exc).__name__
            raise ConfigurationError(f"{name}: cannot reach {url} ({reason})") from exc
        status = response.status_code
        if status in (401, 403):
            where = f" (check {self.endpoint.token_env})" if self.endpoint.token_env else ""
            raise ConfigurationError(f"{name}: {url} refused the credentials: HTTP {status}{where}")
        if status in RETRY_STATUSES:
            raise ConfigurationError(f"{name}: {url} kept failing: HTTP {status} after {self.endpoint.retries} retries")
        if 400 <= status < 500:
            raise InputError([Problem(f"{name} refused the request: HTTP {status}: {_message(response)}", url)])
        if status == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise ConfigurationError(f"{name}: {url} answered HTTP {status} with something that is not JSON") from exc


def _message(response: requests.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:200].strip() or response.reason
    if isinstance(data, dict):
        for key in ("message", "error", "errors", "detail"):
            if key in data:
                return json.dumps(data[key], ensure_ascii=False)[:300]
    return json.dumps(data, ensure_ascii=False)[:300]
