"""The JSON documents in this folder (openapi.json, report-schema.json) ship in the wheel as the package
``layanan_rules.schemas``: ``layanan-rules serve`` serves them. docs/ stays their one home."""
