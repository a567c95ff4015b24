"""The package version, in one place (read by hatchling and by the pipeline metadata)."""

__version__ = "0.1.0"
