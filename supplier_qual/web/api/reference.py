"""``/api/docs``: the API reference as a page, made on the server from the OpenAPI document; no scripts, no CDN."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template
from markupsafe import Markup, escape

METHODS = ("get", "post", "put", "patch", "delete")


def _type(schema: dict[str, Any], spec: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = " or ".join(str(k) for k in kind)
    if kind == "array":
        return f"array of {_type(schema.get('items', {}), spec)}"
    if "enum" in schema:
        return f"{kind}: " + ", ".join(str(v) for v in schema["enum"] if v is not None)
    return str(kind) + (f" ({schema['format']})" if "format" in schema else "")


def _response(response: dict[str, Any], spec: dict[str, Any]) -> str:
    if "$ref" in response:
        name = str(response["$ref"]).rsplit("/", 1)[-1]
        response = spec.get("components", {}).get("responses", {}).get(name, {})
    return str(response.get("description", ""))


def _status_order(item: tuple[str, Any]) -> tuple[bool, str]:
    return item[0] == "default", item[0]


def inline_code(text: str) -> Markup:
    """Text with `backticks` shown as code, everything else escaped."""
    parts = str(escape(text)).split("`")
    return Markup("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))  # noqa: S704


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Each tag with its operations, in the document's order."""
    tags = [
        {"name": t["name"], "description": t.get("description", ""), "operations": []} for t in spec.get("tags", [])
    ]
    by_name = {t["name"]: t for t in tags}
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            tag = by_name.setdefault(
                op.get("tags", ["other"])[0], {"name": "other", "description": "", "operations": []}
            )
            parameters = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "type": _type(p.get("schema", {}), spec),
                    "description": p.get("description", ""),
                }
                for p in [*shared, *op.get("parameters", [])]
            ]
            body = op.get("requestBody", {})
            tag["operations"].append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "public": op.get("security") == [],
                    "parameters": parameters,
                    "body": [
                        {"type": media, "schema": _type(content.get("schema", {}), spec)}
                        for media, content in body.get("content", {}).items()
                    ],
                    "responses": [
                        {"code": code, "description": _response(r, spec)}
                        for code, r in sorted(op.get("responses", {}).items(), key=_status_order)
                    ],
                }
            )
    return [t for t in by_name.values() if t["operations"]]


def schemas(spec: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [
            {
                "name": key,
                "type": _type(value, spec),
                "required": key in required,
                "description": value.get("description", ""),
            }
            for key, value in schema.get("properties", {}).items()
        ]
        found.append({"name": name, "fields": fields})
    return found


def page() -> str:
    spec = current_app.extensions["supplier_qual_api"].spec.to_dict()
    return render_template(
        "reference.html", spec=spec, info=spec.get("info", {}), tags=operations(spec), schemas=schemas(spec)
    )


def register(app: Flask) -> None:
    app.add_url_rule("/api/docs", "api_reference", page)
    app.add_template_filter(inline_code, "code")
