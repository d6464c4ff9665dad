"""The tender officer's desk: tenders, their bidders' eligibility, and the report per lot with its exports.

Who may do what follows the register's permissions (``supplier_qual.web.auth.PERMISSIONS``):
tender officers and administrators register tenders; only a tender officer checks
eligibility (a tender officer's judgement, as over the API); buyers read tenders and
reports; suppliers are not offered these pages (403).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

import supplier_qual

from ...errors import InputError, Problem
from .. import intake, tendering
from ..api.tenders import tender_view
from ..problems import ApiError
from ..service import service
from ..store import suppliers as register
from ..store import tenders as tender_store
from ..store.models import Account, Tender
from . import tender_report
from .access import accepts_upload, login_required, signed_in_user
from .tender_forms import TenderForm, lot_problems, tender_data, tender_file

bp = Blueprint("tender", __name__, url_prefix="/tenders")
READERS = ("tender_officer", "admin", "buyer")
#: How many suppliers the bidders' list offers at once (a search narrows it), keeping the page small.
BIDDER_CHOICES = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may(action: str) -> bool:
    return signed_in_user().principal.may(action)


def _refused(exc: Exception) -> list[Problem]:
    return list(exc.problems) if isinstance(exc, (InputError, ApiError)) else []


@bp.get("/")
@login_required(role=READERS)
def index() -> str:
    text = (request.args.get("q") or "").strip()[:100]
    with service().db.read() as session:
        rows = tender_store.listing(session, text=text or None)
    return render_template("pages/tender/index.html", rows=rows, q=text, may_create=_may("tenders.create"))


def _register(data: bytes, filename: str) -> Tender:
    user = signed_in_user()
    row, created = tendering.register_tender(service(), user.principal, data, filename)
    flash(
        f"Tender {row.id} registered." if created else f"Tender {row.id} was registered before with this same file.",
        "success" if created else "info",
    )
    return row


@bp.route("/new", methods=["GET", "POST"])
@login_required(role=("tender_officer", "admin"))
def new() -> ResponseReturnValue:
    form = TenderForm()
    found: list[Any] = []
    if form.validate_on_submit():
        found = lot_problems(form)
        if not found:
            try:
                row = _register(tender_file(tender_data(form)), f"{(form.reference.data or '').strip()}.json")
            except (InputError, ApiError) as exc:
                found = _refused(exc)
            else:
                return redirect(url_for(".show", tender_id=row.id))
    elif request.method == "POST":
        found = _field_errors(form)
    status = 422 if request.method == "POST" else 200
    return render_template("pages/tender/new.html", form=form, found=found), status


def _field_errors(form: TenderForm) -> list[Problem]:
    """Each field's error, named by its label (the fields show them too)."""
    found: list[Problem] = []
    for field in form:
        if field.name == "lots":
            for index, entry in enumerate(field):
                for sub in entry.form:
                    found.extend(Problem(str(e), f"Lot row {index + 1}, {sub.label.text}") for e in sub.errors)
        elif field.errors and field.name != "csrf_token":
            found.extend(Problem(str(e), field.label.text) for e in field.errors)
    return found


@bp.post("/upload")
@login_required(role=("tender_officer", "admin"))
@accepts_upload
def upload() -> ResponseReturnValue:
    part = request.files.get("file")
    data = part.read() if part is not None else b""
    problems: list[Any] = []
    if not data:
        problems = [Problem("Choose the tender file to upload (requirements YAML or JSON, ESPD request, OCDS).")]
    else:
        name = intake.safe_filename(part.filename if part else None, part.mimetype if part else None, {}, "tender")
        try:
            row = _register(data, name)
        except (InputError, ApiError) as exc:
            problems = _refused(exc)
        else:
            return redirect(url_for(".show", tender_id=row.id))
    html = render_template("pages/tender/new.html", form=TenderForm(formdata=None), found=problems, uploaded=True)
    return html, 422


def _tender_or_404(tender_id: str) -> dict[str, Any]:
    with service().db.read() as session:
        row = session.get(Tender, tender_id)
        if row is None:
            abort(404)
        return tender_view(session, row, signed_in_user().principal)


def _bidder_choices(text: str) -> tuple[list[register.SupplierRow], bool]:
    """The register's suppliers offered as bidders (those matching ``text``), and whether more match."""
    svc = service()
    with svc.db.read() as session:
        return register.search(
            session, register.SupplierFilter(text=text or None), as_of=svc.today(), after=None, limit=BIDDER_CHOICES
        )


def _show(tender_id: str, problems: list[Any], chosen: list[str], status: int = 200) -> ResponseReturnValue:
    tender = _tender_or_404(tender_id)
    text = (request.args.get("q") or "").strip()[:100]
    bidders, more = _bidder_choices(text)
    return (
        render_template(
            "pages/tender/show.html",
            tender=tender,
            runs=[tender_report.run_summary(run) for run in reversed(tender["eligibility"])],
            bidders=bidders,
            more_bidders=more,
            bidder_limit=BIDDER_CHOICES,
            q=text,
            chosen=set(chosen),
            found=problems,
            may_check=_may("tenders.eligibility"),
            today=service().today(),
        ),
        status,
    )


@bp.get("/<tender_id>")
@login_required(role=READERS)
def show(tender_id: str) -> ResponseReturnValue:
    return _show(tender_id, [], [])


@bp.post("/<tender_id>/eligibility")
@login_required(role="tender_officer")
@accepts_upload
def check(tender_id: str) -> ResponseReturnValue:
    tender = _tender_or_404(tender_id)
    user = signed_in_user()
    chosen = [s.strip() for s in request.form.getlist("supplier") if s.strip()]
    problems: list[Any] = []
    as_of: dt.date | None = None
    if request.form.get("as_of"):
        try:
            as_of = dt.date.fromisoformat(request.form["as_of"])
        except ValueError:
            problems.append(Problem("Give the evaluation date as YYYY-MM-DD.", "Evaluation date"))
    lot = (request.form.get("lot") or "").strip() or None
    if lot is not None and lot not in [found["id"] for found in tender["lots"]]:
        problems.append(Problem(f"The tender has no lot {lot}.", "Lot"))
    files = [f for f in request.files.getlist("bids") if f and f.filename]
    # Every bid file is read, and every bidder from the register looked at, before anything is stored.
    bids = []
    for part in files if not problems else []:
        name = intake.safe_filename(part.filename, part.mimetype, intake.SUBMISSION_MEDIA_TYPES, "bid")
        data = part.read()
        try:
            bids.append((tendering.read_bid(service(), data, name, part.mimetype), data, name, part.mimetype))
        except (InputError, ApiError) as exc:
            problems.extend(Problem(p.message, f"{name}: {p.location}" if p.location else name) for p in _refused(exc))
    if not problems:
        problems = [_named(p, chosen) for p in tendering.bidder_problems(service(), chosen)]
    if not problems and not chosen and not bids:
        problems.append(Problem("Choose at least one bidder from the register, or upload a bid."))
    if not problems:
        for bid, data, name, media_type in bids:
            supplier_id, added = tendering.file_bid(service(), user.principal, bid, data, name, media_type)
            if added:
                flash(f"Supplier {supplier_id} was added to the register from the bid {name}.", "info")
            if supplier_id not in chosen:
                chosen.append(supplier_id)
    if not problems:
        try:
            run = tendering.check_eligibility(service(), user.principal, tender_id, chosen, as_of, lot)
        except (InputError, ApiError) as exc:
            problems = [_named(p, chosen) for p in _refused(exc)]
        else:
            flash("Eligibility checked; the report is stored with the tender.", "success")
            return redirect(url_for(".report", tender_id=tender_id, run_id=run.id))
    return _show(tender_id, problems, chosen, 422)


def _named(problem: Problem, chosen: list[str]) -> Problem:
    """A problem about ``$.suppliers[2]`` named as the bidder it is about."""
    location = problem.location
    if location.startswith("$.suppliers[") and location.endswith("]"):
        index = int(location[len("$.suppliers[") : -1])
        return Problem(problem.message, f"bidder {chosen[index]}" if index < len(chosen) else "")
    return problem


def _run(tender_id: str, run_id: int) -> tuple[dict[str, Any], tender_report.Report]:
    tender = _tender_or_404(tender_id)
    with service().db.read() as session:
        run = tender_store.run_of(session, tender_id, run_id)
        if run is None:
            abort(404)
        account = session.get(Account, run.created_by) if run.created_by is not None else None
        return tender, tender_report.report(run, account.name if account is not None else "—")


@bp.get("/<tender_id>/eligibility/<int:run_id>")
@login_required(role=READERS)
def report(tender_id: str, run_id: int) -> str:
    tender, found = _run(tender_id, run_id)
    return render_template("pages/tender/report.html", tender=tender, report=found)


@bp.get("/<tender_id>/eligibility/<int:run_id>/print")
@login_required(role=READERS)
def printable(tender_id: str, run_id: int) -> str:
    tender, found = _run(tender_id, run_id)
    return render_template("pages/tender/print.html", tender=tender, report=found, printed=service().today())


@bp.get("/<tender_id>/eligibility/<int:run_id>/report.xlsx")
@login_required(role=READERS)
def workbook(tender_id: str, run_id: int) -> Response:
    _, found = _run(tender_id, run_id)
    rendered = supplier_qual.render(tendering.stored_eligibility(found.result_json), "xlsx", pm=service().pm)
    data = rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")
    name = tender_report.download_name(tender_id, run_id)
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})
