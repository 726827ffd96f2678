"""Outputs: the formats a scan is rendered to (terminal, Markdown, CSV, JSON, SARIF, xlsx, HTML,
notices, rule docs)."""
