"""Plugins used by the tests, registered per test and never leaked."""
