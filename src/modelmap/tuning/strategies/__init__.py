"""The tuning strategies, one module each; each registers itself under its ``name``.

Importing this package registers them all, in the order users see them listed
(``evolutionary``, ``stepwise``, ``tpe``, ``random``, ``halving``, ``hyperband``).  The rest
of :mod:`modelmap.tuning` asks a strategy's class for its traits (:func:`strategy_class`)
instead of comparing names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from modelmap.tuning._strategy import Strategy
from modelmap.tuning.strategies._evolutionary import Evolutionary
from modelmap.tuning.strategies._stepwise import Stepwise
from modelmap.tuning.strategies._tpe import TPE
from modelmap.tuning.strategies._random import RandomSearch  # noqa: I001 (listing order)
from modelmap.tuning.strategies._halving import Halving, Hyperband

if TYPE_CHECKING:  # pragma: no cover
    from modelmap.tuning._settings import Settings
    from modelmap.tuning._space import Space

#: the names of the registered strategies, in the order of the ``--strategy`` listing
STRATEGIES: tuple[str, ...] = tuple(Strategy.registry)


def strategy_class(name: str) -> type[Strategy]:
    """The strategy registered as ``name`` (names are checked when settings are read)."""
    try:
        return Strategy.registry[name]
    except KeyError:
        raise KeyError(f"no tuning strategy named {name!r}; "
                       f"known: {', '.join(Strategy.registry)}") from None


def make_strategy(space: Space, settings: Settings) -> Strategy:
    """The strategy named in ``settings.strategy``."""
    return strategy_class(settings.strategy)(space, settings, settings.random_state)


__all__ = ["STRATEGIES", "TPE", "Evolutionary", "Halving", "Hyperband", "RandomSearch",
           "Stepwise", "make_strategy", "strategy_class"]
