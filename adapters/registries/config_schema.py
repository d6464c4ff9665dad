"""The schema of a registries configuration file (see :mod:`.config`), imported when such a file is read."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

REGISTRY_TYPES = ("iaf_certsearch", "csv_register")


class TimeoutSchema(Schema):
    connect = fields.Float(validate=validate.Range(min=0.01, max=300))
    read = fields.Float(validate=validate.Range(min=0.01, max=600))


class CacheSchema(Schema):
    ttl_hours = fields.Float(validate=validate.Range(min=0, max=24 * 31))
    file = fields.Boolean()
    path = fields.String(validate=validate.Length(min=1))


class RegistrySchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1))
    type = fields.String(required=True, validate=validate.OneOf(REGISTRY_TYPES, error="must be one of {choices}"))
    base_url = fields.Url(schemes={"http", "https"}, require_tld=False)
    api_key_env = fields.String(validate=validate.Regexp(r"^[A-Za-z_][A-Za-z0-9_]*$", error="not a variable name"))
    match_rate = fields.Integer(validate=validate.OneOf(range(80, 101, 5), error="must be 80 to 100 in steps of 5"))
    country = fields.String()
    company_path = fields.String(validate=validate.Regexp(r"^/"))
    certificate_path = fields.String(validate=validate.Regexp(r"^/.*\{cert_id\}"))
    timeout = fields.Nested(TimeoutSchema)
    retries = fields.Integer(validate=validate.Range(0, 10))
    backoff_factor = fields.Float(validate=validate.Range(0, 60))
    max_retry_after = fields.Float(validate=validate.Range(0, 3600))
    cache = fields.Nested(CacheSchema)
    path = fields.String(validate=validate.Length(min=1))

    @validates_schema
    def complete(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("type") == "iaf_certsearch":
            missing = [k for k in ("base_url", "api_key_env") if not data.get(k)]
            if missing:
                raise ValidationError(f"an iaf_certsearch registry needs {' and '.join(missing)}")
        if data.get("type") == "csv_register" and not data.get("path"):
            raise ValidationError("a csv_register registry needs a path")


class FileSchema(Schema):
    registries = fields.List(fields.Nested(RegistrySchema), required=True)
