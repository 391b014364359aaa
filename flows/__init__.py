"""Prefect flows: thin wrappers over the ivig_lit library (nightly, weekly); deployments in deployments.py."""
