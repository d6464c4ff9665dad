"""The tender officer's form for a new tender, and the tender file it makes.

The form covers the usual requirements (an ISO 9001 certificate, other management-system
certificates, minimum scores, a minimum decision, performance thresholds, lots with
their own certificate sectors and minimum score); it is turned into the project's
tender file (JSON, see ``docs/eligibility.md``), which is registered exactly as an
uploaded one is. Everything else a tender file can say is for an upload.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DecimalField, FieldList, Form, FormField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # wtforms 3.3; the stubs lag
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ...outcomes import OUTCOMES

EDITIONS = (
    ("ISO 9001:2015", "ISO 9001:2015"),
    ("ISO 9001:2015/Amd 1:2024", "ISO 9001:2015/Amd 1:2024 (the same edition, amended)"),
)
VALID_THROUGH = (
    ("", "the evaluation date"),
    ("closing_date", "the closing date"),
    ("contract_end", "the contract end"),
)
OTHER_STANDARDS = (
    ("iso14001", "ISO 14001:2015", "ISO 14001:2015 (environmental management)"),
    ("iso45001", "ISO 45001:2018", "ISO 45001:2018 (occupational health and safety)"),
    ("iso27001", "ISO/IEC 27001:2022", "ISO/IEC 27001:2022 (information security)"),
    ("iso13485", "ISO 13485:2016", "ISO 13485:2016 (medical devices)"),
)
DECISION_CHOICES = (
    ("", "no minimum"),
    ("conditional", "Conditional or better"),
    ("qualified", "Qualified"),
)
#: The performance thresholds the form offers (tender file keys, see PERFORMANCE_MEASURES): key, label, range.
PERFORMANCE_FIELDS = (
    ("min_on_time_delivery_pct", "On-time delivery at least (%)", 0, 100),
    ("max_defect_ppm", "Defect rate at most (ppm)", 0, 1_000_000),
    ("max_corrective_actions_overdue", "Corrective actions overdue at most", 0, 1_000_000),
)
REFERENCE = Regexp(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$", message="Use letters, digits and . _ : / - only.")
IAF = re.compile(r"^\s*(\d{1,2}(\s*[,; ]\s*\d{1,2})*)?\s*$")


def _choices(pairs: tuple[tuple[str, str], ...]) -> list[Any]:
    return [SelectChoice(value, label) for value, label in pairs]


def iaf_codes(text: str | None) -> list[int]:
    """``"17, 18"`` → ``[17, 18]`` (the form has already checked the text)."""
    return sorted({int(part) for part in re.split(r"[,; ]+", (text or "").strip()) if part})


def check_iaf(_form: Any, field: Any) -> None:
    if not IAF.match(field.data or ""):
        raise ValidationError("Give IAF sector numbers separated by commas, e.g. 17, 18.")
    if any(not 1 <= code <= 39 for code in iaf_codes(field.data)):
        raise ValidationError("IAF sectors run from 1 to 39.")


def _score(label: str, description: str = "") -> DecimalField:
    return DecimalField(
        label,
        places=None,
        validators=[Optional(), NumberRange(0, 100, "A score runs from 0 to 100.")],
        description=description,
        render_kw={"inputmode": "decimal"},
    )


class LotForm(Form):
    """One lot: its id, title, contract end and what it asks differently from the tender."""

    id = StringField("Lot id", validators=[Optional(), Length(max=100), REFERENCE], description="e.g. LOT-1")
    title = StringField("Lot title", validators=[Optional(), Length(max=300)])
    contract_end = DateField("Contract end of the lot", validators=[Optional()])
    iaf_codes = StringField(
        "IAF sectors the ISO 9001 certificate must cover for this lot",
        validators=[Optional(), check_iaf],
        description="Replaces the tender's sectors for this lot.",
    )
    min_overall = _score("Lowest overall score for this lot")


class TenderForm(FlaskForm):  # type: ignore[misc]
    reference = StringField(
        "Tender reference",
        validators=[DataRequired("Give the tender's reference."), Length(max=100), REFERENCE],
        description="As the procurement file names it, e.g. T-2026-014.",
    )
    title = StringField("Title", validators=[DataRequired("Give the tender's title."), Length(max=300)])
    closing_date = DateField("Closing date for bids", validators=[Optional()])
    contract_end = DateField("Contract end", validators=[Optional()])
    iso9001 = BooleanField("An ISO 9001 certificate is required", default=True)
    edition = SelectField("Edition", choices=_choices(EDITIONS), default=EDITIONS[0][0])
    accredited = BooleanField("Issued under accreditation (IAF MLA signatory)", default=True)
    iaf = StringField(
        "IAF sectors it must cover",
        validators=[Optional(), check_iaf],
        description="IAF sector numbers, e.g. 17 (basic metals and fabricated metal products), 18 (machinery).",
    )
    valid_through = SelectField(
        "Valid through",
        choices=_choices(VALID_THROUGH),
        default="closing_date",
        description="A certificate must still be valid on this date.",
    )
    other_valid_through = SelectField("Other certificates valid through", choices=_choices(VALID_THROUGH), default="")
    min_overall = _score("Lowest overall score", "0 to 100; leave empty for none.")
    decision_at_least = SelectField("Lowest qualification decision", choices=_choices(DECISION_CHOICES), default="")
    knockouts_passed = BooleanField("No knockout question may be failed")
    max_submission_age_days = DecimalField(
        "Self-assessment at most this many days old",
        places=0,
        validators=[Optional(), NumberRange(1, 36_500, "Give 1 to 36,500 days.")],
    )
    lots = FieldList(FormField(LotForm), min_entries=3, max_entries=20)


for _key, _value, _label in OTHER_STANDARDS:
    setattr(TenderForm, _key, BooleanField(f"A certificate to {_label}"))
for _outcome in OUTCOMES:
    setattr(TenderForm, f"min_{_outcome.id}", _score(f"{_outcome.id}: {_outcome.title}"))
for _key, _label, _low, _high in PERFORMANCE_FIELDS:
    setattr(
        TenderForm,
        _key,
        DecimalField(
            _label,
            places=None,
            validators=[Optional(), NumberRange(_low, _high, f"Give a figure from {_low:,} to {_high:,}.")],
        ),
    )


def _number(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def _certificate(standard: str, accredited: bool, codes: list[int], through: str) -> dict[str, Any]:
    spec: dict[str, Any] = {"standard": standard, "accredited": accredited}
    if codes:
        spec["iaf_codes"] = codes
    if through:
        spec["valid_through"] = through
    return spec


def tender_data(form: TenderForm) -> dict[str, Any]:
    """The tender file the form describes (the schema checks it again when it is registered)."""
    requirements: dict[str, Any] = {}
    certificates = []
    if form.iso9001.data:
        certificates.append(
            _certificate(
                form.edition.data, bool(form.accredited.data), iaf_codes(form.iaf.data), form.valid_through.data
            )
        )
    for key, standard, _ in OTHER_STANDARDS:
        if form[key].data:
            certificates.append(_certificate(standard, True, [], form.other_valid_through.data))
    if certificates:
        requirements["certificate"] = certificates
    if form.knockouts_passed.data:
        requirements["knockouts_passed"] = True
    if form.min_overall.data is not None:
        requirements["min_overall"] = _number(form.min_overall.data)
    outcomes = {o.id: _number(form[f"min_{o.id}"].data) for o in OUTCOMES if form[f"min_{o.id}"].data is not None}
    if outcomes:
        requirements["min_outcome"] = outcomes
    if form.decision_at_least.data:
        requirements["decision_at_least"] = form.decision_at_least.data
    for key, *_ in PERFORMANCE_FIELDS:
        if form[key].data is not None:
            requirements[key] = _number(form[key].data)
    if form.max_submission_age_days.data is not None:
        requirements["max_submission_age_days"] = int(form.max_submission_age_days.data)
    data: dict[str, Any] = {"id": (form.reference.data or "").strip(), "title": (form.title.data or "").strip()}
    if form.closing_date.data:
        data["closing_date"] = form.closing_date.data.isoformat()
    if form.contract_end.data:
        data["contract_end"] = form.contract_end.data.isoformat()
    data["requirements"] = requirements
    lots = [_lot(entry.form, form) for entry in form.lots if (entry.form.id.data or "").strip()]
    if lots:
        data["lots"] = lots
    return data


def _lot(lot: LotForm, form: TenderForm) -> dict[str, Any]:
    found: dict[str, Any] = {"id": (lot.id.data or "").strip()}
    title = (lot.title.data or "").strip()
    if title:
        found["title"] = title
    if lot.contract_end.data:
        found["contract_end"] = lot.contract_end.data.isoformat()
    own: dict[str, Any] = {}
    codes = iaf_codes(lot.iaf_codes.data)
    if codes and form.iso9001.data:
        own["certificate"] = [
            _certificate(form.edition.data, bool(form.accredited.data), codes, form.valid_through.data)
        ]
    if lot.min_overall.data is not None:
        own["min_overall"] = _number(lot.min_overall.data)
    if own:
        found["requirements"] = own
    return found


def lot_problems(form: TenderForm) -> list[str]:
    """What the lots' rows get wrong together (a lot given twice, sectors without an ISO 9001 requirement)."""
    found = []
    ids = [(entry.form.id.data or "").strip() for entry in form.lots]
    named = [i for i in ids if i]
    for lot_id in sorted({i for i in named if named.count(i) > 1}):
        found.append(f"Lot {lot_id} is listed twice.")
    for entry, lot_id in zip(form.lots, ids, strict=True):
        if not lot_id and any((entry.form[k].data not in (None, "")) for k in ("title", "contract_end", "iaf_codes")):
            found.append("A lot with a title, date or sectors needs a lot id.")
            break
        if lot_id and (entry.form.iaf_codes.data or "").strip() and not form.iso9001.data:
            found.append(f"Lot {lot_id} gives IAF sectors, but the tender asks for no ISO 9001 certificate.")
    return found


def tender_file(data: dict[str, Any]) -> bytes:
    """The tender file's bytes, the same for the same form."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
