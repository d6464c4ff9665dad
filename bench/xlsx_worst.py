"""Peak memory of reading the worst workbook the documented limits allow.

The limits (``supplier_qual.adapters.xlsx.limits.Limits``) bound what calamine
allocates: a grid of at most 20,000 rows by 50 columns per sheet, 250,000 cells,
10,000,000 characters of text counted once per cell that shows it, 80 MB unpacked.
This script builds, from the standard template, a workbook that sits just inside
every one of them at once, the costly way:

- a cell at AX20000 in each of the five sheets the reader reads (five full grids);
- about 245,000 filled cells in all;
- one shared string of 4,000 four-byte characters (an emoji: the widest UTF-8 and
  the widest Python string), shown by enough cells of the Supplier sheet (which the
  reader keeps whole) to bring the text to just under 10,000,000 characters.

The guard accepts it (it is within the limits); a fresh process then reads it as
an upload is read, and reports its peak resident memory (``VmHWM``), next to a
process that only imports the package. Goal: under 256 MiB.

Run: ``python bench/xlsx_worst.py``.
"""

from __future__ import annotations

import importlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
LONG = 4_000
GOAL_MIB = 256


def worst_workbook() -> bytes:
    import openpyxl

    import supplier_qual
    from supplier_qual.api import catalog

    layout = _adapter("layout")
    build_template = _adapter("template").build_template
    limits = _adapter("limits").Limits()
    questionnaire = catalog(supplier_qual.get_plugin_manager(load_entrypoints=False)).default()
    book = openpyxl.load_workbook(io.BytesIO(build_template(questionnaire)))
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheets = _sheet_parts(members)
    read = (layout.SUPPLIER, layout.QUESTIONNAIRE, layout.CERTIFICATES, layout.PERFORMANCE, layout.META)
    showing = (limits.max_text_total - 200_000) // LONG  # cells that show the long string; the template has text too
    filler = limits.max_cells - showing - 5 * 300  # numbers elsewhere, leaving room for the template's own cells
    for name in read:
        rows: list[bytes] = []
        if name == layout.SUPPLIER:
            rows += _rows(100, showing, b' t="s"><v>0</v>')
        if name == layout.QUESTIONNAIRE:
            rows += _rows(200, filler, b"><v>1</v>")
        rows.append(b'<row r="%d"><c r="AX%d"><v>1</v></c></row>' % (limits.max_rows, limits.max_rows))
        part = sheets[name]
        xml = members[part]
        end = xml.rindex(b"</sheetData>")
        members[part] = xml[:end] + b"".join(rows) + xml[end:]
    members["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}"><si><t>{chr(0x1F600) * LONG}</t></si></sst>'.encode()
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
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _adapter(name: str) -> Any:
    """A module of the Excel adapter (installed as ``supplier_qual.adapters.xlsx``)."""
    return importlib.import_module(f"supplier_qual.adapters.xlsx.{name}")


def _sheet_parts(members: dict[str, bytes]) -> dict[str, str]:
    import re

    rels = dict(re.findall(rb'Target="/?(?:xl/)?([^"]+)" Id="(rId\d+)"', members["xl/_rels/workbook.xml.rels"]))
    targets = {rid.decode(): "xl/" + target.decode() for target, rid in rels.items()}
    names = re.findall(rb'<sheet [^>]*name="([^"]+)"[^>]*r:id="(rId\d+)"', members["xl/workbook.xml"])
    return {name.decode(): targets[rid.decode()] for name, rid in names}


def _rows(first: int, cells: int, tail: bytes) -> list[bytes]:
    """``cells`` cells over columns A–AX, from row ``first`` down, each ``<c r=… {tail}</c>``."""
    columns = [chr(65 + i) for i in range(26)] + ["A" + chr(65 + i) for i in range(24)]
    rows = []
    row = first
    while cells > 0:
        count = min(cells, len(columns))
        body = b"".join(b'<c r="%s%d"%s</c>' % (c.encode(), row, tail) for c in columns[:count])
        rows.append(b'<row r="%d">%s</row>' % (row, body))
        cells -= count
        row += 1
    return rows


def child(mode: str, path: str) -> None:
    import supplier_qual

    pm = supplier_qual.get_plugin_manager(load_entrypoints=False)
    outcome = "imports only"
    if mode == "read":
        data = Path(path).read_bytes()
        sheets = ("Supplier", "Questionnaire", "Certificates", "Performance", "_meta")
        _adapter("guard").inspect(data, "worst.xlsx", _adapter("limits").Limits(), scan=sheets)  # within the limits
        try:
            supplier_qual.read_submission(data, filename="worst.xlsx", pm=pm)
            outcome = "read"
        except supplier_qual.SubmissionError as exc:
            outcome = f"read, then refused: {len(exc.problems)} problems"
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"peak_kib": peak, "outcome": outcome}))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    as_json = "--json" in sys.argv[1:]
    peaks: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "worst.xlsx"
        path.write_bytes(worst_workbook())
        if not as_json:
            print(f"worst workbook within the limits: {path.stat().st_size:,} bytes")
        for mode, label in (("imports", "imports and plugins only"), ("read", "guard + calamine + reader")):
            completed = subprocess.run(  # noqa: S603 - runs this very script
                [sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True, check=True
            )
            found = json.loads(completed.stdout.splitlines()[-1])
            peaks[mode] = found
            if not as_json:
                print(f"  {label:<28} peak RSS {found['peak_kib'] / 1024:7.1f} MiB  ({found['outcome']})")
        if not as_json:
            print(f"  goal: under {GOAL_MIB} MiB")
    if as_json:
        read = int(str(peaks["read"]["peak_kib"])) / 1024
        imports = int(str(peaks["imports"]["peak_kib"])) / 1024
        figure = {
            "name": "worst workbook within the limits: peak RSS of guard + calamine + reader",
            "measured": round(read, 1),
            "unit": "MiB",
            "reference": round(imports, 1),
            "reference_name": "a process that only imports the package and loads its plugins",
            "ratio": round(read / imports, 2),
            "goal": f"measured < {GOAL_MIB} MiB",
            "met": bool(read < GOAL_MIB),
            "outcome": peaks["read"]["outcome"],
        }
        print(json.dumps({"figures": [figure]}, indent=2))


if __name__ == "__main__":
    main()
