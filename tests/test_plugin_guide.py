"""docs/plugins.md stays true: its examples run and it documents every hook as declared.

Every ``python`` block of the guide runs, top to bottom, in one namespace from the
repository root (as the guide tells its readers); the blocks assert the effect of
each example plugin themselves. The reference part is checked against
``supplier_qual/hookspecs.py`` and the plugin manager: each hook's exact signature,
whether it is firstresult or collect, and whether the built-in default is trylast.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import sys
from collections.abc import Callable
from typing import Any

import pluggy
import pytest
from click.testing import CliRunner

import supplier_qual
from supplier_qual import hookspecs
from supplier_qual.cli import cli
from supplier_qual.plugins import DEFAULT_PLUGINS, PluginInfo

from .conftest import ROOT
from .guide_blocks import blocks, run_python_blocks

GUIDE = ROOT / "docs" / "plugins.md"
TEXT = GUIDE.read_text(encoding="utf-8")
HOOKS: dict[str, Callable[..., Any]] = {
    name: fn for name, fn in vars(hookspecs).items() if callable(fn) and hasattr(fn, "supplier_qual_spec")
}


def _section(hook: str) -> str:
    match = re.search(rf"^### `{hook}`\n(.*?)(?=^#{{2,3}} )", TEXT, re.S | re.M)
    assert match is not None, f"docs/plugins.md has no section for the hook {hook}"
    return match.group(1)


def _signature(fn: Callable[..., Any]) -> str:
    # hookspecs.py uses postponed annotations, so each annotation is its source text.
    signature = inspect.signature(fn)
    params = ", ".join(f"{p.name}: {p.annotation}" for p in signature.parameters.values())
    return f"{fn.__name__}({params}) -> {signature.return_annotation}"


def test_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SUPPLIER_QUAL_LOAD_PLUGINS", raising=False)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the guide adds the example plugin's folder
    before = set(sys.modules)
    namespace: dict[str, Any] = {"__name__": "plugin_guide"}
    try:
        assert len(run_python_blocks(GUIDE, namespace)) >= len(HOOKS)
        # The guide's "Testing a plugin" section defines tests; run them as pytest would.
        tests = {name: fn for name, fn in namespace.items() if name.startswith("test_") and callable(fn)}
        assert tests
        for test in tests.values():
            test(pm=namespace["fresh_pm"]())
    finally:
        for name in set(sys.modules) - before:
            if name.startswith("sq_first_pass_yield"):
                del sys.modules[name]


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_every_hook_is_documented(hook: str) -> None:
    section = _section(hook)
    spec = HOOKS[hook]
    assert blocks(section, "text")[0].strip() == _signature(spec)
    kind = "firstresult" if spec.supplier_qual_spec["firstresult"] else "collect"  # type: ignore[attr-defined]
    assert f"- **Kind:** {kind}." in section
    assert re.search(rf"^\| \d+ \| `{hook}` \| {kind} \|", TEXT, re.M) or hook in (
        "register_commands",
        "register_routes",
    )
    if hook != "score_outcome":  # whose section registers the example plugin's module
        assert any(f"def {hook}(" in block for block in blocks(section, "python")), f"no example of {hook}"


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_builtin_defaults_are_described(pm: pluggy.PluginManager, hook: str) -> None:
    builtin = re.search(r"^- \*\*Built-in:\*\* (.*?)(?=^\S|^- |\Z)", _section(hook), re.S | re.M)
    assert builtin is not None
    impls = [i for i in getattr(pm.hook, hook).get_hookimpls() if i.plugin_name in DEFAULT_PLUGINS]
    if builtin.group(1).startswith("none"):
        assert impls == []
        return
    assert impls
    for impl in impls:
        name = impl.plugin_name.removeprefix("supplier_qual.")
        assert f"`{name}`" in builtin.group(1), f"the built-in {name} is not described"
        assert (f"`{name}` (`trylast`)" in builtin.group(1)) == impl.trylast


def test_plugins_listing_matches_the_command(pm: pluggy.PluginManager) -> None:
    text = CliRunner().invoke(cli, ["plugins"], obj=pm).output
    listed = next(b for b in blocks(TEXT, "console") if "$ supplier-qual plugins\n" in b)
    lines = listed.split("\n", 1)[1]
    for entry in re.findall(r"^(supplier_qual\.\S+ \S+\n    hooks: .*\n)", lines, re.M):
        assert entry in text

    data = json.loads(CliRunner().invoke(cli, ["plugins", "--json"], obj=pm).output)
    documented = json.loads(next(b for b in blocks(TEXT, "json") if '"distribution"' in b))
    keys = [field.name for field in dataclasses.fields(PluginInfo)]
    assert all(list(entry) == keys for entry in [*documented, *data])
    for entry in documented:
        if entry["name"] in DEFAULT_PLUGINS:
            assert entry in data


def test_the_entry_point_group_is_the_one_loaded() -> None:
    from supplier_qual.plugins import ENTRY_POINT_GROUP, LOAD_PLUGINS_ENV

    assert f"[project.entry-points.{ENTRY_POINT_GROUP}]" in TEXT
    assert f"`{LOAD_PLUGINS_ENV}`" in TEXT
    example = (ROOT / "examples" / "supplier-qual-first-pass-yield" / "pyproject.toml").read_text(encoding="utf-8")
    assert f"[project.entry-points.{ENTRY_POINT_GROUP}]" in example
    assert supplier_qual.hookimpl is hookspecs.hookimpl
