"""Plugins that connect supplier_qual to the outside world: files, tender formats, registries."""
