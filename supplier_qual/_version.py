"""The version of supplier_qual, read by setuptools at build time."""

VERSION = "0.1.0"
