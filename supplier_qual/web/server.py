"""Running the service under gunicorn from ``supplier-qual serve``: each worker builds its own application."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gunicorn.app.base import BaseApplication


class Server(BaseApplication):  # type: ignore[misc]
    """gunicorn with the service as its application, configured in code rather than by a file."""

    def __init__(self, config: Mapping[str, Any], options: Mapping[str, Any]) -> None:
        self.config = dict(config)
        self.options = dict(options)
        super().__init__(prog="supplier-qual serve")

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from . import create_app

        return create_app({**self.config, "AUTO_MIGRATE": False})


def serve(config: Mapping[str, Any], *, host: str, port: int, workers: int, timeout: int = 60) -> None:
    """Serve until interrupted."""
    Server(
        config,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "timeout": timeout,
            "graceful_timeout": 10,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "limit_request_line": 8190,
        },
    ).run()
