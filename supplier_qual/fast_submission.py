"""The hot path of reading a submission: plain checks that accept what the schema accepts, or step aside.

:class:`~supplier_qual.schemas.submission.SubmissionSchema` is the documented shape of a
submission and the one judge of a faulty one: its problems, their JSON paths and their
wording are the contract. Running it on every submission costs more than the
assessment's scoring, so :func:`submission_parts` reads the common case — every
value of the type the schema expects, within its range — directly, giving exactly
the parts the schema's ``load`` gives. On anything else (a fault, or merely an
unusual spelling the schema may still accept: a number as text, ``"yes"`` for a
boolean, an object that is not a ``dict``) it returns ``None`` and the schema reads
the submission, problems and all. ``tests/test_fast_submission.py`` holds the two to
the same parts and the same refusals.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from .limits import EARLIEST_DATE, LATEST_DATE
from .model import Answer, Certificate, Performance, QuestionnaireRef, ScopeOfSupply, Site, Supplier
from .model.submission import answer_of

LARGEST = 1e15  # as supplier_qual.schemas.base.LARGEST
MOST = 1_000_000_000  # as supplier_qual.schemas.base.MOST
NACE_PATTERN = r"^[A-Ua-u]?\s*\d{2}(\.?\d{1,2})?$"  # as supplier_qual.schemas.base.NACE_CODE
CERTIFICATE_STATUSES = frozenset(("", "active", "valid", "suspended", "withdrawn", "expired", "cancelled", "inactive"))

_NACE = re.compile(NACE_PATTERN)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TOP = frozenset(("supplier", "questionnaire", "answers", "certificates", "performance", "scope_of_supply"))
_SUPPLIER = frozenset(("name", "id", "scheme", "country", "contact", "email"))
_REF = frozenset(("id", "version"))
_ANSWER = frozenset(("value", "evidence", "comment"))
_CERTIFICATE_TEXTS = (
    "standard", "number", "holder", "certification_body", "accreditation_body", "scope", "status", "country",
    "consultant", "registry_id", "holder_id", "evidence_url",
)  # fmt: skip
_CERTIFICATE_DAYS = ("issued", "expires", "original_issued", "last_surveillance")
_CERTIFICATE = frozenset((*_CERTIFICATE_TEXTS, *_CERTIFICATE_DAYS, "iaf_codes", "sites", "declared"))
_SITE_TEXTS = ("city", "country", "address", "scope", "name")
_SITE = frozenset((*_SITE_TEXTS, "main"))
_COUNTS = (
    "deliveries", "lots_received", "lots_rejected", "complaints", "complaints_closed", "corrective_actions_open",
    "corrective_actions_overdue",
)  # fmt: skip
_NUMBERS = (
    ("on_time_delivery_pct", 100.0),
    ("defect_ppm", 1_000_000.0),
    ("previous_on_time_delivery_pct", 100.0),
    ("previous_defect_ppm", LARGEST),
)
_PERFORMANCE = frozenset((*_COUNTS, *(name for name, _ in _NUMBERS), "period_months", "extra", "period_end"))
_CONSISTENT = (
    ("lots_rejected", "lots_received"),
    ("complaints_closed", "complaints"),
    ("corrective_actions_overdue", "corrective_actions_open"),
)
_SCOPE = frozenset(("description", "iaf_codes", "nace", "sites"))


class _StepAside(Exception):
    """The value is not of the plain common case: the schema reads the submission."""


def submission_parts(data: object) -> dict[str, Any] | None:
    """What ``SubmissionSchema().load(data)`` gives, when ``data`` is of the plain common case; else ``None``.

    Data it accepts holds only objects, lists, text, booleans, ``null`` and finite numbers.
    """
    if type(data) is not dict or not data.keys() <= _TOP:
        return None
    try:
        return {
            "supplier": _supplier(data["supplier"]) if "supplier" in data else _step_aside(),
            "questionnaire": _ref(data["questionnaire"]) if "questionnaire" in data else None,
            "answers": _answers(data["answers"]) if "answers" in data else {},
            "certificates": tuple(_certificate(c) for c in _list(data.get("certificates", []))),
            "performance": _performance(data["performance"]) if "performance" in data else None,
            "scope_of_supply": _scope(data["scope_of_supply"]) if "scope_of_supply" in data else None,
        }
    except _StepAside:
        return None


def _step_aside() -> Any:
    raise _StepAside


def _object(value: object, keys: frozenset[str]) -> dict[str, Any]:
    if type(value) is not dict or not value.keys() <= keys:
        raise _StepAside
    return value


def _list(value: object) -> list[Any]:
    if type(value) is not list:
        raise _StepAside
    return value


def _text(value: object) -> str | None:
    """A ``Text`` field: text stripped; ``null`` stays ``None`` (the schema neither converts nor checks it)."""
    if value is None:
        return None
    if type(value) is not str:
        raise _StepAside
    return value.strip()


def _filled(value: object) -> str | None:
    """A ``Text`` field that must not be empty once stripped."""
    text = _text(value)
    if text == "":
        raise _StepAside
    return text


def _count(value: object, low: int = 0, high: int = MOST) -> int:
    if type(value) is not int or not low <= value <= high:
        raise _StepAside
    return value


def _number(value: object, low: float = -LARGEST, high: float = LARGEST) -> float:
    if type(value) is float:
        number = value
    elif type(value) is int:
        try:
            number = float(value)
        except OverflowError:
            raise _StepAside from None
    else:
        raise _StepAside
    if not (math.isfinite(number) and abs(number) <= LARGEST and low <= number <= high):
        raise _StepAside
    return number


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    if type(value) is not str or not _ISO_DAY.fullmatch(value):
        raise _StepAside
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _StepAside from None


def _day(value: object) -> dt.date | None:
    """A ``Day`` field: a date within the years supplier_qual accepts."""
    day = _date(value)
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise _StepAside
    return day


def _bool(value: object) -> bool:
    if type(value) is not bool:
        raise _StepAside
    return value


def _supplier(value: object) -> Supplier:
    fields = {key: _text(raw) for key, raw in _object(value, _SUPPLIER).items()}
    if not fields.get("name"):  # missing, null or empty: the schema words the problem
        raise _StepAside
    return Supplier(**fields)  # type: ignore[arg-type]


def _ref(value: object) -> QuestionnaireRef | None:
    if value is None:
        return None
    found = _object(value, _REF)
    if len(found) != len(_REF):
        raise _StepAside
    return QuestionnaireRef(_filled(found["id"]), _filled(found["version"]))  # type: ignore[arg-type]


def _answers(value: object) -> dict[str, Answer]:
    if type(value) is not dict:
        raise _StepAside
    return {str(key).strip(): _answer(raw) for key, raw in value.items()}


def _answer(raw: object) -> Answer:
    if type(raw) is not dict:
        return answer_of(_value(raw))
    value, evidence, comment = raw.get("value"), raw.get("evidence", ""), raw.get("comment", "")
    if type(value) is str and type(evidence) is str and type(comment) is str and raw.keys() <= _ANSWER:
        return answer_of(value.strip(), evidence.strip(), comment.strip())  # the usual answer, in full
    if not raw.keys() <= _ANSWER:
        raise _StepAside
    evidence, comment = raw.get("evidence"), raw.get("comment")
    return Answer(
        _value(raw.get("value")),
        "" if evidence is None else _plain_text(evidence),
        "" if comment is None else _plain_text(comment),
    )


def _plain_text(value: object) -> str:
    if type(value) is not str:
        raise _StepAside
    return value.strip()


def _value(raw: object) -> str | float | None:
    if raw is None:
        return None
    if type(raw) is str:
        return raw.strip()
    if type(raw) is float and math.isfinite(raw):
        return raw
    if type(raw) is int:
        try:
            return float(raw)
        except OverflowError:
            raise _StepAside from None
    raise _StepAside


def _certificate(value: object) -> Certificate:
    raw = _object(value, _CERTIFICATE)
    fields: dict[str, Any] = {key: _text(raw[key]) for key in _CERTIFICATE_TEXTS if key in raw}
    if "standard" not in fields or fields["standard"] == "":
        raise _StepAside
    status = fields.get("status")
    if status is not None:
        status = fields["status"] = status.lower().strip()
        if status not in CERTIFICATE_STATUSES:
            raise _StepAside
    fields["iaf_codes"] = tuple(sorted({_count(c, 1, 39) for c in _list(raw.get("iaf_codes", []))}))
    for key in _CERTIFICATE_DAYS:
        fields[key] = _day(raw.get(key))
    fields["sites"] = tuple(_site(s) for s in _list(raw.get("sites", [])))
    fields["declared"] = _bool(raw.get("declared", False))
    return Certificate(**fields)


def _site(value: object) -> Site:
    raw = _object(value, _SITE)
    fields: dict[str, Any] = {key: _text(raw[key]) for key in _SITE_TEXTS if key in raw}
    if not (fields.get("city") or fields.get("country") or fields.get("address")):
        raise _StepAside
    fields["main"] = _bool(raw.get("main", False))
    return Site(**fields)


def _performance(value: object) -> Performance | None:
    if value is None:
        return None
    raw = _object(value, _PERFORMANCE)
    fields: dict[str, Any] = {"period_months": _count(raw.get("period_months", 12), 1, 120)}
    for key in _COUNTS:
        found = raw.get(key)
        fields[key] = None if found is None else _count(found)
    for key, high in _NUMBERS:
        found = raw.get(key)
        fields[key] = None if found is None else _number(found, 0.0, high)
    extra = raw.get("extra", {})
    if type(extra) is not dict:
        raise _StepAside
    fields["extra"] = {_key(key): _number(number) for key, number in extra.items()}
    fields["period_end"] = _date(raw.get("period_end"))
    for part, whole in _CONSISTENT:
        if fields[part] is not None and fields[whole] is not None and fields[part] > fields[whole]:
            raise _StepAside
    return Performance(**fields)


def _key(value: object) -> str:
    if type(value) is not str:
        raise _StepAside
    return value


def _scope(value: object) -> ScopeOfSupply | None:
    if value is None:
        return None
    raw = _object(value, _SCOPE)
    description = _text(raw["description"]) if "description" in raw else ""
    nace = tuple(_nace(code) for code in _list(raw.get("nace", [])))
    sites = tuple(_filled(site) for site in _list(raw.get("sites", [])))
    return ScopeOfSupply(
        description=description,  # type: ignore[arg-type]
        iaf_codes=tuple(sorted({_count(c, 1, 39) for c in _list(raw.get("iaf_codes", []))})),
        nace=nace,  # type: ignore[arg-type]
        sites=sites,  # type: ignore[arg-type]
        source="submission",
    )


def _nace(value: object) -> str | None:
    code = _text(value)
    if code is not None and not _NACE.match(code):
        raise _StepAside
    return code
