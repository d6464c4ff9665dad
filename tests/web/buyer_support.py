"""A register of many assessed suppliers, stored quickly: for tests of the buyer's pages and for bench/pages.py.

One real assessment (computed by the core from an example submission) is the
pattern; each supplier gets a copy with its own scores, decision, certificate expiry
and corrective actions, stored through the store's own functions
(``store.assessments.add``) exactly as an upload stores its assessment, with no
HTTP and no engine run per supplier.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import supplier_qual
from supplier_qual.web.service import Service
from supplier_qual.web.store import assessments, submissions
from supplier_qual.web.store.models import Assessment, AssessmentCertificate, Submission, Supplier, utcnow

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "submissions" / "brightline-fabrication.json"
AS_OF = dt.date(2026, 11, 25)


@dataclass(frozen=True)
class Seeded:
    supplier_id: str
    name: str
    decision: str
    overall: float
    scores: dict[str, float]
    expires: dt.date | None


def pattern(service: Service, path: Path = EXAMPLE) -> dict[str, Any]:
    """The assessment JSON the core makes of ``path``, as the pattern of every seeded one."""
    submission = supplier_qual.read_submission(path.read_bytes(), filename=path.name, pm=service.pm)
    result = supplier_qual.assess(submission, as_of=AS_OF, pm=service.pm)
    rendered = supplier_qual.render(result, "json", pm=service.pm)
    parsed: dict[str, Any] = json.loads(rendered)
    return parsed


def _decision(overall: float, scores: dict[str, float]) -> str:
    if overall < 60 or min(scores.values()) < 50:
        return "not_qualified"
    if overall >= 80 and min(scores.values()) >= 70:
        return "qualified"
    return "conditional"


def seed(
    service: Service,
    count: int,
    *,
    base: dict[str, Any] | None = None,
    prefix: str = "XX-REG-",
    names: list[str] | None = None,
    random_seed: int = 12,
) -> list[Seeded]:
    """``count`` suppliers ``<prefix>00001`` …, each with one stored assessment; what each was given."""
    base = base if base is not None else pattern(service)
    rng = random.Random(random_seed)  # noqa: S311 - test data, not secrets
    made = []
    now = utcnow()
    with service.db.write() as session:
        digest = submissions.keep_blob(session, json.dumps(base).encode())
        for number in range(1, count + 1):
            supplier_id = f"{prefix}{number:05d}"
            name = names[number - 1] if names and number <= len(names) else f"Supplier {number:05d} Ltd"
            session.add(Supplier(id=supplier_id, name=name, country="GB", created_at=now, updated_at=now))
            session.flush()
            upload = Submission(
                supplier_id=supplier_id,
                file_sha256=digest,
                filename=f"{supplier_id}.json",
                questionnaire_id="iso9001-outcomes",
                questionnaire_version="1.1",
                created_at=now,
            )
            session.add(upload)
            session.flush()
            result = copy.deepcopy(base)
            result["supplier"] = {**result.get("supplier", {}), "id": supplier_id, "name": name}
            scores = {oid: round(rng.uniform(35, 100), 1) for oid in sorted(result["outcomes"])}
            for oid, score in scores.items():
                result["outcomes"][oid]["score"] = score
            overall = round(sum(scores.values()) / len(scores), 1)
            decision = _decision(overall, scores)
            result["overall"]["score"], result["overall"]["decision"] = overall, decision
            expires = AS_OF + dt.timedelta(days=rng.randint(-60, 900)) if rng.random() < 0.9 else None
            certificates = []
            for cert in result.get("certificates", []):
                cert["expires"] = expires.isoformat() if expires else None
                certificates.append(
                    AssessmentCertificate(
                        number=cert["number"],
                        standard=cert["standard"],
                        holder=cert["holder"],
                        certification_body=cert["certification_body"],
                        accreditation_body=cert["accreditation_body"],
                        status=cert["status"],
                        counts=bool(cert.get("counts")),
                        issued=dt.date.fromisoformat(cert["issued"]) if cert.get("issued") else None,
                        expires=expires,
                        last_surveillance=None,
                    )
                )
            result["corrective_actions"] = result.get("corrective_actions", [])[: rng.randint(0, 6)]
            text = json.dumps(result, sort_keys=True, indent=2)
            row = Assessment(
                supplier_id=supplier_id,
                submission_id=upload.id,
                trigger="upload",
                as_of=AS_OF,
                decision=decision,
                overall_score=overall,
                questionnaire_id="iso9001-outcomes",
                questionnaire_version="1.1",
                policy="default",
                engine_version=supplier_qual.__version__,
                result_sha256=hashlib.sha256(text.encode()).hexdigest(),
                result_json=text,
                result_text="(seeded)",
                created_at=now,
            )
            assessments.add(session, row, scores, certificates)
            made.append(Seeded(supplier_id, name, decision, overall, scores, expires))
    return made
