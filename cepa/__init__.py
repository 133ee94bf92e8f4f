"""cepa: keep a grant-funded project's evidence as YAML records, and report from it."""

__version__ = "0.1.0"
