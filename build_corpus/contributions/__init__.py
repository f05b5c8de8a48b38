"""Contributors' inputs: files read, YAML checked against schemas, sidecars, curated notes, annotations."""
