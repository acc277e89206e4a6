"""Shared helpers for the OpenGov Impact test suite and benchmarks."""
