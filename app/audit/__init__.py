"""The audit trail: every change, view and sign-in, hash-chained (DESIGN.md section 6, docs/audit-chain.md)."""
