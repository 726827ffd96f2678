"""Foundations every layer may use: errors, the message catalogue, the national form's words,
numerals, shipped files."""
