"""ivig-lit: literature surveillance for intravenous immunoglobulin (IVIG) in neurology."""

__version__ = "0.1.0"
