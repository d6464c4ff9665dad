"""The base schema: strict about unknown fields, and errors that say where."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from ..errors import InputError, Problem, json_path, problems_from_messages
from ..limits import date_problem

LARGEST = 1e15
"""No number a supplier or a buyer gives is larger: bounds every sum, weight and product computed from them."""
MOST = 1_000_000_000
"""No count (deliveries, lots, complaints …) is larger."""

NACE_CODE = validate.Regexp(r"^[A-Ua-u]?\s*\d{2}(\.?\d{1,2})?$", error="not a NACE Rev. 2 code (e.g. 25.62)")
"""A NACE Rev. 2 code as buyers write it: ``25.62``, ``C25.62``, ``2562``, ``25``."""


class BaseSchema(Schema):
    """A schema that refuses unknown fields and reports problems with their JSON path."""

    error_class: ClassVar[type[InputError]] = InputError
    _instance: ClassVar[BaseSchema | None] = None

    class Meta:
        unknown = RAISE

    @classmethod
    def _shared(cls) -> BaseSchema:
        # Building a schema copies its declared fields; loading keeps no state, so
        # one instance per class serves every call.
        instance = cls.__dict__.get("_instance")
        if instance is None:
            instance = cls()
            cls._instance = instance
        return instance

    @classmethod
    def parse(cls, data: object, *, source: str = "", prefix: tuple[str | int, ...] = ()) -> Any:
        """Load ``data`` or raise :attr:`error_class` listing every problem found."""
        if not isinstance(data, Mapping):
            found = type(data).__name__ if data is not None else "nothing"
            raise cls.error_class([Problem(f"expected an object, found {found}", json_path(prefix))], source=source)
        try:
            return cls._shared().load(data)
        except ValidationError as exc:
            raise cls.error_class(problems_from_messages(exc.messages, prefix), source=source) from exc


class Text(fields.String):
    """A string with surrounding whitespace removed; ``null`` reads as empty.

    A missing key stays missing (the dataclass default applies), so a partial
    document such as a policy file overrides only what it names.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_none", True)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if value is None:
            return ""
        return str(super()._deserialize(value, attr, data, **kwargs)).strip()


class Number(fields.Float):
    """A finite number; booleans are refused rather than read as 0 and 1."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_nan", False)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        try:
            number = super()._deserialize(value, attr, data, **kwargs)
        except OverflowError:
            raise ValidationError("too large a number") from None
        if abs(number) > LARGEST:
            raise ValidationError("too large a number (at most 10^15)")
        return number


class Count(fields.Integer):
    """A whole number ≥ 0; booleans are refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strict", True)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        number = super()._deserialize(value, attr, data, **kwargs)
        if number < 0:
            raise ValidationError("must be 0 or more")
        if number > MOST:
            raise ValidationError(f"must be at most {MOST:,}")
        return number


class Day(fields.Date):
    """A date (``YYYY-MM-DD``) within the years supplier_qual accepts (:func:`~supplier_qual.limits.date_problem`)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        day = super()._deserialize(value, attr, data, **kwargs)
        problem = date_problem(day)
        if problem:
            raise ValidationError(problem)
        return day


class Table(fields.Dict):
    """A mapping whose errors are reported at the entry (``$.due_days.major``), not ``….major.value``."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        try:
            return super()._deserialize(value, attr, data, **kwargs)  # type: ignore[no-untyped-call]
        except ValidationError as exc:
            if not isinstance(exc.messages, dict):
                raise
            flat: dict[Any, Any] = {}
            for entry, messages in exc.messages.items():
                if isinstance(messages, dict) and set(messages) <= {"key", "value"}:
                    parts = [messages[k] for k in ("key", "value") if k in messages]
                    merged = parts[0] if len(parts) == 1 else [*_as_list(parts[0]), *_as_list(parts[1])]
                    flat[entry] = merged
                else:
                    flat[entry] = messages
            raise ValidationError(flat) from exc


def _as_list(messages: Any) -> list[Any]:
    return messages if isinstance(messages, list) else [messages]
