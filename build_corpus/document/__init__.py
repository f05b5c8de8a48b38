"""Per-document stages: one source's bytes to documents with metadata, sections and glossary."""
