"""The eligibility report as text: a tender officer's reading, lot by lot and bidder by bidder."""

from __future__ import annotations

import textwrap

from ..tender import CANNOT_TELL, MET, BidderResult, Eligibility

WIDTH = 88
_VERDICTS = {MET: "ELIGIBLE", "not_met": "NOT ELIGIBLE", CANNOT_TELL: "CANNOT TELL"}
_STATES = {MET: "met", "not_met": "NOT MET", CANNOT_TELL: "CANNOT TELL"}
_DECISIONS = {"qualified": "qualified", "conditional": "conditional", "not_qualified": "not qualified"}
_PROZORRO_24H = (
    "to supply within 24 hours (ProZorro's correction of documents, milestone 24h; "
    "Law of Ukraine on Public Procurement, Art. 29(16))"
)


def eligibility_text(eligibility: Eligibility) -> str:
    """Per bidder (per lot), eligible, not eligible or cannot tell, and every requirement's state with why."""
    tender = eligibility.tender
    lines = [f"Tender {tender.id}{f': {tender.title}' if tender.title else ''}"]
    if tender.lots:
        lines.append(f"Bids checked as of {eligibility.as_of.isoformat()}, lot by lot")
        for lot in eligibility.lots:
            title = f" ({lot.title})" if lot.title else ""
            lines.append(f"Lot {lot.id}{title}: {_count(len(lot.eligible), lot.bidders, len(lot.cannot_tell))}")
    else:
        bidders = eligibility.bidders
        eligible = sum(1 for b in bidders if b.eligible)
        unsure = sum(1 for b in bidders if b.state == CANNOT_TELL)
        lines.append(f"Bids checked as of {eligibility.as_of.isoformat()}: {_count(eligible, len(bidders), unsure)}")
    current: str | None = None
    for bidder in eligibility.bidders:
        if bidder.lot is not None and bidder.lot != current:
            current = bidder.lot
            title = next((x.title for x in tender.lots if x.id == current), "")
            lines += ["", f"== Lot {current}{f': {title}' if title else ''} =="]
        lines += ["", *_bidder(bidder, prozorro=tender.format == "prozorro")]
    if eligibility.duplicates:
        lines += ["", "Duplicate bids (each counted once)"]
        for duplicate in eligibility.duplicates:
            lines += _wrap(f"{duplicate.source}: {duplicate.why}, as {duplicate.same_as}", "  - ", "    ")
    if eligibility.notices:
        lines += ["", "Notes"]
        for notice in eligibility.notices:
            lines += _wrap(notice, "  - ", "    ")
    return "\n".join(lines) + "\n"


def _count(eligible: int, bidders: int, unsure: int) -> str:
    return f"{eligible} of {bidders} eligible" + (f", {unsure} cannot tell" if unsure else "")


def _bidder(bidder: BidderResult, *, prozorro: bool) -> list[str]:
    supplier = bidder.supplier
    ids = ", ".join(part for part in (supplier.id or next(iter(bidder.identifiers), ""), supplier.country) if part)
    lines = [f"{supplier.name}{f' ({ids})' if ids else ''}: {_VERDICTS.get(bidder.state, bidder.state)}"]
    if bidder.decision:
        score = f", overall score {bidder.score:.1f}" if bidder.score is not None else ""
        lines.append(f"  qualification: {_DECISIONS.get(bidder.decision, bidder.decision)}{score}")
    else:
        evidence = {"declaration": "the bid's declarations only", "none": "no submission"}.get(bidder.evidence, "")
        lines.append(f"  qualification: not assessed ({evidence or 'no questionnaire answers'})")
    if bidder.source:
        lines += _wrap(f"bid: {bidder.source}", "  ", "    ")
    if bidder.matched_by:
        lines.append(f"  submission matched to the tender's bidder by {bidder.matched_by}")
    for result in bidder.requirements:
        lines += _wrap(f"{_STATES.get(result.state, result.state)}: {result.requirement}", "  - ", "    ")
        lines += _wrap(result.reason, "      ", "      ")
    if bidder.to_supply:
        lines.append(f"  {_PROZORRO_24H if prozorro else 'to supply'}:")
        for item in bidder.to_supply:
            lines += _wrap(item, "    * ", "      ")
    return lines


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest) or [first.rstrip()]
