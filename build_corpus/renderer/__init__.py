"""Everything that depends on MkDocs and Material: hooks, the search index and worker, the offline bundle."""
