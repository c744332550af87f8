"""The audit ledger: append (``ledger``), the pure hash chain (``chain``), verification (``verify``), the
receivers that feed it (``receivers``) and its admin screens, export and API. See docs/audit.md."""
