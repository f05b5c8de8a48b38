"""Corpus-wide stages: what needs every report (terms, whose definition applies, uses, targets)."""
