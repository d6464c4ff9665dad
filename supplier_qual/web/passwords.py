"""Passwords of the pages' users: hashed with Argon2id (argon2-cffi), checked in constant time, with simple rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1024
_HASHER = PasswordHasher()
# Checked when no account has the e-mail given, so that a refusal takes as long either way.
_DUMMY_HASH = _HASHER.hash("not a password of anyone's")


def hash_password(password: str) -> str:
    """The Argon2id hash to store for ``password``."""
    return _HASHER.hash(password)


def verify(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored``; with no stored hash, as slow as a real check and always ``False``."""
    try:
        if stored is None:
            _HASHER.verify(_DUMMY_HASH, password)
            return False
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made with weaker settings than today's and should be replaced at the next sign-in."""
    return _HASHER.check_needs_rehash(stored)


def problems(password: str, email: str = "") -> list[str]:
    """What is wrong with ``password`` as a new password, in the user's words; empty when it will do."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(f"Choose a password of at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        found.append(f"Choose a password of at most {MAX_LENGTH} characters.")
    if password and len(set(password)) < 4:
        found.append("Choose a password with more different characters.")
    if email and password.strip().lower() == email.strip().lower():
        found.append("Your password must not be your e-mail address.")
    return found
