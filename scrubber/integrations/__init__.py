"""Adapters that run scrubber inside other tools' pipelines (each needs its own extra)."""
