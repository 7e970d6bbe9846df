"""Runbooks: Markdown files with a small front matter, and finding a pipeline by what people type."""
