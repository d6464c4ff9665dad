"""What every hook implementation may look at besides its own arguments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .model import CertificateResult, ScopeOfSupply, Supplier
from .policy import Policy
from .refdata import ReferenceData


@dataclass(frozen=True)
class Context:
    """The assessment's reference date, policy and reference data.

    ``certificates`` holds the checked certificates once they have been verified, so
    that outcome scoring can take them into account. ``supplier`` is whom the
    certificates should belong to (``None`` when certificates are checked on their
    own); ``scope`` what is supplied, as the policy and the submission state it.
    """

    as_of: dt.date
    policy: Policy
    reference: ReferenceData
    certificates: tuple[CertificateResult, ...] = ()
    supplier: Supplier | None = None
    scope: ScopeOfSupply = field(default_factory=ScopeOfSupply)
