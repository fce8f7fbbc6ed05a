"""modelmap: train, compare, tune and visualize tens to thousands of classifier configurations."""

from __future__ import annotations

__version__ = "0.1.0"
