"""The self-assessment workbook's layout: sheets, headers, form labels and the template checksum.

The template writer and the reader both work from these definitions, so a header
the writer puts in is one the reader recognises. The reader finds everything by
text, never by position: header cells and form labels are compared after
:func:`normalise` (case, spaces, punctuation and a trailing ``(…)`` or ``*`` do not
matter), and each field accepts a few common aliases.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass

from supplier_qual.model import Questionnaire

TEMPLATE_FORMAT = "1"
"""Version of the workbook layout itself; bumped when the reader could no longer read an older layout."""

INSTRUCTIONS = "Instructions"
SUPPLIER = "Supplier"
QUESTIONNAIRE = "Questionnaire"
CERTIFICATES = "Certificates"
PERFORMANCE = "Performance"
META = "_meta"
SHEETS = (INSTRUCTIONS, SUPPLIER, QUESTIONNAIRE, CERTIFICATES, PERFORMANCE, META)
REQUIRED_SHEETS = (SUPPLIER, QUESTIONNAIRE, META)
"""Sheets an upload must have; a missing Certificates or Performance sheet means "none given"."""

HEADER_SEARCH_ROWS = 20
"""How far down a sheet the reader looks for its header row."""

META_KEYS = ("questionnaire_id", "questionnaire_version", "template_checksum", "template_format", "generator")


@dataclass(frozen=True)
class Column:
    """A column (or form row) the reader looks for: the field it fills and the headers that name it."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    width: float = 14.0

    @functools.cached_property
    def keys(self) -> frozenset[str]:
        return frozenset((normalise(self.header), normalise(self.field), *self.aliases))

    def matches(self, text: str) -> bool:
        return normalise(text) in self.keys


# --- Questionnaire sheet ---------------------------------------------------------------

Q_ID = Column("id", "ID", ("questionid", "qid", "no", "ref"), 7)
Q_OUTCOME = Column("outcome", "Outcome", (), 9)
Q_TEXT = Column("question", "Question", ("questiontext",), 58)
Q_GUIDANCE = Column("guidance", "Guidance", ("help",), 46)
Q_HINT = Column("hint", "Evidence to cite", ("evidencehint",), 36)
Q_ANSWER = Column("answer", "Answer", ("response", "youranswer"), 24)
Q_EVIDENCE = Column("evidence", "Evidence", ("evidencereference", "evidenceref", "documentreference"), 32)
Q_COMMENT = Column("comment", "Comment", ("comments", "remarks", "notes"), 32)
QUESTIONNAIRE_COLUMNS = (Q_ID, Q_OUTCOME, Q_TEXT, Q_GUIDANCE, Q_HINT, Q_ANSWER, Q_EVIDENCE, Q_COMMENT)
QUESTIONNAIRE_READ = (Q_ID, Q_ANSWER, Q_EVIDENCE, Q_COMMENT)
QUESTIONNAIRE_REQUIRED = (Q_ID, Q_ANSWER, Q_EVIDENCE)

# --- Certificates sheet ----------------------------------------------------------------

CERTIFICATE_COLUMNS = (
    Column("standard", "Standard", ("certificatestandard",), 18),
    Column("number", "Certificate number", ("number", "certificateno", "certno", "certificate"), 20),
    Column("holder", "Holder", ("certificateholder", "organization", "organisation"), 28),
    Column("certification_body", "Certification body", ("cb", "registrar", "issuedby"), 28),
    Column("accreditation_body", "Accreditation body", ("ab", "accreditedby", "accreditation"), 20),
    Column("scope", "Scope", ("certificationscope", "scopeofcertification"), 44),
    Column("iaf_codes", "IAF codes", ("iafcode", "iafsectorcodes", "eacodes", "sectorcodes"), 12),
    Column("issued", "Issued", ("issuedate", "dateofissue", "issuedon", "validfrom"), 13),
    Column("expires", "Expires", ("expirydate", "expiry", "expirationdate", "validuntil", "validto"), 13),
    Column("status", "Status", ("certificatestatus",), 13),
    Column("country", "Holder country", ("country", "countrycode"), 12),
    Column("sites", "Certified sites", ("sites", "site", "locations"), 30),
    Column("consultant", "QMS consultant", ("consultant", "consultancy"), 22),
)
CERTIFICATE_REQUIRED = ("standard",)
CERTIFICATE_DATES = ("issued", "expires")
CERTIFICATE_ROWS = 10
"""Rows the template prepares (unlocked, validated) for certificates."""

# --- Supplier and Performance forms (label | value) --------------------------------------

FORM_LABEL = Column("label", "Field", ("measure", "item"), 30)
FORM_VALUE = Column("value", "Value", ("answer",), 42)
FORM_NOTE = Column("note", "Guidance", ("notes", "unit"), 60)

SUPPLIER_FIELDS = (
    Column("name", "Supplier name", ("name", "legalname", "companyname", "organisationname", "organizationname")),
    Column("id", "Identifier", ("companyid", "registrationnumber", "companynumber", "vatnumber")),
    Column("scheme", "Identifier scheme", ("scheme", "idscheme")),
    Column("country", "Country", ("countrycode",)),
    Column("contact", "Contact person", ("contact", "contactname")),
    Column("email", "Email", ("emailaddress", "contactemail")),
)
SCOPE_FIELDS = (
    Column("description", "What you supply to us", ("scopeofsupply", "supplied", "productsorservices", "supply")),
    Column("iaf_codes", "IAF codes of what you supply", ("iafcodes", "iafsectors", "iafcodesofsupply")),
    Column("nace", "NACE codes of what you supply", ("nacecodes", "nace")),
    Column("sites", "Supplying sites", ("sites", "supplyingsite", "supplysites")),
)
"""The scope of supply, on the Supplier sheet below the supplier's own details."""
SCOPE_NOTES = {
    "description": "What you supply to us, in a few words (for example: machined valve bodies). Your "
    "certificate's scope is checked against it.",
    "iaf_codes": "IAF sector codes of what you supply, separated by commas (for example 17).",
    "nace": "NACE Rev. 2 codes of what you supply, separated by commas (for example 25.62).",
    "sites": "The sites that supply us, as City, country code (Leeds, GB); separate several with semicolons.",
}
SUPPLIER_NOTES = {
    "name": "Your legal name, as on your certificates (required).",
    "id": "Company registration number, with its scheme below (for example GB-COH-01234567).",
    "scheme": "The register the identifier comes from (GB-COH, DE-HRB, VAT …).",
    "country": "Two-letter country code (ISO 3166-1), for example GB, DE, FR.",
    "contact": "Who answers questions about this self-assessment.",
    "email": "Their email address.",
}


@dataclass(frozen=True)
class Measure:
    """One performance KPI on the Performance form: field, label, unit, whole number or not, bounds."""

    field: str
    label: str
    unit: str
    whole: bool
    minimum: float = 0
    maximum: float | None = None
    note: str = ""

    @functools.cached_property
    def column(self) -> Column:
        return Column(self.field, self.label)


PERFORMANCE_MEASURES = (
    Measure("period_months", "Period covered", "months", True, 1, 120, "The months these figures cover (default 12)."),
    Measure("deliveries", "Deliveries", "count", True, note="Deliveries received in the period."),
    Measure("on_time_delivery_pct", "On-time delivery", "%", False, 0, 100, "Share of deliveries on time, 0–100."),
    Measure("defect_ppm", "Defect rate", "ppm", False, 0, 1_000_000, "Defective parts per million received."),
    Measure("lots_received", "Lots received", "count", True),
    Measure("lots_rejected", "Lots rejected", "count", True, note="At most the lots received."),
    Measure("complaints", "Complaints raised", "count", True),
    Measure("complaints_closed", "Complaints closed", "count", True, note="At most the complaints raised."),
    Measure("corrective_actions_open", "Corrective actions open", "count", True),
    Measure("corrective_actions_overdue", "Corrective actions overdue", "count", True, note="At most those open."),
    Measure("previous_on_time_delivery_pct", "On-time delivery, previous period", "%", False, 0, 100),
    Measure("previous_defect_ppm", "Defect rate, previous period", "ppm", False, 0),
)

PERFORMANCE_COLUMNS = tuple(m.column for m in PERFORMANCE_MEASURES)

_PAREN = re.compile(r"\(.*?\)|\[.*?\]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Header or label text reduced to its letters and digits: ``" Evidence (ref.) *"`` → ``"evidence"``."""
    return _NON_WORD.sub("", _PAREN.sub("", text.casefold()))


def template_checksum(questionnaire: Questionnaire) -> str:
    """SHA-256 of what a supplier sees and answers: layout format, ids, questions and answer choices.

    Stored in ``_meta``; a workbook whose checksum differs was made from another
    edition of the questionnaire, even if the version string is the same.
    """
    if not questionnaire.sha256:
        return _checksum(questionnaire)
    key = (questionnaire.id, questionnaire.version, questionnaire.sha256)
    if key not in _CHECKSUMS:
        _CHECKSUMS[key] = _checksum(questionnaire)
    return _CHECKSUMS[key]


_CHECKSUMS: dict[tuple[str, str, str], str] = {}
"""Checksums of questionnaire files already seen, by id, version and file digest."""


def _checksum(questionnaire: Questionnaire) -> str:
    # One line of canonical JSON per question, hashed as it goes: no copy of a large questionnaire in memory.
    digest = hashlib.sha256(_canonical([TEMPLATE_FORMAT, questionnaire.id, questionnaire.version]))
    for q in questionnaire.questions:
        digest.update(_canonical([q.id, q.outcome, q.type, q.text, list(q.choices), q.unit, q.na_allowed]))
    return digest.hexdigest()


def _canonical(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
