"""marshmallow schemas for everything that crosses a boundary: files, the CLI, the web API.

Each schema rejects unknown fields; :meth:`BaseSchema.parse` turns marshmallow's
messages into located :class:`~supplier_qual.errors.Problem` s.
"""
