"""Rulesets bundled with layanan-rules (data only; installed as ``layanan_rules.rulesets``)."""
