"""The expiry watch over every supplier's latest certificates: for ``/api/v1/certificates/expiring`` and the pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

import supplier_qual

from ..model import Certificate
from .service import Service
from .store.models import Assessment, AssessmentCertificate, Supplier
from .store.suppliers import latest_assessments


def expiring(service: Service, *, days: int, supplier_scope: str | None = None) -> dict[str, Any]:
    """Certificates expiring and surveillance audits due within ``days``, soonest first; and those already expired.

    Over each supplier's latest assessment; ``supplier_scope`` narrows it to one supplier.
    """
    latest = latest_assessments()
    if supplier_scope is not None:
        latest = latest.where(Assessment.supplier_id == supplier_scope)
    with service.db.read() as session:
        pairs = {row[0]: row[1] for row in session.execute(latest)}
        names = {row[0]: row[1] for row in session.execute(select(Supplier.id, Supplier.name))}
        # Columns, not entities: a thousand certificates are read for every look at the watch.
        rows = session.execute(
            select(
                AssessmentCertificate.assessment_id,
                AssessmentCertificate.standard,
                AssessmentCertificate.number,
                AssessmentCertificate.holder,
                AssessmentCertificate.certification_body,
                AssessmentCertificate.accreditation_body,
                AssessmentCertificate.issued,
                AssessmentCertificate.expires,
                AssessmentCertificate.last_surveillance,
            )
            .where(AssessmentCertificate.assessment_id.in_(list(pairs.values())))
            .order_by(AssessmentCertificate.id)
        ).all()
    owner = {assessment_id: supplier_id for supplier_id, assessment_id in pairs.items()}
    entries = []
    for row in rows:
        certificate = Certificate(
            standard=row.standard,
            number=row.number,
            holder=row.holder,
            certification_body=row.certification_body,
            accreditation_body=row.accreditation_body,
            issued=row.issued,
            expires=row.expires,
            last_surveillance=row.last_surveillance,
        )
        supplier_id = owner[row.assessment_id]
        entries.append((certificate, names.get(supplier_id, ""), f"{supplier_id}\n{row.assessment_id}"))
    report = supplier_qual.expiry_watch(entries, days=days, as_of=service.today())

    def shown(item: Any) -> dict[str, Any]:
        supplier_id, _, assessment_id = item.source.partition("\n")
        return {
            "date": item.date,
            "in_days": item.days_from(report.as_of),
            "event": item.event,
            "supplier_id": supplier_id,
            "supplier": item.supplier,
            "number": item.certificate.number,
            "standard": item.certificate.standard,
            "holder": item.certificate.holder,
            "certification_body": item.certificate.certification_body,
            "expires": item.certificate.expires,
            "assessment_id": int(assessment_id),
        }

    return {
        "as_of": report.as_of,
        "days": report.days,
        "until": report.until,
        "due": [shown(item) for item in report.due],
        "expired": [shown(item) for item in report.expired],
    }
