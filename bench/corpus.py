"""Generated supplier submissions: realistic, seeded, the same for the same seed.

Shared by the throughput bench (``bench/assess_throughput.py``) and the golden corpus
test (``tests/test_golden.py``), which holds the assessments of the first 2,000
submissions of :data:`GOLDEN_SEED` to their SHA-256 digests.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Callable
from typing import Any, cast

from supplier_qual.model import Question, Questionnaire

AS_OF = dt.date(2026, 11, 25)
GOLDEN_SEED = 20261125
"""The seed of the golden corpus, and the bench's default."""

_NAMES = ("Northwind", "Brightline", "Keystone", "Arden", "Halvorsen", "Marlow", "Tessaro", "Vantage", "Oakridge")
_TRADES = ("Components", "Fabrication", "Castings", "Precision", "Plastics", "Electronics", "Machining", "Coatings")
_FORMS = ("Ltd", "GmbH", "S.A.", "Sp. z o.o.", "Inc.", "B.V.", "AB")
_COUNTRIES = ("GB", "DE", "FR", "PL", "NL", "SE", "US", "CN", "IN", "TR")
_BODIES = ("UKAS", "DAkkS", "COFRAC", "PCA", "RvA", "SWEDAC", "ANAB", "CNAS", "NABCB", "TURKAK")
_CERTIFIERS = ("BSI Assurance UK Ltd", "TÜV SÜD Management Service GmbH", "DNV Business Assurance", "Bureau Veritas")
_CERTIFICATE_KINDS = (
    ("valid", 55),
    ("expired", 12),
    ("suspended", 5),
    ("withdrawn", 3),
    ("unaccredited", 8),
    ("obsolete_standard", 7),
    ("not_yet_valid", 4),
    ("invalid", 6),
)


def make_submissions(questionnaire: Questionnaire, n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` submissions to ``questionnaire``, the same for the same ``seed``.

    Each supplier has a hidden quality level that tilts its answers, evidence,
    certificates and performance the same way, as real suppliers' do.
    """
    rng = random.Random(seed)
    return [_submission(rng, questionnaire, index) for index in range(n)]


def _submission(rng: random.Random, questionnaire: Questionnaire, index: int) -> dict[str, Any]:
    quality = rng.betavariate(4, 2)
    name = f"{rng.choice(_NAMES)} {rng.choice(_TRADES)} {rng.choice(_FORMS)}"
    data: dict[str, Any] = {
        "supplier": {"name": name, "id": f"GB-COH-{index:08d}", "country": rng.choice(_COUNTRIES)},
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "answers": {q.id: answer for q in questionnaire.questions if (answer := _answer(rng, q, quality)) is not None},
        "certificates": [
            _certificate(rng, name, quality) for _ in range(rng.choices((0, 1, 2, 3), (20, 55, 18, 7))[0])
        ],
    }
    if rng.random() < 0.6:
        data["performance"] = _performance(rng, quality)
    return data


def _answer(rng: random.Random, question: Question, quality: float) -> dict[str, Any] | str | float | None:
    roll = rng.random()
    if roll < 0.02:
        return None  # left out
    if roll < 0.04:
        return {"value": "", "evidence": "", "comment": ""}  # left blank
    if question.na_allowed and roll < 0.12:
        return {"value": "N/A", "evidence": "", "comment": "Not applicable to our processes"}
    value: str | float
    if question.type in ("choice", "maturity"):
        ranked = sorted(question.options, key=lambda o: o.points)
        option = ranked[-1] if rng.random() < quality else rng.choice(ranked)
        value = option.label if rng.random() < 0.5 else option.value
    elif question.type == "number":
        ranked_bands = sorted(question.bands, key=lambda b: b.points)
        band = ranked_bands[-1] if rng.random() < quality else rng.choice(ranked_bands)
        low = band.min if band.min is not None else (band.max or 0.0) - 10.0
        high = band.max if band.max is not None else low + max(10.0, abs(low) * 0.2)
        allowed_low, allowed_high = question.answer_range  # a share stays within 0-100 %
        value = round(min(max(rng.uniform(low, high - 0.01), allowed_low), allowed_high), 1)
    else:
        value = f"Described in procedure QP-{rng.randint(1, 40):02d}, owned by the quality manager."
    if rng.random() < 0.3:
        return value  # answers given as bare values, as some exports do
    cited = rng.random() < quality + 0.1
    comment = "Improvement project under way" if rng.random() < 0.1 else ""
    return {
        "value": value,
        "evidence": f"QM-{question.id} rev {rng.randint(1, 9)}" if cited else "",
        "comment": comment,
    }


def _certificate(rng: random.Random, holder: str, quality: float) -> dict[str, Any]:
    kinds, weights = zip(*_CERTIFICATE_KINDS, strict=True)
    kind = "valid" if rng.random() < quality * 0.5 else rng.choices(kinds, weights)[0]
    issued = AS_OF - dt.timedelta(days=rng.randint(30, 1000))
    certificate: dict[str, Any] = {
        "standard": "ISO 9001:2015",
        "number": f"FM {rng.randint(100_000, 999_999)}",
        "holder": holder,
        "certification_body": rng.choice(_CERTIFIERS),
        "accreditation_body": rng.choice(_BODIES),
        "scope": "Design and manufacture of machined and fabricated components",
        "iaf_codes": sorted(rng.sample(range(14, 30), rng.randint(1, 3))),
        "issued": issued.isoformat(),
        "expires": (issued + dt.timedelta(days=3 * 365 - 1)).isoformat(),
    }
    if kind == "expired":
        certificate["issued"] = (AS_OF - dt.timedelta(days=1200)).isoformat()
        certificate["expires"] = (AS_OF - dt.timedelta(days=rng.randint(1, 100))).isoformat()
    elif kind in ("suspended", "withdrawn"):
        certificate["status"] = kind.capitalize()
    elif kind == "unaccredited":
        certificate["accreditation_body"] = rng.choice(("Global Accreditation Council", "IQAF", ""))
    elif kind == "obsolete_standard":
        certificate["standard"] = "ISO 9001:2008"
    elif kind == "not_yet_valid":
        certificate["issued"] = (AS_OF + dt.timedelta(days=rng.randint(1, 60))).isoformat()
        certificate["expires"] = (AS_OF + dt.timedelta(days=1000)).isoformat()
    elif kind == "invalid":
        certificate["number"] = ""
    return certificate


def _performance(rng: random.Random, quality: float) -> dict[str, Any]:
    def maybe(value: float | int) -> float | int | None:
        return value if rng.random() < 0.85 else None

    lots = rng.randint(20, 600)
    complaints = rng.randint(0, int(2 + 10 * (1 - quality)))
    actions_open = rng.randint(0, 8)
    on_time = round(min(100.0, rng.gauss(85 + 12 * quality, 3)), 1)
    defects = round(max(0.0, rng.gauss(3000 * (1 - quality), 400)))
    found: dict[str, float | int | None] = {
        "period_months": 12,
        "deliveries": maybe(lots),
        "on_time_delivery_pct": maybe(max(0.0, on_time)),
        "defect_ppm": maybe(defects),
        "lots_received": lots,
        "lots_rejected": maybe(rng.randint(0, max(1, lots // 40))),
        "complaints": maybe(complaints),
        "complaints_closed": rng.randint(0, complaints),
        "corrective_actions_open": actions_open,
        "corrective_actions_overdue": maybe(rng.randint(0, actions_open)),
        "previous_on_time_delivery_pct": maybe(round(min(100.0, max(0.0, on_time + rng.gauss(0, 3))), 1)),
        "previous_defect_ppm": maybe(round(defects * rng.uniform(0.7, 1.4))),
    }
    performance: dict[str, Any] = {key: value for key, value in found.items() if value is not None}
    if rng.random() < 0.3:
        performance["extra"] = {"first_pass_yield_pct": round(rng.uniform(82, 99.5), 1)}
    return performance


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(data: dict[str, Any]) -> None:
        target: Any = data
        for part in path[:-1]:
            if isinstance(target, dict) and part not in target:
                target[part] = {}
            elif isinstance(target, list) and (not isinstance(part, int) or part >= len(target)):
                return
            target = target[part]
        last = path[-1]
        within = isinstance(target, list) and isinstance(last, int) and last < len(target)
        if isinstance(target, dict) or within:
            cast(dict[str | int, Any], target)[last] = copy.deepcopy(value)  # never shared between submissions

    return apply


def _drop(path: tuple[str, ...]) -> Callable[[dict[str, Any]], None]:
    def apply(data: dict[str, Any]) -> None:
        target: Any = data
        for part in path[:-1]:
            target = target.get(part, {}) if isinstance(target, dict) else {}
        if isinstance(target, dict):
            target.pop(path[-1], None)

    return apply


MUTATIONS: tuple[Callable[[dict[str, Any]], None], ...] = (
    _drop(("supplier", "name")),
    _set(("supplier", "name"), ""),
    _set(("supplier", "name"), 5),
    _set(("supplier", "country"), ["GB"]),
    _set(("supplier", "website"), "https://example.com"),
    _drop(("supplier",)),
    _set(("supplier",), "Northwind"),
    _set(("extra_field",), 1),
    _set(("questionnaire", "version"), "9.9"),
    _set(("questionnaire", "id"), "no-such-questionnaire"),
    _set(("questionnaire", "id"), ""),
    _set(("questionnaire",), "iso9001-outcomes"),
    _set(("answers",), ["yes"]),
    _set(("answers",), {}),
    _set(("answers", "Z9"), "yes"),
    _set(("answers", "A1"), True),
    _set(("answers", "A1"), [1]),
    _set(("answers", "A1"), {"value": "yes", "evidence": 5}),
    _set(("answers", "A1"), {"value": "yes", "note": "x"}),
    _set(("answers", "A1"), {"value": {"nested": 1}}),
    _set(("answers", "A2"), "perhaps"),
    _set(("answers", "A3"), "seven"),
    _set(("answers", "A3"), 1e300),
    _set(("answers", "G4"), -5),
    _set(("answers", "G4"), {"value": 250.0, "evidence": "QM-G4", "comment": ""}),
    _set(("certificates",), {"standard": "ISO 9001:2015"}),
    _set(("certificates",), [{"number": "FM 1"}]),
    _set(("certificates",), ["ISO 9001:2015"]),
    _set(("certificates", 0, "issued"), "2026-13-01"),
    _set(("certificates", 0, "expires"), "next year"),
    _set(("certificates", 0, "expires"), "1850-01-01"),
    _set(("certificates", 0, "iaf_codes"), [0, 40]),
    _set(("certificates", 0, "iaf_codes"), ["x", True]),
    _set(("certificates", 0, "status"), "bogus"),
    _set(("certificates", 0, "status"), 3),
    _set(("certificates", 0, "auditor"), "J. Smith"),
    _set(("certificates", 0, "sites"), [{}]),
    _set(("certificates", 0, "sites"), [{"city": "Leeds", "main": "yes"}]),
    _set(("certificates", 0, "declared"), "true"),
    _set(("performance",), [1, 2]),
    _set(("performance", "on_time_delivery_pct"), 120),
    _set(("performance", "on_time_delivery_pct"), "97%"),
    _set(("performance", "defect_ppm"), -1),
    _set(("performance", "defect_ppm"), 2e15),
    _set(("performance", "period_months"), 0),
    _set(("performance", "deliveries"), 1.5),
    _set(("performance", "deliveries"), True),
    _set(("performance", "deliveries"), 10**20),
    _set(("performance", "lots_received"), 1),
    _set(("performance", "lots_rejected"), 5),
    _set(("performance", "complaints_closed"), 50),
    _set(("performance", "extra"), {"first_pass_yield_pct": "high"}),
    _set(("performance", "extra"), [1]),
    _set(("performance", "period_end"), "31/10/2026"),
    _set(("performance", "supplier_rating"), "A"),
    _set(("scope_of_supply",), {"nace": ["xx"], "iaf_codes": [17]}),
    _set(("scope_of_supply",), {"iaf_codes": [99], "sites": [""]}),
    _set(("scope_of_supply",), {"description": "Castings", "colour": "red"}),
)
"""Faults suppliers' files have: wrong types, unknown fields, bad dates, numbers out of range, unknown questions."""


def make_invalid_submissions(questionnaire: Questionnaire, n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` generated submissions, each with one to three faults from :data:`MUTATIONS`, the same for the same seed."""
    rng = random.Random(seed)
    found = []
    for index, data in enumerate(make_submissions(questionnaire, n, seed + 1)):
        for mutation in rng.sample(MUTATIONS, rng.choice((1, 1, 2, 3))) if index else MUTATIONS[:1]:
            mutation(data)
        found.append(data)
    return found
