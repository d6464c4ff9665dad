"""Expiry watch: when a certificate expires and when its next surveillance audit falls due.

A certificate runs at most three years; within that cycle the certification body
audits the supplier at least once a year (*surveillance*, ISO/IEC 17021-1 clause
9.1.3), the first time within 12 months of certification. So the due dates are the
anniversaries of the issue date before expiry, unless the last surveillance the
supplier reports already covers that year's window.

The watch lists each certificate once, however many files hold it (the same
number from the same certification body is the same certificate; the copy that
expires last is the latest news of it), and keeps the certificates that have
already expired apart from what falls due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Certificate


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day.

    Beyond the calendar's range the result is its first or last day, never an error.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > dt.MAXYEAR or (year == dt.MAXYEAR and month == 12):
        return dt.date.max if year > dt.MAXYEAR else dt.date(year, 12, min(day.day, 31))
    if year < dt.MINYEAR:
        return dt.date.min
    last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def next_surveillance(certificate: Certificate, as_of: dt.date, months: int = 12) -> dt.date | None:
    """The next surveillance due date on or after ``as_of``, or ``None`` (no issue date, or none before expiry).

    An anniversary whose window (three months either side) already holds the
    reported ``last_surveillance`` is skipped: that year's audit is done.
    """
    if certificate.issued is None:
        return None
    for k in range(1, 60):
        due = add_months(certificate.issued, k * months)
        if certificate.expires is not None and due >= certificate.expires:
            return None
        done = certificate.last_surveillance is not None and certificate.last_surveillance >= add_months(due, -3)
        if due >= as_of and not done:
            return due
    return None


@dataclass(frozen=True)
class Due:
    """Something about a certificate that falls due: its expiry or a surveillance audit."""

    date: dt.date
    event: str
    certificate: Certificate
    supplier: str = ""
    source: str = ""
    also_in: tuple[str, ...] = ()
    """Other files that hold the same certificate."""

    def days_from(self, as_of: dt.date) -> int:
        return (self.date - as_of).days


def distinct(
    certificates: Iterable[tuple[Certificate, str, str]],
) -> list[tuple[Certificate, str, str, tuple[str, ...]]]:
    """Each certificate once, by number and certification body (spacing and case aside), in first-seen order.

    :return: (certificate, supplier, source file, other files holding it); of two copies
        the one that expires last is kept.
    """
    seen: dict[tuple[str, str], list[tuple[Certificate, str, str]]] = {}
    for item in certificates:
        certificate = item[0]
        key = (_plain(certificate.number), _plain(certificate.certification_body))
        if not key[0]:
            key = (f"#{len(seen)}", key[1])  # without a number nothing says two are the same certificate
        seen.setdefault(key, []).append(item)
    found = []
    for copies in seen.values():
        latest = max(copies, key=lambda c: c[0].expires or dt.date.min)
        others = tuple(dict.fromkeys(source for _, _, source in copies if source != latest[2]))
        found.append((*latest, others))
    return found


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


def due_within(
    certificates: Iterable[tuple[Certificate, str, str]],
    as_of: dt.date,
    days: int,
    *,
    surveillance_months: int = 12,
) -> list[Due]:
    """Expiries and surveillance audits from ``as_of`` to ``as_of + days``, soonest first, each certificate once.

    :param certificates: (certificate, supplier name, source file) triples.
    :return: one :class:`Due` per event, sorted by date, supplier, certificate number.
        Certificates already expired are not listed (see :func:`expired_before`).
    """
    until = as_of + dt.timedelta(days=days)
    found: list[Due] = []
    for certificate, supplier, source, also_in in distinct(certificates):
        if certificate.expires is not None and as_of <= certificate.expires <= until:
            found.append(Due(certificate.expires, "expires", certificate, supplier, source, also_in))
        due = next_surveillance(certificate, as_of, surveillance_months)
        if due is not None and due <= until:
            found.append(Due(due, "surveillance due", certificate, supplier, source, also_in))
    return sorted(found, key=lambda d: (d.date, d.supplier, d.certificate.number, d.event))


def expired_before(certificates: Iterable[tuple[Certificate, str, str]], as_of: dt.date) -> list[Due]:
    """The certificates that expired before ``as_of``, each once, most recently expired first."""
    found = [
        Due(certificate.expires, "expired", certificate, supplier, source, also_in)
        for certificate, supplier, source, also_in in distinct(certificates)
        if certificate.expires is not None and certificate.expires < as_of
    ]
    return sorted(found, key=lambda d: (-d.date.toordinal(), d.supplier, d.certificate.number))


@dataclass(frozen=True)
class ExpiryReport:
    """The expiry watch over ``days`` from ``as_of``: what falls due, soonest first."""

    as_of: dt.date
    days: int
    due: tuple[Due, ...]
    expired: tuple[Due, ...] = ()
    """Certificates that had already expired on ``as_of``: not due, but to be replaced."""

    @property
    def until(self) -> dt.date:
        return self.as_of + dt.timedelta(days=self.days)

    def rows(self) -> list[tuple[str, int, str, str, str, str, str, str, str]]:
        """One row per event due, then one per certificate already expired, in the order of :data:`COLUMNS`."""
        return [_row(d, self.as_of) for d in (*self.due, *self.expired)]


COLUMNS = ("Date", "In days", "Event", "Supplier", "Certificate", "Standard", "Certification body", "Expires", "File")


def _row(d: Due, as_of: dt.date) -> tuple[str, int, str, str, str, str, str, str, str]:
    expires = d.certificate.expires.isoformat() if d.certificate.expires else ""
    return (
        d.date.isoformat(),
        d.days_from(as_of),
        d.event,
        d.supplier,
        d.certificate.number,
        d.certificate.standard,
        d.certificate.certification_body,
        expires,
        "; ".join((d.source, *d.also_in)),
    )


def expiry_to_dict(report: ExpiryReport) -> dict[str, object]:
    """The JSON form of an expiry watch."""

    def entry(d: Due) -> dict[str, object]:
        return {
            "date": d.date.isoformat(),
            "in_days": d.days_from(report.as_of),
            "event": d.event,
            "supplier": d.supplier,
            "number": d.certificate.number,
            "standard": d.certificate.standard,
            "holder": d.certificate.holder,
            "certification_body": d.certificate.certification_body,
            "expires": d.certificate.expires.isoformat() if d.certificate.expires else None,
            "source": d.source,
            "also_in": list(d.also_in),
        }

    return {
        "as_of": report.as_of.isoformat(),
        "days": report.days,
        "until": report.until.isoformat(),
        "due": [entry(d) for d in report.due],
        "expired": [entry(d) for d in report.expired],
    }


def expiry_text(report: ExpiryReport) -> str:
    """An expiry watch as an aligned table for a terminal."""
    head = (
        f"Certificates due within {report.days} days of {report.as_of.isoformat()} (until {report.until.isoformat()})"
    )
    lines = [f"{head}: none"] if not report.due else [head, "", *_table([_row(d, report.as_of) for d in report.due])]
    if report.expired:
        count = len(report.expired)
        lines += ["", f"Already expired on {report.as_of.isoformat()} ({count} certificate{'s' * (count != 1)})", ""]
        lines += _table([_row(d, report.as_of) for d in report.expired])
    return "\n".join(lines) + "\n"


def _table(rows: list[tuple[str, int, str, str, str, str, str, str, str]]) -> list[str]:
    cells = [tuple(str(v) for v in row[:7]) for row in rows]
    header = COLUMNS[:7]
    widths = [max(len(r[i]) for r in (*cells, header)) for i in range(len(header))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=True)).rstrip() for r in (header, *cells)
    ]
