"""IAF CertSearch Verification API: a client, and the plugin that asks it about certificates.

Follows the public developer guide (see ``docs/certificates.md``): the API key
travels in the ``x-http-authorization`` header; ``GET /certificate/{cert_id}``
fetches a certificate by its CertSearch id when the certificate prints one,
otherwise ``POST /company`` (name, country, ``match_rate``) returns the matched
company with its certificates, among which the certificate is found by number.
Both paths are configurable, for older API versions (``/verify-company``).

Every call has a (connect, read) timeout; 429 and 5xx are retried with
exponential back-off, honouring ``Retry-After`` up to ``max_retry_after``; the
POST is retried too, as it only reads. 401 and 403 (``forbidden``,
``insufficient_credit``) are configuration errors naming the registry; a
timeout, a server that keeps failing or malformed JSON make the registry
*unavailable* for that certificate, which stays unverified. Answers (records and
"not found") are cached for ``cache.ttl_hours`` so a certificate is not paid for
twice a day.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import urllib.parse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from supplier_qual import hookimpl
from supplier_qual.context import Context
from supplier_qual.errors import ConfigurationError
from supplier_qual.http import RETRY_STATUSES, retrying_session
from supplier_qual.model import Certificate, CertificateCheck, Site, Supplier
from supplier_qual.sectors import country_code, plain

from .cache import TTLCache
from .config import RegistryConfig, registries_of_type
from .records import RegistryRecord, not_found, parse_date, record_checks, same_number, text, unavailable

if TYPE_CHECKING:  # requests is imported when a registry is first asked, not by every command
    import requests

log = logging.getLogger(__name__)


class Unavailable(Exception):
    """The registry gave no usable answer this time (timeout, server error, malformed reply)."""


class CertSearchClient:
    """A client of one configured CertSearch account.

    :param config: the registry's configuration.
    :param api_key: the key, read from the environment by the caller.
    :param cache: where answers are kept; a fresh in-memory cache by default.
    """

    def __init__(self, config: RegistryConfig, api_key: str, cache: TTLCache | None = None) -> None:
        self.config = config
        self._key = api_key
        self.cache = cache or TTLCache(config.cache.ttl_seconds, config.cache.path)
        # A request that reached the server may have been charged: a read timeout is not resent.
        self.session = retrying_session(
            retries=config.retries,
            backoff_factor=config.backoff_factor,
            max_retry_after=config.max_retry_after,
            methods=frozenset({"GET", "POST"}),
            headers={"x-http-authorization": api_key},
        )

    def checks(
        self, certificate: Certificate, as_of: dt.date, supplier: Supplier | None = None
    ) -> list[CertificateCheck]:
        """What CertSearch says about ``certificate`` (presented by ``supplier``), as checks.

        :raises ConfigurationError: the API key was refused or the credit is used up.
        """
        name = self.config.name
        try:
            records, why = self.lookup(certificate)
        except Unavailable as exc:
            return [unavailable(name, self._scrub(str(exc)))]
        if records is None:
            return [not_found(certificate, name, why)]
        match = next((r for r in records if same_number(r.number, certificate.number)), None)
        if match is None and self._by_id(certificate) and len(records) == 1:
            match = records[0]
        if match is None:
            held = ", ".join(r.number for r in records if r.number) or "none"
            return [not_found(certificate, name, f"the registry holds other certificates for the holder: {held}")]
        return record_checks(certificate, match, name, as_of, supplier)

    def lookup(self, certificate: Certificate) -> tuple[list[RegistryRecord] | None, str]:
        """The records CertSearch holds for the certificate (by id) or its holder (by name and country).

        :return: the records, or ``None`` with why when the registry found nothing.
        :raises Unavailable: no usable answer this time.
        """
        cert_id = self._by_id(certificate)
        if cert_id:
            path = self.config.certificate_path.replace("{cert_id}", urllib.parse.quote(cert_id, safe=""))
            key = f"certificate|{cert_id}"
            payload = self._cached(key, "GET", path, None)
            if payload is None:
                return None, f"no record {cert_id}"
            return [_record(_data(payload))], ""
        country = certificate.country or next((s.country for s in certificate.sites if s.country), self.config.country)
        if not certificate.holder or not country:
            missing = "holder" if not certificate.holder else "country (set it on the certificate or in the registry)"
            raise Unavailable(f"cannot search without the certificate's {missing}")
        body = {"company_name": certificate.holder, "company_country": country, "match_rate": self.config.match_rate}
        key = f"company|{plain(certificate.holder)}|{country_code(country) or plain(country)}|{self.config.match_rate}"
        payload = self._cached(key, "POST", self.config.company_path, body)
        if payload is None:
            return None, f"no company matching {certificate.holder} in {country}"
        data = _data(payload)
        items = data.get("certificates") if isinstance(data, Mapping) else None
        if not isinstance(items, list) or not items:
            return None, f"no certificates for {certificate.holder} in {country}"
        return [_record(item) for item in items if isinstance(item, Mapping)], ""

    def _by_id(self, certificate: Certificate) -> str:
        return certificate.registry_id.strip()

    def _cached(self, key: str, method: str, path: str, body: Mapping[str, Any] | None) -> Any:
        key = f"{self.config.name}|{self.config.base_url}|{key}"
        hit, value = self.cache.get(key)
        if hit:
            log.debug("%s: %s %s answered from the cache", self.config.name, method, path)
            return value
        value = self._call(method, path, body)
        self.cache.set(key, value)
        return value

    def _call(self, method: str, path: str, body: Mapping[str, Any] | None) -> Any:
        """The JSON answer of one call, or ``None`` for 404 (not found)."""
        import requests

        url = self.config.base_url + path
        log.debug("%s: %s %s", self.config.name, method, path)
        try:
            response = self.session.request(
                method, url, json=body, timeout=(self.config.connect_timeout, self.config.read_timeout)
            )
        except requests.RequestException as exc:
            raise Unavailable(_describe(exc, self.config)) from exc
        log.debug("%s: %s %s -> %s", self.config.name, method, path, response.status_code)
        if response.status_code == 404:
            return None
        if response.status_code in (401, 403):
            raise ConfigurationError(self._scrub(self._refusal(response)))
        if response.status_code in RETRY_STATUSES:
            retries = f" after {self.config.retries} retries" if self.config.retries else ""
            raise Unavailable(f"HTTP {response.status_code}{retries}")
        if response.status_code != 200:
            raise Unavailable(f"HTTP {response.status_code}: {_problem(response)}")
        try:
            payload = response.json()
        except ValueError as exc:
            raise Unavailable("the reply is not valid JSON") from exc
        if not isinstance(payload, Mapping) or not isinstance(payload.get("data"), Mapping | list):
            raise Unavailable('the reply has no "data" object')
        return payload

    def _refusal(self, response: requests.Response) -> str:
        name, variable = self.config.name, self.config.api_key_env
        code = _problem_code(response)
        if response.status_code == 401:
            return f"registry {name}: the API key was refused (401 unauthorized); check {variable}"
        if code == "insufficient_credit":
            return (
                f"registry {name}: no verification credit left (403 insufficient_credit); "
                "top up the CertSearch plan, or wait for the monthly credit"
            )
        return f"registry {name}: access forbidden (403 {code or 'forbidden'}); check the plan behind {variable}"

    def _scrub(self, message: str) -> str:
        return message.replace(self._key, "***") if self._key else message


def _describe(exc: requests.RequestException, config: RegistryConfig) -> str:
    # With retries configured a read timeout arrives as ConnectionError(MaxRetryError(ReadTimeoutError)).
    import requests
    from urllib3.exceptions import ConnectTimeoutError, ReadTimeoutError

    cause: object = exc
    for _ in range(6):
        if isinstance(cause, requests.Timeout | ReadTimeoutError | ConnectTimeoutError):
            return (
                f"no answer within the timeout ({config.connect_timeout:g} s to connect, "
                f"{config.read_timeout:g} s to read)"
            )
        following = getattr(cause, "reason", None)
        if following is None and isinstance(cause, BaseException) and cause.args:
            following = cause.args[0]
        if not isinstance(following, BaseException):
            break
        cause = following
    return f"cannot connect ({type(exc).__name__})"


def _problem(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return "no details"
    if isinstance(body, Mapping):
        return text(body, "detail", "title", "code") or "no details"
    return "no details"


def _problem_code(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return text(body, "code") if isinstance(body, Mapping) else ""


def _data(payload: Any) -> Any:
    data = payload.get("data") if isinstance(payload, Mapping) else None
    if isinstance(data, list):
        # Some plans answer with a list of matched entities; the first is the best match.
        return data[0] if data and isinstance(data[0], Mapping) else {}
    return data if isinstance(data, Mapping) else {}


def _record(item: Mapping[str, Any]) -> RegistryRecord:
    """A CertSearch certificate object (``GET /certificate`` or ``certificates[]``) as a record."""
    standards = tuple(
        (
            text(s, "standard_name", "scheme_name"),
            s.get("is_accredited_mla") if isinstance(s.get("is_accredited_mla"), bool) else None,
        )
        for s in _list(item, "certification_standards_scheme")
    )
    holders = tuple(
        name
        for entity in _list(item, "certified_entities")
        for name in (
            text(entity, "certified_entity_name"),
            text(entity, "certified_entity_english_name"),
            text(entity, "certified_entity_trading_name"),
        )
        if name
    )
    sectors = tuple(
        int(code) for s in _list(item, "certification_sectors") if (code := text(s, "sector_code")).isdigit()
    )
    sites = tuple(
        Site(
            city=text(s, "city"),
            country=text(s, "country"),
            address=text(s, "full_address", "street"),
            scope=text(s, "scope"),
            main=key == "certification_main_sites",
        )
        for key in ("certification_main_sites", "certification_additional_sites")
        for s in _list(item, key)
    )
    accreditation = plain(text(item, "accreditation_status", "certification_accreditation_status"))
    return RegistryRecord(
        number=text(item, "certification_number", "certificate_number"),
        status=text(item, "certification_status", "status"),
        holders=holders,
        certification_body=text(item, "certification_bodies_name", "certification_body_name"),
        accreditation_body=text(item, "accreditation_bodies_name", "accreditation_body_name"),
        standards=standards,
        accredited={"accredited": True, "unaccredited": False}.get(accreditation),
        issued=parse_date(item.get("certification_issue_date") or item.get("issue_date")),
        expires=parse_date(
            item.get("certification_expiry_date") or item.get("expiry_date") or item.get("expiration_date")
        ),
        scope=text(item, "certification_scope"),
        sectors=sectors,
        sites=sites,
        record_id=text(item, "cert_id"),
    )


def _list(item: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = item.get(key)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


# --- the plugin ----------------------------------------------------------------------

_clients: dict[tuple[str, RegistryConfig], CertSearchClient] = {}
_clients_lock = threading.Lock()


def client_for(config: RegistryConfig) -> CertSearchClient:
    """The client of one configured registry, kept for the process so its session and cache are reused."""
    key = (config.origin, config)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = CertSearchClient(config, config.api_key())
        return client


@hookimpl
def verify_certificate(certificate: Certificate, context: Context) -> list[CertificateCheck] | None:
    configs = registries_of_type(context.policy.certificates.registries, "iaf_certsearch")
    if not configs:
        return None
    return [
        check for config in configs for check in client_for(config).checks(certificate, context.as_of, context.supplier)
    ]
