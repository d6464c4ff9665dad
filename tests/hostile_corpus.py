"""The hostile corpus: crafted and broken inputs at every entrance, one table row each.

Each :class:`Case` writes its files into an empty directory and gives the command
line to run there; :mod:`tests.test_hostile` runs it as a user would (a fresh
process, under a 1 GiB address-space limit) and checks the exit status, that the
error names the file and the place, that no traceback, signal death, raw control
character or partial output file comes out.

To add an entrance (ESPD XML, say), append rows with ``entrance="xml"``: a builder
that writes the file and the command that reads it. Nothing else changes.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .conftest import EXAMPLES
from .xlsx_corpus import fill, package, parts, sheet_part

ROOT = Path(__file__).resolve().parent.parent
TENDER = (ROOT / "examples" / "tenders" / "valve-components.yaml").read_text(encoding="utf-8")
NORTHWIND: dict[str, Any] = json.loads((EXAMPLES / "northwind-components.json").read_text(encoding="utf-8"))
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
GIB = 1 << 30
AS_OF = ("--as-of", "2026-11-25")


@dataclass(frozen=True)
class Case:
    """One hostile input: where it enters, what class of attack it is, and what must come out."""

    entrance: str
    """``json``, ``yaml``, ``workbook``, ``xml`` or ``cli`` (an option's value)."""
    kind: str
    """The class: crash, memory, size, traceback, silent, injection, refused, careless."""
    name: str
    setup: Callable[[Path], list[str]]
    """Writes the files into the directory; returns the command's arguments."""
    exit: int = 2
    stderr: tuple[str, ...] = ()
    """Text each of which must appear in the error output; ``{d}`` is the directory."""
    stdout: tuple[str, ...] = ()
    no_output: str = ""
    """A file (relative to the directory) that must not exist afterwards: no partial result."""


# --- builders -------------------------------------------------------------------------------------


def submission(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(NORTHWIND)
    for key, value in changes.items():
        data[key] = value
    return data


def answers(**values: Any) -> dict[str, Any]:
    found = copy.deepcopy(NORTHWIND["answers"])
    for qid, value in values.items():
        found[qid] = {**found[qid], "value": value}
    return found


def write(d: Path, name: str, content: str | bytes) -> str:
    path = d / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def assess(name: str, content: str | bytes, *extra: str) -> Callable[[Path], list[str]]:
    def setup(d: Path) -> list[str]:
        return ["assess", write(d, name, content), *AS_OF, *extra]

    return setup


def assess_json(text: str, *extra: str) -> Callable[[Path], list[str]]:
    return assess("supplier.json", text, *extra)


def with_policy(text: str, name: str = "policy.yaml") -> Callable[[Path], list[str]]:
    def setup(d: Path) -> list[str]:
        sub = write(d, "supplier.json", json.dumps(NORTHWIND))
        return ["assess", sub, *AS_OF, "--policy", write(d, name, text)]

    return setup


def with_tender(text: str, name: str = "tender.yaml") -> Callable[[Path], list[str]]:
    def setup(d: Path) -> list[str]:
        bid = write(d, "bid.json", json.dumps(NORTHWIND))
        return ["eligibility", write(d, name, text), bid, *AS_OF]

    return setup


def with_performance(text: str) -> Callable[[Path], list[str]]:
    def setup(d: Path) -> list[str]:
        sub = write(d, "supplier.json", json.dumps(NORTHWIND))
        return ["assess", sub, *AS_OF, "--performance", write(d, "performance.json", text)]

    return setup


def sparse(name: str, size: int = 1_200_000_000) -> Callable[[Path], str]:
    """A file of ``size`` bytes that takes no disk space: the cap must refuse it unread."""

    def make(d: Path) -> str:
        path = d / name
        with open(path, "wb") as stream:
            stream.write(b"{" if name.endswith(".json") else b"PK\x03\x04")
            stream.truncate(size)
        return str(path)

    return make


_VALID: dict[str, bytes] = {}


def valid_workbook() -> bytes:
    if "book" not in _VALID:
        from supplier_qual import get_plugin_manager
        from supplier_qual.api import catalog

        _VALID["book"] = fill(catalog(get_plugin_manager(load_entrypoints=False)).default())
    return _VALID["book"]


def workbook(
    change: Callable[[dict[str, bytes]], dict[str, bytes] | bytes], *, report: bool = True
) -> Callable[[Path], list[str]]:
    """A filled-in template with its parts changed by ``change`` (which may also return the whole file)."""

    def setup(d: Path) -> list[str]:
        members = parts(valid_workbook())
        changed = change(members)
        data = changed if isinstance(changed, bytes) else package(changed)
        output = ["-o", str(d / "report.txt")] if report else []
        return ["assess", write(d, "supplier.xlsx", data), *AS_OF, *output]

    return setup


def filled(answers: dict[str, Any]) -> Callable[[Path], list[str]]:
    """A template filled in with the best answers, some replaced by ``answers``."""

    def setup(d: Path) -> list[str]:
        from supplier_qual import get_plugin_manager
        from supplier_qual.api import catalog

        from .xlsx_corpus import best_answers

        questionnaire = catalog(get_plugin_manager(load_entrypoints=False)).default()
        data = fill(questionnaire, {**best_answers(questionnaire), **answers})
        return ["assess", write(d, "supplier.xlsx", data), *AS_OF, "-o", str(d / "report.txt")]

    return setup


def questionnaire_part(members: dict[str, bytes]) -> str:
    return sheet_part(members, "Questionnaire")


def huge_sheet(members: dict[str, bytes]) -> bytes:
    return (
        f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    ).encode()


def second_main(members: dict[str, bytes]) -> dict[str, bytes]:
    members["xl/workbook2.xml"] = members["xl/workbook.xml"]
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/workbook2.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sheet.main+xml"/></Types>',
    )
    return members


def main_elsewhere_with_decoy(members: dict[str, bytes]) -> dict[str, bytes]:
    """The real workbook at xl/book.xml; a decoy xl/workbook.xml naming an unchecked giant sheet."""
    members["xl/book.xml"] = members.pop("xl/workbook.xml")
    members["xl/_rels/book.xml.rels"] = members.pop("xl/_rels/workbook.xml.rels")
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"/xl/workbook.xml", b"/xl/book.xml")
    members["_rels/.rels"] = members["_rels/.rels"].replace(b"xl/workbook.xml", b"xl/book.xml")
    members["xl/workbook.xml"] = (
        f'<workbook xmlns="{MAIN_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Questionnaire" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ).encode()
    members["xl/_rels/workbook.xml.rels"] = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        b'Target="worksheets/giant.xml"/></Relationships>'
    )
    members["xl/worksheets/giant.xml"] = huge_sheet(members)
    return members


def dotted_target(members: dict[str, bytes]) -> dict[str, bytes]:
    part = questionnaire_part(members)
    rels = members["xl/_rels/workbook.xml.rels"]
    members["xl/_rels/workbook.xml.rels"] = rels.replace(
        part[3:].encode(), b"worksheets/./" + part.split("/")[-1].encode()
    )
    return members


def duplicate_sheet_names(members: dict[str, bytes]) -> dict[str, bytes]:
    members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(b'name="Instructions"', b'name="questionnaire"')
    return members


def duplicate_member(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            archive.writestr(questionnaire_part(members), huge_sheet(members))
    return out.getvalue()


def cell_in_questionnaire(cell: bytes) -> Callable[[dict[str, bytes]], dict[str, bytes]]:
    def change(members: dict[str, bytes]) -> dict[str, bytes]:
        part = questionnaire_part(members)
        members[part] = members[part].replace(b"</sheetData>", b'<row r="9">' + cell + b"</row></sheetData>", 1)
        return members

    return change


def questionnaire_xml(rows: int, cells: Callable[[int], bytes], shared: bytes | None = None) -> Callable[..., Any]:
    def change(members: dict[str, bytes]) -> dict[str, bytes]:
        part = questionnaire_part(members)
        body = b"".join(b'<row r="%d">' % r + cells(r) + b"</row>" for r in range(1, rows + 1))
        members[part] = f'<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode() + body + b"</sheetData></worksheet>"
        if shared is not None:
            install_shared_strings(members, f'<sst xmlns="{MAIN_NS}">'.encode() + shared + b"</sst>")
        return members

    return change


def install_shared_strings(members: dict[str, bytes], xml: bytes) -> None:
    """Add a shared-strings part, declared and related as Excel does."""
    members["xl/sharedStrings.xml"] = xml
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument'
        b'.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )


COLUMNS = [chr(65 + i) for i in range(26)] + ["A" + chr(65 + i) for i in range(24)]  # A … AX
LONG = b"<si><t>" + b"x" * 4000 + b"</t></si>"


def supplier_name(members: dict[str, bytes], text: bytes) -> dict[str, bytes]:
    """Replace the supplier's name wherever the sheets hold it."""
    return {name: data.replace(b"Northwind Components Ltd", text) for name, data in members.items()}


def untouched_template(d: Path) -> list[str]:
    from supplier_qual import get_plugin_manager
    from supplier_qual.adapters.xlsx.template import build_template
    from supplier_qual.api import catalog

    blank = build_template(catalog(get_plugin_manager(load_entrypoints=False)).default())
    return ["assess", write(d, "blank.xlsx", blank), *AS_OF]


def inbox(d: Path, files: dict[str, str | bytes]) -> list[str]:
    for name, content in files.items():
        write(d / "inbox", name, content)
    return ["assess", str(d / "inbox"), *AS_OF, "-f", "json", "-o", str(d / "results")]


def expiring(files: dict[str, str]) -> Callable[[Path], list[str]]:
    def setup(d: Path) -> list[str]:
        return ["expiring", "--days", "90", *AS_OF, *(write(d, name, text) for name, text in files.items())]

    return setup


def cert(**changes: Any) -> dict[str, Any]:
    return {**NORTHWIND["certificates"][0], **changes}


DEEP = 100_000
S = "{d}/supplier.json"
X = "{d}/supplier.xlsx"

CASES: list[Case] = [
    # --- a native crash through the workbook guard: what is checked must be what is read ----------
    Case(
        "workbook",
        "crash",
        "second workbook part in the content types",
        workbook(second_main),
        stderr=(f"{X}: the package names 2 workbook parts",),
        no_output="report.txt",
    ),
    Case(
        "workbook",
        "crash",
        "two sheets of one name",
        workbook(duplicate_sheet_names),
        stderr=(f'{X}: xl/workbook.xml: two sheets are named "Questionnaire"',),
        no_output="report.txt",
    ),
    Case(
        "workbook",
        "crash",
        "part path with ./ in the relationships",
        workbook(dotted_target),
        stderr=(f"{X}: the workbook is damaged: the part path",),
        no_output="report.txt",
    ),
    Case(
        "workbook",
        "crash",
        "two zip members of one name",
        workbook(duplicate_member),
        stderr=(f"{X}: xl/worksheets/sheet3.xml: the package holds two parts of this name",),
        no_output="report.txt",
    ),
    Case(
        "workbook",
        "crash",
        "decoy xl/workbook.xml naming an unchecked giant sheet",
        workbook(main_elsewhere_with_decoy, report=False),
        exit=0,
        stdout=("Decision: QUALIFIED",),
    ),
    Case(
        "workbook",
        "crash",
        "cell at XFD1048576 written with single quotes",
        workbook(cell_in_questionnaire(b"<c r='XFD1048576'><v>1</v></c>")),
        stderr=(f"{X}: Questionnaire: the sheet has cells beyond column AX",),
        no_output="report.txt",
    ),
    Case(
        "workbook",
        "crash",
        "cell reference spelt with a character reference",
        workbook(cell_in_questionnaire(b'<c r="&#88;FD1048576"><v>1</v></c>')),
        stderr=(f"{X}: Questionnaire: the sheet has cells beyond column AX",),
        no_output="report.txt",
    ),
    Case(
        "workbook",
        "crash",
        "cell in another namespace prefix",
        workbook(cell_in_questionnaire(b'<o:c xmlns:o="urn:other" r="XFD1048576"><o:v>1</o:v></o:c>')),
        stderr=(f"{X}: Questionnaire: the sheet has cells beyond column AX",),
        no_output="report.txt",
    ),
    Case(
        "workbook",
        "crash",
        "declared size of the whole sheet",
        workbook(
            lambda m: {
                **m,
                questionnaire_part(m): m[questionnaire_part(m)].replace(
                    b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>', 1
                ),
            }
        ),
        stderr=(f"{X}: Questionnaire: the sheet has cells beyond column AX",),
        no_output="report.txt",
    ),
    # --- memory exhaustion within every documented limit ----------------------------------------------
    Case(
        "workbook",
        "memory",
        "20,000 rows to column AX showing a 4,000-character string",
        workbook(
            questionnaire_xml(
                20_000, lambda r: b"".join(b'<c r="%s%d" t="s"><v>0</v></c>' % (c.encode(), r) for c in COLUMNS), LONG
            )
        ),
        stderr=(f"{X}: Questionnaire: the workbook has more than 250,000 filled cells",),
        no_output="report.txt",
    ),
    Case(
        "workbook",
        "memory",
        "3,000 cells showing a 4,000-character string",
        workbook(
            questionnaire_xml(
                300, lambda r: b"".join(b'<c r="%s%d" t="s"><v>0</v></c>' % (c.encode(), r) for c in COLUMNS[:10]), LONG
            )
        ),
        stderr=(f"{X}: Questionnaire: the workbook's cells hold more than 10,000,000 characters",),
        no_output="report.txt",
    ),
    Case(
        "workbook",
        "memory",
        "the same, spelt so that only an XML parser reads it",
        workbook(
            questionnaire_xml(
                300,
                lambda r: b"".join(b'<c  r="%s%d" t="s"><v>0</v></c>' % (c.encode(), r) for c in COLUMNS[:10]),
                LONG,
            )
        ),
        stderr=(f"{X}: Questionnaire: the workbook's cells hold more than 10,000,000 characters",),
        no_output="report.txt",
    ),
    Case(
        "workbook",
        "memory",
        "a cell in each corner of the largest grid allowed",
        workbook(questionnaire_xml(1, lambda r: b'<c r="A1"><v>1</v></c><c r="AX20000"><v>1</v></c>')),
        stderr=(f"{X}: ",),
        no_output="report.txt",
    ),
    # --- the size cap is checked before reading ----------------------------------------------------------
    Case(
        "workbook",
        "size",
        "a 1.2 GB workbook",
        lambda d: ["assess", sparse("big.xlsx")(d), *AS_OF],
        stderr=("{d}/big.xlsx: the file is 1,144.4 MB, more than the 5.0 MB accepted",),
    ),
    Case(
        "json",
        "size",
        "a 1.2 GB JSON submission",
        lambda d: ["assess", sparse("big.json")(d), *AS_OF],
        stderr=("{d}/big.json: the file is 1,144.4 MB, more than the 5.0 MB accepted",),
    ),
    Case(
        "yaml",
        "size",
        "a 1.2 GB policy",
        lambda d: ["assess", write(d, "s.json", json.dumps(NORTHWIND)), "--policy", sparse("p.yaml")(d)],
        stderr=("{d}/p.yaml: the policy file is 1,144.4 MB, more than the 5.0 MB accepted",),
    ),
    Case(
        "yaml",
        "size",
        "a 1.2 GB tender",
        lambda d: ["eligibility", sparse("t.yaml")(d), write(d, "s.json", json.dumps(NORTHWIND))],
        stderr=("{d}/t.yaml: the tender file is 1,144.4 MB, more than the 50.0 MB accepted",),
    ),
    # --- tracebacks from values nothing can parse -----------------------------------------------------------
    Case(
        "json",
        "traceback",
        "100,000-deep JSON",
        assess_json("[" * DEEP + "]" * DEEP),
        stderr=(f"{S}: line 1 column 65: nested more than 64 levels deep",),
    ),
    Case(
        "json",
        "traceback",
        "100,000-deep JSON objects",
        assess_json('{"a":' * DEEP + "1" + "}" * DEEP),
        stderr=(f"{S}: line 1 column 321: nested more than 64 levels deep",),
    ),
    Case(
        "yaml",
        "traceback",
        "100,000-deep YAML policy",
        with_policy("a: " + "[" * DEEP + "]" * DEEP),
        stderr=("{d}/policy.yaml: line 1: nested more than 64 levels deep",),
        exit=2,
    ),
    Case(
        "json",
        "traceback",
        "a 5,000-digit whole number",
        assess_json('{"supplier": {"name": "A"}, "x": 1' + "0" * 5000 + "}"),
        stderr=(f"{S}: $.x: a whole number of 5,001 digits",),
    ),
    Case(
        "yaml",
        "traceback",
        "a 5,000-digit number in a policy",
        with_policy("scoring: {evidence_cap: 1" + "0" * 5000 + "}"),
        stderr=("{d}/policy.yaml: line 1: a whole number of 5,001 digits",),
    ),
    Case(
        "yaml",
        "traceback",
        "YAML date 2026-02-30",
        with_tender(TENDER.replace("2026-12-15", "2026-02-30")),
        stderr=('{d}/tender.yaml: line 3: "2026-02-30" is not a date',),
    ),
    Case(
        "yaml",
        "traceback",
        "YAML date 0000-01-01",
        with_tender(TENDER.replace("2028-12-31", "0000-01-01")),
        stderr=('{d}/tender.yaml: line 4: "0000-01-01" is not a date',),
    ),
    Case(
        "yaml",
        "traceback",
        "YAML date in the year 9999",
        with_tender(TENDER.replace("2028-12-31", "9999-12-31")),
        stderr=("{d}/tender.yaml: $.contract_end: 9999-12-31 is outside the dates accepted (1900 to 2200)",),
    ),
    Case(
        "json",
        "traceback",
        "certificate issued in 9999",
        assess_json(json.dumps(submission(certificates=[cert(issued="9999-01-01", expires="9999-12-31")]))),
        stderr=(
            f"{S}: $.certificates[0].expires: 9999-12-31 is outside the dates accepted",
            f"{S}: $.certificates[0].issued: 9999-01-01 is outside the dates accepted",
        ),
    ),
    Case(
        "cli",
        "traceback",
        "--as-of 9999-12-31",
        lambda d: ["assess", write(d, "s.json", json.dumps(NORTHWIND)), "--as-of", "9999-12-31"],
        stderr=("--as-of: 9999-12-31 is outside the dates accepted (1900 to 2200)",),
    ),
    Case(
        "cli",
        "traceback",
        "expiring --as-of 0001-01-01",
        lambda d: ["expiring", write(d, "s.json", json.dumps(NORTHWIND)), "--as-of", "0001-01-01"],
        stderr=("--as-of: 0001-01-01 is outside the dates accepted",),
    ),
    Case(
        "json",
        "traceback",
        "KPI count of 10**400",
        with_performance('{"complaints": 1' + "0" * 400 + "}"),
        stderr=("{d}/performance.json: $.complaints: a whole number of 401 digits",),
    ),
    Case(
        "json",
        "traceback",
        "KPI count of 10**30",
        with_performance('{"complaints": 1' + "0" * 30 + "}"),
        stderr=("{d}/performance.json: $.complaints: must be at most 1,000,000,000",),
    ),
    Case(
        "json",
        "traceback",
        "lone surrogate in the supplier's name",
        assess_json('{"supplier": {"name": "Acme \\ud800 Ltd"}, "answers": {"A1": "Yes"}}'),
        stderr=(f"{S}: $.supplier.name: text with a lone surrogate escape",),
    ),
    Case(
        "yaml",
        "traceback",
        "lone surrogate in a tender title",
        with_tender(TENDER.replace("title: Hydraulic valve components framework", 'title: "Valves \\udc00"')),
        stderr=("{d}/tender.yaml: line 2: text with a lone surrogate escape",),
    ),
    Case(
        "yaml",
        "traceback",
        "JSON-escaped emoji pair in a YAML tender title",
        with_tender(TENDER.replace("title: Hydraulic valve components framework", 'title: "Valves \\ud83d\\udd27"')),
        exit=0,
        stdout=("Tender T-2026-014: Valves \U0001f527",),
    ),
    Case(
        "json",
        "traceback",
        "JSON-escaped emoji pair in a JSON tender title",
        with_tender(
            json.dumps({"id": "T-9", "title": "Valves \U0001f527", "requirements": {"min_overall": 10}}), "tender.json"
        ),
        exit=0,
        stdout=("Tender T-9: Valves \U0001f527",),
    ),
    # --- silent wrong results ---------------------------------------------------------------------------------
    Case(
        "json",
        "silent",
        "a failed knockout answered again further down",
        assess_json('{"supplier": {"name": "A"},\n "answers": {"A1": "No",\n  "A1": "Yes"}}'),
        stderr=(f'{S}: $.answers.A1: the key "A1" is given twice (line 2 column 14 and line 3 column 3)',),
    ),
    Case(
        "json",
        "silent",
        "two supplier blocks",
        assess_json('{"supplier": {"name": "A"}, "supplier": {"name": "B"}, "answers": {"A1": "Yes"}}'),
        stderr=(f'{S}: $.supplier: the key "supplier" is given twice',),
    ),
    Case(
        "yaml",
        "silent",
        "a policy with two decision blocks",
        with_policy("decision:\n  qualified: {overall_at_least: 90}\ndecision:\n  qualified: {overall_at_least: 10}\n"),
        stderr=('{d}/policy.yaml: line 3: the key "decision" is given twice (line 1 and line 3)',),
    ),
    Case(
        "yaml",
        "silent",
        "a tender with min_overall twice",
        with_tender(TENDER.replace("  min_overall: 60\n", "  min_overall: 90\n  min_overall: 10\n")),
        stderr=('{d}/tender.yaml: line 9: the key "min_overall" is given twice (line 8 and line 9)',),
    ),
    Case(
        "json",
        "silent",
        "a JSON policy with a key twice",
        with_policy('{"decision": {"qualified": {"overall_at_least": 90, "overall_at_least": 10}}}', "policy.json"),
        stderr=('{d}/policy.json: $.decision.qualified.overall_at_least: the key "overall_at_least" is given twice',),
    ),
    Case(
        "json",
        "silent",
        "a percentage answered 1e999",
        assess_json(json.dumps(submission()).replace('"value": 92', '"value": 1e999', 1)),
        stderr=(f"{S}: $.answers.E2.value: 1e999 is too large a number",),
    ),
    Case(
        "json",
        "silent",
        "a percentage answered NaN",
        assess_json(json.dumps(submission()).replace('"value": 92', '"value": NaN', 1)),
        stderr=(f"{S}: $.answers.E2.value: NaN is not a number",),
    ),
    Case(
        "json",
        "silent",
        "a percentage answered 150",
        assess_json(json.dumps(submission(answers=answers(E2=150)))),
        stderr=(f"{S}: $.answers.E2.value: 150 is out of range: answer from 0 to 100%",),
    ),
    Case(
        "json",
        "silent",
        "a percentage answered -5 as text",
        assess_json(json.dumps(submission(answers=answers(I4="-5")))),
        stderr=(f"{S}: $.answers.I4.value: -5 is out of range: answer from 0 to 100%",),
    ),
    Case(
        "workbook",
        "silent",
        "a percentage typed as 150 in the workbook",
        filled({"E2": 150}),
        stderr=(f"{X}: Questionnaire!F",),
        no_output="report.txt",
    ),
    Case(
        "workbook",
        "silent",
        "a ppm figure typed as -1 in the workbook",
        filled({"F6": -1}),
        stderr=(f"{X}: Questionnaire!F", "-1 is out of range: answer from 0 to 1000000 ppm"),
        no_output="report.txt",
    ),
    Case(
        "yaml",
        "silent",
        "outcome weights of 1.7e308",
        with_policy("outcome_weights: {A: 1.7e308, B: 1.7e308}\n"),
        stderr=("{d}/policy.yaml: $.outcome_weights.A: too large a number",),
    ),
    Case(
        "yaml",
        "silent",
        "a KPI scale of infinity",
        with_policy("performance:\n  kpis:\n    defect_ppm: {good: 0, bad: .inf}\n"),
        stderr=("{d}/policy.yaml: line 3: .inf is not a finite number",),
    ),
    Case(
        "yaml",
        "silent",
        "a performance weight of 1e300",
        with_policy("performance: {weight: 1.0e300}\n"),
        stderr=("{d}/policy.yaml: $.performance.weight:",),
    ),
    Case(
        "yaml",
        "silent",
        "a billion laughs of YAML aliases",
        with_policy(
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9))
        ),
        stderr=("{d}/policy.yaml: line 5: YAML aliases expand this document to more than 250,000 values",),
    ),
    # --- terminal injection: what a supplier typed never reaches the terminal raw ------------------------------
    Case(
        "json",
        "injection",
        "window title and bell in the supplier's name",
        assess_json(json.dumps(submission(supplier={"name": "Acme\x1b]0;pwned\x07 Ltd"}))),
        exit=0,
        stdout=("Acme\\x1b]0;pwned\\x07 Ltd",),
    ),
    Case(
        "json",
        "injection",
        "hyperlink, carriage return and backspace in an answer quoted by an error",
        assess_json(json.dumps(submission(answers=answers(A2="\x1b]8;;http://evil\x1b\\\\click\rOK\x08")))),
        stderr=(f'{S}: $.answers.A2.value: "\\x1b]8;;http://evil\\x1b\\\\click\\x0dOK\\x08" is not one of',),
    ),
    Case(
        "json",
        "injection",
        "C1 control (8-bit CSI) and a bidirectional override in a comment",
        assess_json(json.dumps(submission(supplier={"name": "Acme \x9b31m\u202e Ltd"}))),
        exit=0,
        stdout=("Acme \\x9b31m\\u202e Ltd",),
    ),
    Case(
        "json",
        "injection",
        "escape sequences in JSON output stay JSON escapes",
        assess_json(json.dumps(submission(supplier={"name": "Acme\x1b[2J\x9b"})), "-f", "json"),
        exit=0,
        stdout=('"name": "Acme\\u001b[2J\\u009b"',),
    ),
    Case(
        "workbook",
        "injection",
        "an _x001B_ escape in the workbook",
        workbook(lambda m: supplier_name(m, b"Northwind_x001B_]0;pwned_x0007_ Ltd"), report=False),
        exit=0,
        stdout=("Northwind\\x1b]0;pwned\\x07 Ltd",),
    ),
    Case(
        "workbook",
        "injection",
        "a supplier name typed with a carriage return in a bulk run's file name",
        lambda d: inbox(d, {"acme\x1b[31m\r.json": json.dumps(NORTHWIND)}),
        exit=0,
        stdout=("acme\\x1b[31m\\x0d.json",),
    ),
    # --- valid input refused ----------------------------------------------------------------------------------------
    Case(
        "json",
        "refused",
        "a JSON tender indented with tabs",
        with_tender(
            '{\n\t"id": "T-7",\n\t"title": "Tabs",\n\t"requirements": {\n\t\t"min_overall": 10\n\t}\n}\n', "tender.json"
        ),
        exit=0,
        stdout=("Tender T-7: Tabs",),
    ),
    Case(
        "json",
        "refused",
        "a tab-indented JSON tender named .yaml",
        with_tender('{\n\t"id": "T-8",\n\t"title": "Tabs",\n\t"requirements": {"min_overall": 10}\n}\n'),
        exit=0,
        stdout=("Tender T-8: Tabs",),
    ),
    Case(
        "json",
        "refused",
        "a JSON policy indented with tabs",
        with_policy(
            '{\n\t"name": "tabbed",\n\t"decision": {"qualified": {"overall_at_least": 75}}\n}\n', "policy.json"
        ),
        exit=0,
        stdout=("Decision: QUALIFIED",),
    ),
    # --- careless users ---------------------------------------------------------------------------------------------
    Case(
        "workbook",
        "careless",
        "an untouched template",
        untouched_template,
        stderr=("{d}/blank.xlsx: Questionnaire: nothing has been answered",),
    ),
    Case(
        "json",
        "careless",
        "a JSON submission without answers",
        assess_json(json.dumps(submission(answers={}))),
        stderr=(f"{S}: $.answers: nothing has been answered",),
    ),
    Case(
        "json",
        "careless",
        "answers all left blank",
        assess_json(json.dumps(submission(answers={"A1": "", "A2": {"value": None}}))),
        stderr=(f"{S}: $.answers: nothing has been answered",),
    ),
    Case(
        "json",
        "careless",
        "a performance file given as the submission",
        assess("performance.json", (EXAMPLES / "northwind-performance.json").read_text()),
        stderr=("{d}/performance.json: this is a performance file (the buyer's delivery data), not a supplier's",),
    ),
    Case(
        "json",
        "careless",
        "a certificate file given as the submission",
        assess("certs.json", (ROOT / "examples" / "certificates" / "northwind-cert.json").read_text()),
        stderr=("{d}/certs.json: this is a certificate file, not a supplier's submission",),
    ),
    Case(
        "json",
        "careless",
        "a bulk run over an inbox with a performance file, a folder and notes",
        lambda d: inbox(
            d,
            {
                "a.json": json.dumps(NORTHWIND),
                "perf.json": (EXAMPLES / "northwind-performance.json").read_text(),
                "notes.txt": "x",
                "old/b.json": json.dumps(NORTHWIND),
                "~$a.xlsx": b"x",
            },
        ),
        stderr=(
            "{d}/inbox/notes.txt: skipped: not a submission (.json or .xlsx)",
            "{d}/inbox/old: skipped: a folder",
            "{d}/inbox/~$a.xlsx: skipped: an Excel lock file",
            "{d}/inbox/perf.json: this is a performance file",
        ),
        stdout=("1 assessed, 1 refused",),
    ),
    Case(
        "cli",
        "careless",
        "template over an existing file",
        lambda d: ["template", "-o", write(d, "filled.xlsx", b"filled in by the supplier")],
        stderr=("{d}/filled.xlsx: the file exists (perhaps a workbook already filled in)",),
    ),
    Case(
        "json",
        "careless",
        "expiring: one certificate in two files, one long expired, one file of another kind",
        expiring(
            {
                "a.json": json.dumps(
                    submission(certificates=[cert(expires="2027-01-09"), cert(number="OLD-1", expires="2019-05-01")])
                ),
                "b.json": json.dumps(submission(certificates=[cert(expires="2027-01-09")])),
                "policy.json": '{"decision": {}}',
            }
        ),
        stderr=("{d}/policy.json: expected a certificate, a list of them, or an object with 'certificates'",),
        stdout=("Already expired on 2026-11-25 (1 certificate)",),
    ),
]
