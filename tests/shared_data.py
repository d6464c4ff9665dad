"""Where the shared samples and schemas are: ``SUPPLIER_QUAL_SHARED``, a ``shared/`` beside a parent, /work/shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import ROOT


def shared() -> Path | None:
    candidates = [Path(os.environ["SUPPLIER_QUAL_SHARED"])] if os.environ.get("SUPPLIER_QUAL_SHARED") else []
    candidates += [parent / "shared" for parent in ROOT.parents]
    candidates.append(Path("/work/shared"))
    return next((c for c in candidates if (c / "samples").is_dir()), None)


def sample(*parts: str) -> Path:
    """A shared sample file; the test is skipped when the shared folder is absent."""
    root = shared()
    path = root.joinpath("samples", *parts) if root else None
    if path is None or not path.is_file():
        pytest.skip(f"shared sample {'/'.join(parts)} is not available")
    return path


def schema(*parts: str) -> Path:
    """A shared published schema; the test is skipped when it is absent."""
    root = shared()
    path = root.joinpath("schemas", *parts) if root else None
    if path is None or not path.is_file():
        pytest.skip(f"shared schema {'/'.join(parts)} is not available")
    return path
