"""``python -m supplier_qual`` runs the ``supplier-qual`` command line."""

from .cli import main

main()
