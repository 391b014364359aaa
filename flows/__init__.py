"""Prefect flows: thin wrappers over ivig_lit.pipeline; deployments in deployments.py."""
