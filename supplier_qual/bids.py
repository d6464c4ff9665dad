"""Putting bids together: one bid per supplier, duplicates set aside, bidders matched to their submissions.

A tender officer receives, per economic operator, a bid that may come in parts
(an ESPD response, the self-assessment, the certificates). Parts are joined by
the supplier's identifier (``SCHEME-ID``, e.g. ``GB-COH-04567123``), then by its
normalised legal name ("Northwind Components Ltd" = "NORTHWIND COMPONENTS
LIMITED"). The same file given twice, or two submissions from the same supplier,
are *duplicates*: reported, and counted once (the first given). A tender system
that lists its bidders (OCDS, ProZorro) decides who bid; each listed bidder is
matched to a submission, and one without any keeps its place as "no evidence".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from .legal_names import legal_name_key
from .model import Supplier
from .tender import Bid, Duplicate

_VAT_SCHEMES = {"VAT", "VAT_NUMBER", "VATNUMBER", "VAT-NUMBER"}
_ESPD_SCHEMES = {"LEI": "XI-LEI", "DUNS": "US-DUNS"}


def identifier(scheme: str, value: str) -> str:
    """The ``SCHEME-ID`` form of an identifier, as OCDS writes party ids (``GB-COH-04567123``).

    ESPD's ``VAT`` numbers become ``{country}-VAT-…`` (``BE0999999999`` →
    ``BE-VAT-0999999999``), ``LEI`` ``XI-LEI-…`` and ``DUNS`` ``US-DUNS-…``; an id that
    already starts with its scheme is left alone. Spaces are dropped, letters upper-cased.
    """
    value = re.sub(r"\s+", "", value).upper()
    scheme = re.sub(r"\s+", "", scheme).upper()
    if not value:
        return ""
    if scheme in _VAT_SCHEMES:
        if re.match(r"^[A-Z]{2}\d", value):
            return f"{value[:2]}-VAT-{value[2:]}"
        return f"VAT-{value}"
    scheme = _ESPD_SCHEMES.get(scheme, scheme)
    if not scheme or value.startswith(f"{scheme}-"):
        return value
    return f"{scheme}-{value}"


def supplier_identifier(supplier: Supplier) -> str:
    """A supplier's identifier in ``SCHEME-ID`` form, or ``""``."""
    return identifier(supplier.scheme, supplier.id) if supplier.id else ""


def same_identifier(one: Iterable[str], other: Iterable[str]) -> str:
    """The identifier two bids share, or ``""``."""
    theirs = {i for i in other if i}
    return next((i for i in one if i in theirs), "")


def match(bid: Bid, candidates: list[Bid]) -> tuple[int, str] | None:
    """The candidate that is the same supplier as ``bid``: by identifier first, then by normalised name.

    :return: the candidate's index and how it matched (``identifier`` or ``name``).
    """
    for index, candidate in enumerate(candidates):
        if same_identifier(bid.identifiers, candidate.identifiers):
            return index, "identifier"
    name = legal_name_key(bid.supplier.name)
    if not name:
        return None
    for index, candidate in enumerate(candidates):
        if legal_name_key(candidate.supplier.name) == name and not _conflicting(bid, candidate):
            return index, "name"
    return None


def _conflicting(one: Bid, other: Bid) -> bool:
    """Both carry identifiers of the same scheme, and they differ: not the same supplier whatever the name."""
    schemes = {i.rsplit("-", 1)[0]: i for i in one.identifiers if "-" in i}
    return any(i.rsplit("-", 1)[0] in schemes and i not in one.identifiers for i in other.identifiers if "-" in i)


def merge(first: Bid, second: Bid, matched_by: str = "") -> Bid:
    """Two parts of one supplier's bid as one: the submission's supplier details win, declarations add up."""
    submission = first.submission or second.submission
    supplier = submission.supplier if submission is not None else first.supplier
    if not supplier.name:
        supplier = second.supplier
    numbers = {c.number for c in (submission.certificates if submission else ()) if c.number}
    declared = tuple(c for c in (*first.certificates, *second.certificates) if not c.number or c.number not in numbers)
    return Bid(
        supplier=supplier,
        identifiers=tuple(dict.fromkeys((*first.identifiers, *second.identifiers))),
        lots=tuple(dict.fromkeys((*first.lots, *second.lots))),
        responses={**second.responses, **first.responses},
        declarations=(*first.declarations, *second.declarations),
        certificates=declared,
        submission=submission,
        assessment=first.assessment or second.assessment,
        role=first.role or second.role,
        date=first.date or second.date,
        id=first.id or second.id,
        sources=tuple(dict.fromkeys((*first.sources, *second.sources))),
        sha256=first.sha256 or second.sha256,
        matched_by=matched_by or first.matched_by or second.matched_by,
    )


def _kind(bid: Bid) -> str:
    """What a file bid brings: a ``submission`` (answers, certificates), an ``assessment``, or a ``declaration``."""
    if bid.submission is not None:
        return "submission"
    if bid.assessment is not None:
        return "assessment"
    return "declaration"


def assemble(files: list[Bid]) -> tuple[list[Bid], list[Duplicate]]:
    """One bid per supplier from the files given, in the order given, and the duplicates set aside."""
    bids: list[Bid] = []
    kinds: list[set[str]] = []
    duplicates: list[Duplicate] = []
    seen: dict[str, str] = {}
    for bid in files:
        if bid.sha256 and bid.sha256 in seen:
            duplicates.append(Duplicate(bid.source, seen[bid.sha256], "the same file given twice"))
            continue
        if bid.sha256:
            seen[bid.sha256] = bid.source
        found = match(bid, bids)
        if found is None:
            bids.append(bid)
            kinds.append({_kind(bid)})
            continue
        index, _how = found
        if _kind(bid) in kinds[index]:
            shared = same_identifier(bid.identifiers, bids[index].identifiers)
            who = f"the same supplier ({shared})" if shared else f"the same supplier by name ({bid.supplier.name})"
            duplicates.append(Duplicate(bid.source, bids[index].source, f"another {_kind(bid)} from {who}"))
            continue
        bids[index] = merge(bids[index], bid, "")
        kinds[index].add(_kind(bid))
    return bids, duplicates


def match_listed(listed: tuple[Bid, ...], files: list[Bid]) -> tuple[list[Bid], list[Bid], list[Duplicate]]:
    """The bidders a tender system lists, each joined to its file bid; the file bids matching none.

    A bidder listed twice (two bids by the same tenderer, for different lots) becomes
    one bidder bidding for both; the same lots twice is a duplicate.
    """
    bidders: list[Bid] = []
    duplicates: list[Duplicate] = []
    for bid in listed:
        found = match(bid, bidders)
        if found is None:
            bidders.append(bid)
            continue
        index, _how = found
        earlier = bidders[index]
        if not bid.lots or set(bid.lots) <= set(earlier.lots) or not earlier.lots:
            duplicates.append(
                Duplicate(
                    bid.id or bid.supplier.name, earlier.id or earlier.supplier.name, "the same tenderer listed twice"
                )
            )
            continue
        bidders[index] = merge(earlier, bid)
    unmatched: list[Bid] = []
    for bid in files:
        found = match(bid, bidders)
        if found is None:
            unmatched.append(bid)
            continue
        index, how = found
        bidders[index] = merge(bidders[index], dataclasses.replace(bid, lots=()), how)
    return bidders, unmatched, duplicates
