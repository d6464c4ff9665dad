"""Does a certificate's scope cover what is supplied? IAF codes, NACE codes, scope text, sites.

Every qualification is for a *scope of supply*: what the buyer buys. The policy's
``certificates`` section (``required_iaf_codes``, ``required_nace``,
``scope_keywords``, ``supplying_sites``, or ``supplier-qual verify``'s options)
states it, or the submission's ``scope_of_supply`` does (description, IAF codes,
NACE codes, sites); the policy wins where both state the same part
(:func:`scope_of_supply`).

Each part stated gives one advisory check with a *verdict*: ``covers``,
``does_not_cover`` or ``cannot_tell`` (the certificate does not say), and a message
naming what decided it. The certificate's status does not change: a certificate
about something else is still a valid certificate, just not evidence for this
purchase. Most certificates print no IAF codes: where the certificate lists none,
a scope text that covers what is supplied (the buyer's keywords, else the
description of the supply) settles what the codes could not.

Scope text is matched without a black box: words are lower-cased, stripped of
accents and of common English endings (``machining``, ``machined``, ``machine`` all
become ``machin``), and filler words are ignored. A keyword or phrase *covers*
when its words appear together in the scope; it *does not cover* when none of its
words appear, or only after an exclusion ("excluding design"); otherwise the
verdict is *cannot tell*, naming the words found.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Certificate, CertificateCheck, ScopeOfSupply, Site
from .policy import CertificateRules
from .sectors import SectorTable, country_code, normalise_nace, plain

_FILLER = frozenset(
    (
        "a",
        "an",
        "and",
        "or",
        "of",
        "the",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "as",
        "its",
        "their",
        "our",
        "other",
        "related",
        "including",
        "includes",
        "associated",
        "activities",
        "activity",
    )
)
# An exclusion runs from its marker to the end of the clause.
_EXCLUSION = re.compile(
    r"\b(?:excluding|excluded|exclusions?|except|excl|other than|not including|with the exception of|without)\b"
    r"[^;.()\n]*",
    re.IGNORECASE,
)
_EVERY_SECTOR = (
    "all sectors",
    "all industries",
    "all activities",
    "all products",
    "all services",
    "all products and services",
    "any product",
    "any service",
    "general trading",
    "general services",
    "all iaf codes",
)


@functools.lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A crude English stem, the same for a word's common forms: ``castings`` → ``cast``."""
    for _ in range(2):
        before = word
        for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
            if not word.endswith(suffix) or len(word) - len(suffix) < 3:
                continue
            if suffix == "s" and word.endswith("ss"):
                break
            if suffix == "es" and not word[:-2].endswith(("s", "x", "z", "ch", "sh")):
                continue
            word = word[: -len(suffix)] + replacement
            break
        if word == before:
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def words(text: str) -> list[str]:
    """The stems of ``text``'s meaningful words, in order."""
    return list(_words(text))


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in plain(text).split() if w not in _FILLER)


@dataclass(frozen=True)
class KeywordVerdict:
    """How one required keyword or phrase fares against a scope statement."""

    keyword: str
    verdict: str
    reason: str


@functools.lru_cache(maxsize=4096)
def match_keyword(scope: str, keyword: str) -> KeywordVerdict:
    """Whether ``scope`` covers ``keyword`` (a word or phrase), and the words that decided."""
    wanted = words(keyword)
    if not wanted:
        return KeywordVerdict(keyword, "cannot_tell", "the keyword has no meaningful word")
    if not scope.strip():
        return KeywordVerdict(keyword, "cannot_tell", "the certificate gives no scope statement")
    exclusions = [m.group(0).strip() for m in _EXCLUSION.finditer(scope)]
    included = words(_EXCLUSION.sub(" ; ", scope))
    if _contains(included, wanted):
        return KeywordVerdict(keyword, "covers", f'"{keyword}" is in the scope')
    for excluded in exclusions:
        if _contains(words(excluded), wanted):
            return KeywordVerdict(keyword, "does_not_cover", f'"{keyword}" is excluded ("{excluded}")')
    found = [w for w in dict.fromkeys(wanted) if w in included]
    if found:
        return KeywordVerdict(
            keyword, "cannot_tell", f'"{keyword}": the scope has {_quoted(found)} but not the whole phrase'
        )
    return KeywordVerdict(keyword, "does_not_cover", f'"{keyword}": none of its words is in the scope')


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    size = len(needle)
    return any(list(haystack[i : i + size]) == list(needle) for i in range(len(haystack) - size + 1))


def _quoted(items: Iterable[str]) -> str:
    return ", ".join(f'"{item}"' for item in items)


def scope_of_supply(rules: CertificateRules, stated: ScopeOfSupply | None = None) -> ScopeOfSupply:
    """What is supplied: the policy's requirements, completed by what the submission states.

    The policy wins part by part (its IAF codes over the submission's, its sites over
    the submission's …); the description comes from the submission.
    """
    stated = stated or ScopeOfSupply()
    policy = ScopeOfSupply(
        iaf_codes=rules.required_iaf_codes,
        nace=rules.required_nace,
        sites=rules.supplying_sites,
        keywords=rules.scope_keywords,
    )
    merged = ScopeOfSupply(
        description=stated.description,
        iaf_codes=policy.iaf_codes or stated.iaf_codes,
        nace=policy.nace or stated.nace,
        sites=policy.sites or stated.sites,
        keywords=policy.keywords,
    )
    sources = [name for name, part in (("policy", policy), ("submission", stated)) if part.stated]
    return dataclasses.replace(merged, source=" and ".join(sources))


def scope_in_words(scope: ScopeOfSupply | None) -> str:
    """The scope of supply in a line: ``Machined valve bodies; IAF 17; NACE 25.62; sites Leeds, GB``."""
    if scope is None or not scope.stated:
        return "not stated (the certificates' scope could not be checked)"
    parts = [scope.description] if scope.description else []
    if scope.iaf_codes:
        parts.append("IAF " + ", ".join(str(c) for c in scope.iaf_codes))
    if scope.nace:
        parts.append("NACE " + ", ".join(scope.nace))
    if scope.sites:
        parts.append("sites " + "; ".join(scope.sites))
    if scope.keywords:
        parts.append("must mention " + ", ".join(f'"{k}"' for k in scope.keywords))
    return "; ".join(parts) + (f" (stated by the {scope.source})" if scope.source else "")


def scope_checks(
    certificate: Certificate, scope: ScopeOfSupply, sectors: SectorTable, *, wide_scope_codes: int = 10
) -> list[CertificateCheck]:
    """Advisory checks of the certificate's scope against what is supplied, and of its breadth."""
    codes = [
        check
        for check in (
            _iaf_codes(certificate, scope.iaf_codes, sectors),
            _nace(certificate, scope.nace, sectors),
        )
        if check is not None
    ]
    uncoded = bool(codes) and not certificate.iaf_codes
    keywords = scope.keywords or ((scope.description,) if scope.description and (uncoded or not codes) else ())
    text = _text(certificate, keywords)
    if text is not None and uncoded and text.verdict == "covers":
        # The codes could not tell (the certificate prints none); the scope text can.
        text = dataclasses.replace(
            text,
            message=f"{text.message} (settles the IAF codes the certificate does not print)",
            supersedes=tuple(c.check for c in codes),
        )
    checks = [*codes, *(c for c in (text, _sites(certificate, scope.sites)) if c is not None)]
    breadth = _breadth(certificate, wide_scope_codes)
    return [*checks, breadth] if breadth else checks


def _scope_check(name: str, verdict: str, message: str) -> CertificateCheck:
    return CertificateCheck(name, verdict == "covers", message, aspect="scope", verdict=verdict, advisory=True)


def _iaf_codes(certificate: Certificate, required: Sequence[int], sectors: SectorTable) -> CertificateCheck | None:
    if not required:
        return None
    wanted = ", ".join(sectors.name(code) for code in required)
    if not certificate.iaf_codes:
        return _scope_check(
            "scope_iaf_codes",
            "cannot_tell",
            f"{wanted} required; the certificate lists no IAF codes (few certificates print them: "
            "ask the certification body or a registry)",
        )
    missing = [code for code in required if code not in certificate.iaf_codes]
    listed = ", ".join(str(code) for code in certificate.iaf_codes)
    if not missing:
        return _scope_check("scope_iaf_codes", "covers", f"covers {wanted} (certificate lists IAF {listed})")
    return _scope_check(
        "scope_iaf_codes",
        "does_not_cover",
        f"does not cover {', '.join(sectors.name(code) for code in missing)}: the certificate lists IAF {listed}",
    )


def _nace(certificate: Certificate, required: Sequence[str], sectors: SectorTable) -> CertificateCheck | None:
    if not required:
        return None
    verdicts, reasons = [], []
    for nace in required:
        codes = sectors.for_nace(nace)
        shown = normalise_nace(nace) or nace
        if not codes:
            verdicts.append("cannot_tell")
            reasons.append(f"NACE {shown} is not a code the IAF table maps ({sectors.origin})")
        elif not certificate.iaf_codes:
            verdicts.append("cannot_tell")
            reasons.append(f"NACE {shown} falls under IAF {_or(codes)}; the certificate lists no IAF codes")
        elif hits := [c for c in codes if c in certificate.iaf_codes]:
            verdicts.append("covers")
            reasons.append(f"NACE {shown} falls under {sectors.name(hits[0])}, which the certificate lists")
        else:
            verdicts.append("does_not_cover")
            listed = ", ".join(str(c) for c in certificate.iaf_codes)
            reasons.append(f"NACE {shown} falls under IAF {_or(codes)}; the certificate lists IAF {listed}")
    return _scope_check("scope_nace", _combine(verdicts), "; ".join(reasons))


def _or(codes: Sequence[int]) -> str:
    return " or ".join(str(code) for code in codes)


def _text(certificate: Certificate, keywords: Sequence[str]) -> CertificateCheck | None:
    if not keywords:
        return None
    scopes = [certificate.scope, *(site.scope for site in certificate.sites)]
    found = [match_keyword(" ; ".join(s for s in scopes if s), keyword) for keyword in keywords]
    return _scope_check(
        "scope_text", _combine([f.verdict for f in found]), "; ".join(f"{_WORDS[f.verdict]} {f.reason}" for f in found)
    )


_WORDS = {"covers": "covers:", "does_not_cover": "does not cover:", "cannot_tell": "cannot tell:"}


def _combine(verdicts: Sequence[str]) -> str:
    if "does_not_cover" in verdicts:
        return "does_not_cover"
    return "covers" if all(v == "covers" for v in verdicts) else "cannot_tell"


def parse_site(text: str) -> Site:
    """``"Leeds, GB"`` → city Leeds, country GB; ``"GB"`` → country only; ``"Leeds"`` → city only."""
    city, _, country = text.rpartition(",")
    if not city:
        code = country_code(country)
        return Site(country=code or "") if code else Site(city=country.strip())
    return Site(city=city.strip(), country=country.strip())


def _sites(certificate: Certificate, required: Sequence[str]) -> CertificateCheck | None:
    if not required:
        return None
    verdicts, reasons = [], []
    for text in required:
        wanted = parse_site(text)
        if not certificate.sites:
            verdicts.append("cannot_tell")
            reasons.append(f"{text}: the certificate lists no sites")
            continue
        hit = next((s for s in certificate.sites if _site_matches(s, wanted, certificate.country)), None)
        if hit is None:
            verdicts.append("does_not_cover")
            listed = "; ".join(_site_name(s, certificate.country) for s in certificate.sites)
            reasons.append(f"{text} is not among the certified sites ({listed})")
        else:
            verdicts.append("covers")
            kind = "the main site" if hit.main else "a certified site"
            reasons.append(f"{text} is {kind} ({_site_name(hit, certificate.country)})")
    return _scope_check("scope_sites", _combine(verdicts), "; ".join(reasons))


def covers_site(certificate: Certificate, wanted: Site, default_country: str = "") -> bool:
    """Whether ``certificate`` lists ``wanted`` (same country, the city in its city or address) among its sites."""
    return any(_site_matches(s, wanted, certificate.country or default_country) for s in certificate.sites)


def covers_scope_of(newer: Certificate, older: Certificate) -> bool:
    """Whether ``newer``'s scope covers ``older``'s: every IAF code and every meaningful scope word."""
    if not set(older.iaf_codes) <= set(newer.iaf_codes):
        return False
    return not older.scope or set(words(older.scope)) <= set(words(_EXCLUSION.sub(" ; ", newer.scope)))


def covers_sites_of(newer: Certificate, older: Certificate) -> bool:
    """Whether ``newer`` lists every site ``older`` lists."""
    return all(covers_site(newer, site, older.country) for site in older.sites)


def _site_matches(site: Site, wanted: Site, default_country: str) -> bool:
    if wanted.country:
        have = site.country or default_country
        if not have or (country_code(have) or plain(have)) != (country_code(wanted.country) or plain(wanted.country)):
            return False
    if wanted.city:
        city = plain(wanted.city)
        place = f" {plain(site.city)} {plain(site.address)} "
        return f" {city} " in place
    return True


def _site_name(site: Site, default_country: str) -> str:
    parts = [site.address or site.city, site.country or default_country]
    return ", ".join(p for p in parts if p)


def _breadth(certificate: Certificate, limit: int) -> CertificateCheck | None:
    text = f" {plain(certificate.scope)} "
    phrase = next((p for p in _EVERY_SECTOR if f" {p} " in text), None)
    if len(certificate.iaf_codes) < limit and phrase is None:
        return None
    why = (
        f'the scope claims "{phrase}"'
        if phrase
        else f"the certificate lists {len(certificate.iaf_codes)} of the 39 IAF codes"
    )
    return CertificateCheck(
        "scope_breadth",
        False,
        f"red flag: scope so wide it covers every sector ({why}); an accredited scope names the "
        "organisation's actual products and services",
        aspect="scope",
        advisory=True,
        red_flag=True,
    )
