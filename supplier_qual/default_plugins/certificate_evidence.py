"""What the checked certificates say about the outcomes: assurance, findings and limits.

A certificate that *counts* (valid, accredited, to ISO 9001 or a standard the policy
accepts in its place, trusted, covering what is supplied) lifts every outcome's
assurance to ``certified`` (``verified`` when a registry confirmed it) but never
its score: certification concerns the management system, not the product.

Against outcome A:

- a certificate that fails a rule, a red flag, a trust check (another company's
  certificate, surveillance unconfirmed, a declaration no registry confirmed) or a
  scope that does not cover what is supplied is a finding with a corrective action;
  certificates to other management-system standards (ISO 14001, ISO 45001 …) are
  listed and checked but never asked to be ISO 9001;
- a registry that knows the certificate under another holder (suspected
  counterfeit) makes the supplier not qualified;
- a suspended or withdrawn certificate makes it not qualified unless a valid,
  accredited, trusted successor covers the same scope and sites and was issued no
  earlier (a transfer between certification bodies, IAF MD 2); then it is a finding.
"""

from __future__ import annotations

from ..certificates import STATUS_WORDS
from ..context import Context
from ..hookspecs import hookimpl
from ..model import CertificateResult, Evidence, Finding, Limit, Questionnaire, Submission
from ..outcomes import Outcome
from ..scope import covers_scope_of, covers_sites_of

SOURCE = "certificate"
_ACTIONS = {
    "obsolete_standard": "Send a certificate to the current edition of the standard (ISO 9001:2015).",
    "suspended": "Explain the suspension and send the certification body's confirmation that it has been lifted.",
    "withdrawn": "Obtain new accredited certification, or send the certificate of the body you transferred to.",
    "unaccredited": "Send a certificate issued under accreditation by an IAF MLA signatory for the standard.",
    "not_yet_valid": "Send the certificate once it is in force.",
    "expired": "Send the renewed certificate (recertification).",
    "invalid": "Send a complete copy of the certificate: number, holder, issue and expiry dates.",
}
_TRUST_ACTIONS = {
    "holder": "Send your own certificate: the holder named on it must be your legal entity, or list you as a site.",
    "surveillance": "Send the report of your latest surveillance audit from the certification body.",
    "declaration": "Send the certificate itself, or its registry entry (IAF CertSearch or the certification body's).",
}
_RED_FLAG = (
    "Explain the red flag on certificate {number} ({check}) and have your certification body confirm the "
    "certificate in writing."
)
_ENDED = ("suspended", "withdrawn")


@hookimpl
def score_outcome(
    outcome: Outcome, submission: Submission, questionnaire: Questionnaire, context: Context
) -> Evidence | None:
    counting = [r for r in context.certificates if r.counts]
    assurance = ("verified" if any(r.verified_by for r in counting) else "certified") if counting else None
    if outcome.id != "A":
        return Evidence(source=SOURCE, assurance=assurance) if counting else None
    findings: list[Finding] = []
    limits: list[Limit] = []
    for result in context.certificates:
        successor = _successor(result, context) if result.qualifying and result.status in _ENDED else None
        findings += _findings(result, successor)
        limits += _limits(result, successor)
    if not counting and not findings and not limits:
        return None
    return Evidence(source=SOURCE, assurance=assurance, findings=tuple(findings), limits=tuple(limits))


def _name(result: CertificateResult) -> str:
    return f"Certificate {result.certificate.number or '(no number)'}"


def _findings(result: CertificateResult, successor: CertificateResult | None) -> list[Finding]:
    name = _name(result)
    if not result.qualifying:
        if result.valid or not result.family:
            return []
        return [
            Finding("A", "observation", f"{name} ({result.family}) is {STATUS_WORDS[result.status]}", source=SOURCE)
        ]
    found: list[Finding] = []
    deciding = None
    if not result.valid:
        deciding = next((c for c in result.checks if not c.passed and c.status == result.status), None)
        message = f"{name} is {STATUS_WORDS[result.status]}: " + (deciding.message if deciding else "")
        if successor is not None:
            found.append(
                Finding(
                    "A",
                    "observation",
                    f"{message}; certificate {successor.certificate.number} from "
                    f"{successor.certificate.certification_body or 'another certification body'} succeeds it, "
                    "covering the same scope and sites (a transfer between certification bodies, IAF MD 2)",
                    source=SOURCE,
                )
            )
        else:
            severity = "critical" if result.status in _ENDED else "major"
            found.append(Finding("A", severity, message, source=SOURCE, action=_ACTIONS.get(result.status, "")))
    for check in result.counterfeit:
        found.append(
            Finding(
                "A",
                "critical",
                f"{name}: {check.message}",
                source=SOURCE,
                action="Explain why the registry lists this certificate under another company, and send your own.",
            )
        )
    for check in result.untrusted:
        if check is deciding or check.counterfeit:
            continue
        number = result.certificate.number or "(no number)"
        action = _TRUST_ACTIONS.get(check.check) or _RED_FLAG.format(number=number, check=check.check.replace("_", " "))
        found.append(Finding("A", "major", f"{name}: {check.message}", source=SOURCE, action=action))
    if result.valid and result.scope in ("does_not_cover", "cannot_tell"):
        scope = [c.message for c in result.checks if c.aspect == "scope" and c.verdict and c.verdict != "covers"]
        words = "does not cover" if result.scope == "does_not_cover" else "may not cover (cannot tell)"
        found.append(
            Finding(
                "A",
                "major",
                f"{name} {words} what is supplied: " + "; ".join(scope),
                source=SOURCE,
                action="Show that your certification covers the products, activities and sites supplied to us.",
            )
        )
    return found


def _limits(result: CertificateResult, successor: CertificateResult | None) -> list[Limit]:
    limits = [Limit("not_qualified", "counterfeit", c.message, "A", SOURCE) for c in result.counterfeit]
    if result.qualifying and result.status in _ENDED and successor is None:
        limits.append(
            Limit(
                "not_qualified",
                "certificate",
                f"{_name(result)} is {result.status}: the certification body found the quality management system "
                "failing or ended the certification, and no valid, accredited successor covering the same scope "
                "and sites was presented",
                "A",
                SOURCE,
            )
        )
    return limits


def _number_key(number: str) -> str:
    return "".join(ch for ch in number.casefold() if ch.isalnum())


def _successor(old: CertificateResult, context: Context) -> CertificateResult | None:
    """A valid, accredited, trusted certificate that takes over ``old``'s scope and sites, issued no earlier.

    The sites it must cover are the scope of supply's, or, where none is stated, all of ``old``'s.
    """
    before = old.certificate
    for new in context.certificates:
        after = new.certificate
        if new is old or not (new.valid and new.qualifying) or new.untrusted or new.counterfeit:
            continue
        if _number_key(after.number) == _number_key(before.number):
            continue  # the same certificate listed twice is not its own successor
        if before.issued is None or after.issued is None or after.issued < before.issued:
            continue
        if context.scope.sites:
            sites = any(c.check == "scope_sites" and c.verdict == "covers" for c in new.checks)
        else:
            sites = covers_sites_of(after, before)
        if sites and covers_scope_of(after, before):
            return new
    return None
