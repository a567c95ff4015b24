"""Benchmarks: they print figures (speed, memory, accuracy); they are not tests."""
