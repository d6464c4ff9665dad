"""The plugin manager: built-in plugins, third-party plugins and what each implements.

Built-in behaviour is written as plugins (:data:`DEFAULT_PLUGINS`, registered by
module name). Third-party plugins are found through the entry-point group
``supplier_qual``. The environment variable ``SUPPLIER_QUAL_LOAD_PLUGINS`` restricts
which installed plugins load: a comma-separated list of entry-point names; empty
loads none. The built-ins always load: a plugin that disagrees with one overrides
it (``firstresult`` hooks) or adds to it.
"""

from __future__ import annotations

import functools
import importlib
import os
import weakref
from dataclasses import dataclass

import pluggy

from . import hookspecs
from ._version import VERSION

DEFAULT_PLUGINS: tuple[str, ...] = (
    "supplier_qual.default_plugins.questionnaires",
    "supplier_qual.default_plugins.scoring",
    "supplier_qual.default_plugins.certificates",
    "supplier_qual.default_plugins.certificate_evidence",
    "supplier_qual.default_plugins.performance",
    "supplier_qual.default_plugins.policy",
    "supplier_qual.default_plugins.eligibility",
    "supplier_qual.default_plugins.tenders",
    "supplier_qual.default_plugins.render",
    "supplier_qual.adapters.json_reader",
    "supplier_qual.adapters.xlsx.reader",
    "supplier_qual.adapters.xlsx.report",
    "supplier_qual.adapters.xlsx.commands",
    "supplier_qual.adapters.registries.certsearch",
    "supplier_qual.adapters.registries.csv_register",
    "supplier_qual.adapters.espd",
    "supplier_qual.adapters.ocds",
    "supplier_qual.adapters.prozorro",
    "supplier_qual.adapters.procurement_rest",
)
ENTRY_POINT_GROUP = "supplier_qual"
LOAD_PLUGINS_ENV = "SUPPLIER_QUAL_LOAD_PLUGINS"


def get_plugin_manager(load_entrypoints: bool = True) -> pluggy.PluginManager:
    """A new plugin manager with the built-in plugins and, unless told not to, installed ones.

    Every registered plugin is checked against the hook specifications, so a
    misspelled hook fails here rather than being silently ignored.
    """
    pm = pluggy.PluginManager("supplier_qual")
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    wanted = _wanted()
    if load_entrypoints:
        if wanted is None:
            pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        else:
            for name in sorted(wanted):
                pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP, name=name)
    pm.check_pending()
    return pm


@functools.cache
def shared_plugin_manager() -> pluggy.PluginManager:
    """The plugin manager of calls that name none: built-in and installed plugins, built once per process."""
    return get_plugin_manager()


def _wanted() -> set[str] | None:
    value = os.environ.get(LOAD_PLUGINS_ENV)
    if value is None:
        return None
    return {part.strip() for part in value.split(",") if part.strip()}


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin: its name, version, where it comes from and the hooks it implements."""

    name: str
    version: str
    distribution: str
    hooks: tuple[str, ...]


_listed: weakref.WeakKeyDictionary[pluggy.PluginManager, tuple[object, tuple[tuple[str, str], ...]]] = (
    weakref.WeakKeyDictionary()
)


def plugin_versions(pm: pluggy.PluginManager) -> tuple[tuple[str, str], ...]:
    """``(name, version)`` of every registered plugin, sorted by name, as provenance records them.

    Worked out once per set of plugins: a manager's list is kept until a plugin is
    registered or unregistered.
    """
    registered = tuple(
        (name, id(plugin), getattr(plugin, "__version__", None)) for name, plugin in pm.list_name_plugin()
    )
    found = _listed.get(pm)
    if found is None or found[0] != registered:
        found = _listed[pm] = (registered, tuple((info.name, info.version) for info in list_plugins(pm, hooks=False)))
    return found[1]


def list_plugins(pm: pluggy.PluginManager, *, hooks: bool = True) -> list[PluginInfo]:
    """Every registered plugin, sorted by name; ``hooks=False`` skips listing their hooks."""
    dists = {id(plugin): dist for plugin, dist in pm.list_plugin_distinfo()}
    infos = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        implemented = tuple(sorted(c.name for c in pm.get_hookcallers(plugin) or ())) if hooks else ()
        dist = dists.get(id(plugin))
        if dist is not None:
            infos.append(PluginInfo(name, dist.version, dist.project_name, implemented))
        elif name in DEFAULT_PLUGINS:
            infos.append(PluginInfo(name, VERSION, "supplier-qual", implemented))
        else:
            infos.append(PluginInfo(name, getattr(plugin, "__version__", ""), "", implemented))
    return sorted(infos, key=lambda info: info.name)
