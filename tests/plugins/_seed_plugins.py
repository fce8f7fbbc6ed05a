"""The seed documentation's plugin examples, verbatim (kept once, in tests/fixtures/seed/)."""

from pathlib import Path

_SEED = Path(__file__).parents[1] / "fixtures" / "seed"

SEED_KNN = (_SEED / "classifiers" / "kneighbors" / "__init__.py").read_text(encoding="utf-8")
SEED_RANDOM_FOREST = (_SEED / "classifiers" / "random_forest" / "__init__.py").read_text(
    encoding="utf-8")
SEED_IRIS = (_SEED / "datasets" / "sklearn_iris" / "__init__.py").read_text(encoding="utf-8")
