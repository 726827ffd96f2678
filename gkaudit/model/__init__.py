"""Model: the typed report, its tables and sections, and the facts computed once for the rules."""
