"""What every hook implementation may look at besides its own arguments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import CertificateResult
from .policy import Policy
from .refdata import ReferenceData


@dataclass(frozen=True)
class Context:
    """The assessment's reference date, policy and reference data.

    ``certificates`` holds the checked certificates once they have been verified, so
    that outcome scoring can take them into account.
    """

    as_of: dt.date
    policy: Policy
    reference: ReferenceData
    certificates: tuple[CertificateResult, ...] = ()
