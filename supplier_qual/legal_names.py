"""Is this company that company? Legal names compared as a buyer's register would.

A *legal name key* is the name with its legal form (Ltd, Limited, GmbH, s.r.o.,
S.A., Inc, Sp. z o.o., ТОВ …), case, punctuation and accents taken out and ``&``
read as "and": ``Northwind Components Ltd``, ``NORTHWIND COMPONENTS LIMITED`` and
``Northwind Components`` share one key; ``Northwind Castings Ltd`` does not, nor
does ``Northwind Components (UK) Ltd``. The comparison is strict on the
distinctive words: a certificate of a sister company or a parent group is another
company's certificate.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Legal forms as words once dots are dropped ("s.r.o." → "sro", "Sp. z o.o." → "sp z oo").
_FORMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(form.split())
    for form in (
        "ltd",
        "limited",
        "plc",
        "public limited company",
        "llc",
        "llp",
        "lp",
        "limited liability company",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "gmbh",
        "mbh",
        "ag",
        "kg",
        "ohg",
        "ug",
        "gmbh and co kg",
        "se",
        "sa",
        "sas",
        "sasu",
        "sarl",
        "eurl",
        "snc",
        "spa",
        "srl",
        "sl",
        "slu",
        "sau",
        "lda",
        "ltda",
        "sro",
        "spol s ro",
        "spol sro",
        "as",
        "sp z oo",
        "spzoo",
        "sa de cv",
        "de cv",
        "cv",
        "bv",
        "nv",
        "vof",
        "oy",
        "oyj",
        "ab",
        "publ",
        "asa",
        "aps",
        "a s",
        "kft",
        "zrt",
        "nyrt",
        "doo",
        "dd",
        "ad",
        "ead",
        "ood",
        "kk",
        "pty",
        "pty ltd",
        "pvt",
        "pvt ltd",
        "private limited",
        "bhd",
        "sdn bhd",
        "tbk",
        "pt",
        "ooo",
        "zao",
        "oao",
        "pao",
        "tov",
        "sc",
        "the",
        "eood",
        "тов",
        "пп",
        "фоп",
        "ооо",
        "зао",
        "оао",
        "пат",
        "ат",
        "прат",
    )
)
_LEADING = frozenset(
    (form,)
    for form in ("ab", "pt", "ooo", "zao", "oao", "pao", "tov", "sc", "the", "тов", "пп", "фоп", "ооо", "пат", "прат")
)


@functools.lru_cache(maxsize=4096)
def legal_name_key(name: str) -> str:
    """``"Brightline Fabrication s.r.o."`` → ``"brightline fabrication"``; ``ТОВ «Ромашка»`` → ``ромашка``."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ").replace(".", "")
    words = re.sub(r"[\W_]+", " ", text).split()
    changed = True
    while changed and words:
        changed = False
        for form in sorted(_FORMS, key=len, reverse=True):
            if len(words) > len(form) and tuple(words[-len(form) :]) == form:
                words = words[: -len(form)]
                changed = True
                break
            if form in _LEADING and len(words) > len(form) and tuple(words[: len(form)]) == form:
                words = words[len(form) :]
                changed = True
                break
        while words and words[-1] == "and":
            words.pop()
            changed = True
    return " ".join(words)


def same_legal_entity(first: str, second: str) -> bool:
    """Whether two legal names name the same company once legal forms, case, punctuation and accents go."""
    a, b = legal_name_key(first), legal_name_key(second)
    return bool(a) and a == b


def identifier_key(identifier: str) -> str:
    """A company identifier compared without case or spaces: ``gb-coh-04567123`` = ``GB-COH-04567123``."""
    return re.sub(r"\s+", "", identifier).casefold()
