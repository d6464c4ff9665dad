"""Certificate registries: plugins that look certificates up and say what the registry holds.

Each registry is a plugin implementing ``verify_certificate`` and does nothing
unless the policy's ``certificates.registries`` (or ``supplier-qual verify
--registry-config``) names a YAML file configuring it (:mod:`.config`):

- :mod:`.certsearch` — the IAF CertSearch Verification API;
- :mod:`.csv_register` — a buyer's own list of verified certificates, or an export
  of a national register, as CSV.

What a registry says becomes checks of aspect ``registry`` (:mod:`.records`): found
and active confirms the certificate (``verified_by``); suspended, withdrawn or
expired overrides what the supplier typed; not found, or a registry that cannot be
asked, leaves the certificate *unverified*, never invalid.
"""
