"""Build hook: ship the top-level ``warehouse/`` SQL as ``ivig_lit.sql`` and ``flows/`` as
``ivig_lit.flows``, so a wheel carries both and an editable install maps them to the checkout.
(pyproject.toml alone cannot mix package discovery with per-package directory mappings.)"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages("src"), "ivig_lit.flows", "ivig_lit.sql"],
    package_dir={"": "src", "ivig_lit.flows": "flows", "ivig_lit.sql": "warehouse"},
)
