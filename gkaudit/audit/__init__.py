"""Audit: the engine runs the rules over files; scans in worker processes; configuration; the
archive."""
