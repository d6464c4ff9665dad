"""A connector's configuration (YAML): which procurement system, how to page through it, where to push.

See ``docs/connectors.md``. Problems are configuration errors naming the file and
the key (``connector.yaml: $.pull.pagination: must be one of cursor, page``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marshmallow import fields, post_load, validate

from supplier_qual.documents import read_bytes
from supplier_qual.errors import ConfigurationError, InputError
from supplier_qual.http import Endpoint
from supplier_qual.schemas.base import BaseSchema, Count, Number, Text
from supplier_qual.strict_yaml import parse_yaml


@dataclass(frozen=True)
class Pull:
    """How records are pulled: the path, where the list sits in a page, and how pages follow each other."""

    path: str
    items: str = "items"
    pagination: str = "cursor"
    cursor_param: str = "cursor"
    next_cursor: str = "next_cursor"
    page_param: str = "page"
    first_page: int = 1
    size_param: str = "page_size"
    id_field: str = "id"
    max_pages: int = 1000


@dataclass(frozen=True)
class Push:
    """Where results are pushed (POST), one request per result file."""

    path: str


@dataclass(frozen=True)
class Connector:
    """A configured procurement system."""

    endpoint: Endpoint
    page_size: int = 100
    pull: Pull | None = None
    push: Push | None = None


class _PullSchema(BaseSchema):
    path = Text(required=True, validate=validate.Length(min=1))
    items = Text(load_default="items")
    pagination = Text(
        load_default="cursor", validate=validate.OneOf(("cursor", "page"), error="must be one of {choices}")
    )
    cursor_param = Text(load_default="cursor")
    next_cursor = Text(load_default="next_cursor")
    page_param = Text(load_default="page")
    first_page = Count(load_default=1)
    size_param = Text(load_default="page_size")
    id_field = Text(load_default="id")
    max_pages = Count(load_default=1000, validate=validate.Range(1, 100_000, error="must be 1 to 100,000"))

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Pull:
        return Pull(**data)


class _PushSchema(BaseSchema):
    path = Text(required=True, validate=validate.Length(min=1))

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Push:
        return Push(**data)


class _TimeoutsSchema(BaseSchema):
    connect = Number(load_default=5.0, validate=validate.Range(0.1, 300, error="must be 0.1 to 300 seconds"))
    read = Number(load_default=30.0, validate=validate.Range(0.1, 600, error="must be 0.1 to 600 seconds"))


class ConnectorSchema(BaseSchema):
    name = Text(load_default="")
    base_url = Text(required=True, validate=validate.Regexp(r"^https?://", error="must be an http:// or https:// URL"))
    token_env = Text(
        load_default="",
        validate=validate.Regexp(r"^[A-Za-z_][A-Za-z0-9_]*$|^$", error="must be the name of an environment variable"),
    )
    auth_scheme = Text(
        load_default="Bearer", validate=validate.OneOf(("Bearer", "Basic", "Token"), error="must be one of {choices}")
    )
    page_size = Count(load_default=100, validate=validate.Range(1, 10_000, error="must be 1 to 10,000"))
    timeouts = fields.Nested(_TimeoutsSchema, load_default=lambda: {"connect": 5.0, "read": 30.0})
    retries = Count(load_default=3, validate=validate.Range(0, 10, error="must be 0 to 10"))
    backoff_factor = Number(load_default=0.5, validate=validate.Range(0, 30, error="must be 0 to 30 seconds"))
    max_retry_after = Number(load_default=60.0, validate=validate.Range(0, 3600, error="must be 0 to 3600 seconds"))
    pull = fields.Nested(_PullSchema, load_default=None)
    push = fields.Nested(_PushSchema, load_default=None)

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Connector:
        endpoint = Endpoint(
            name=data["name"] or data["base_url"],
            base_url=data["base_url"],
            token_env=data["token_env"],
            auth_scheme=data["auth_scheme"],
            connect_timeout=data["timeouts"]["connect"],
            read_timeout=data["timeouts"]["read"],
            retries=data["retries"],
            backoff_factor=data["backoff_factor"],
            max_retry_after=data["max_retry_after"],
        )
        return Connector(endpoint, data["page_size"], data["pull"], data["push"])


def load_connector(path: Path) -> Connector:
    """A connector from its YAML file.

    :raises ConfigurationError: unreadable or invalid, every problem with its key.
    """
    source = str(path)
    try:
        data = parse_yaml(read_bytes(path, what="connector file"), source=source)
        connector: Connector = ConnectorSchema.parse(data, source=source)
    except InputError as exc:
        raise ConfigurationError("; ".join(str(p) for p in exc.problems)) from exc
    return connector
