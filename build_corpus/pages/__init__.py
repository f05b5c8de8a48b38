"""The site's pages: Markdown for every page of docs/, the downloads, and writing docs/."""
