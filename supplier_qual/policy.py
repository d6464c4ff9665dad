"""The qualification policy, and reading a buyer's policy file.

The policy's terms (every threshold, weight and cap the decision depends on, and
:data:`DEFAULT_POLICY`) live in :mod:`supplier_qual.model.policy`, below the schema
that validates a policy file; they are re-exported here, where the file is read:
:func:`load_policy` is YAML over :data:`DEFAULT_POLICY`, validated field by field.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from .documents import parse_document, read_bytes
from .errors import PolicyError, Problem
from .model.policy import (
    DEFAULT_POLICY,
    KPI_NAMES,
    PLACEHOLDER_EVIDENCE,
    SPECIAL_PROCESSES,
    CertificateRules,
    DecisionRules,
    Integrity,
    KpiScale,
    PerformanceRules,
    Policy,
    kpi_profiles,
    kpi_scale,
    with_profile,
)

__all__ = [
    "DEFAULT_POLICY",
    "KPI_NAMES",
    "PLACEHOLDER_EVIDENCE",
    "SPECIAL_PROCESSES",
    "CertificateRules",
    "DecisionRules",
    "Integrity",
    "KpiScale",
    "PerformanceRules",
    "Policy",
    "kpi_profiles",
    "kpi_scale",
    "load_policy",
    "with_profile",
]
T = TypeVar("T")


def load_policy(path: str | Path) -> Policy:
    """Read a YAML policy file; what it leaves out keeps the default.

    :raises PolicyError: unreadable YAML, unknown keys or out-of-range values, each
        with the path of the offending field (``policy.yaml: $.decision.qualified…``).
    """
    from .schemas.policy import PolicySchema  # marshmallow, only when a policy file is read

    path = Path(path)
    source = str(path)
    raw = read_bytes(path, what="policy file", error=PolicyError)
    data = parse_document(raw, source=source, error=PolicyError) or {}
    overrides = PolicySchema.parse(data, source=source)
    policy = _merge(with_profile(DEFAULT_POLICY, overrides.get("profile", DEFAULT_POLICY.profile)), overrides)
    rules = policy.decision
    if rules.qualified_overall_at_least < rules.not_qualified_overall_below:
        raise PolicyError(
            [
                Problem(
                    "must not be below decision.not_qualified.overall_below", "$.decision.qualified.overall_at_least"
                )
            ],
            source=source,
        )
    if rules.qualified_outcome_at_least < rules.not_qualified_outcome_below:
        raise PolicyError(
            [
                Problem(
                    "must not be below decision.not_qualified.outcome_below", "$.decision.qualified.outcome_at_least"
                )
            ],
            source=source,
        )
    certificates = policy.certificates
    resolved: dict[str, Any] = {
        key: str((path.parent / value).resolve())
        for key in ("accreditation_bodies", "editions", "cb_register", "registries", "standards")
        if (value := getattr(certificates, key))
    }
    return dataclasses.replace(
        policy,
        certificates=dataclasses.replace(certificates, **resolved),
        sha256=hashlib.sha256(raw).hexdigest(),
        origin=source,
    )


def _merge(base: T, overrides: Mapping[str, Any]) -> T:
    """``base`` with ``overrides`` applied, nested dataclasses merged field by field."""
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        current = getattr(base, key)
        if dataclasses.is_dataclass(current) and isinstance(value, Mapping):
            changes[key] = _merge(current, value)
        elif isinstance(current, Mapping) and isinstance(value, Mapping):
            changes[key] = {**current, **value}
        else:
            changes[key] = value
    merged: T = dataclasses.replace(base, **changes)  # type: ignore[type-var]
    return merged
