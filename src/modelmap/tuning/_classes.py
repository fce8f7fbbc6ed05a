"""Resolve a class named in a job file, running no code the name chooses.

A job file is data someone may send you, so a dotted name in it (the ``sklearn``
classifier plugin's ``estimator``, ``tuning.stepwise.meta_learner``) must not become "import
any module and call any attribute": ``"os.abort"`` would kill the process, and importing an
arbitrary module runs its top-level code.  Only scikit-learn's own modules are imported,
and the attribute found is only accepted when it is a class, a subclass of scikit-learn's
``BaseEstimator`` (and of the mixin the caller asks for); nothing is called to find out.
Code that needs another library's estimator is a plugin (plugins are trusted code).
The ``sklearn`` plugin applies the same rule to its ``estimator`` (in its own module, as
plugins import nothing of tuning).
"""

from __future__ import annotations

import importlib
import re

_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+")
ROOT = "sklearn"


class ClassRefused(ValueError):
    """Why a dotted name is not an acceptable class (the message says it)."""


def sklearn_class(path: object, *, mixin: type | None = None,
                  what: str = "a scikit-learn estimator class") -> type:
    """The scikit-learn class at dotted ``path`` (e.g. ``"sklearn.linear_model.Ridge"``).

    Raises :class:`ClassRefused` when ``path`` is not a dotted name, names a module outside
    scikit-learn (nothing is imported then), or names something that is not a
    ``BaseEstimator`` subclass (and a ``mixin`` subclass, when given)."""
    from sklearn.base import BaseEstimator

    if not isinstance(path, str) or not _DOTTED.fullmatch(path):
        raise ClassRefused(f"{path!r} is not a dotted import path")
    module_name, _, attr = path.rpartition(".")
    if module_name != ROOT and not module_name.startswith(ROOT + "."):
        raise ClassRefused(f"{path!r} is not in scikit-learn: only modules of scikit-learn "
                           f"({ROOT}.…) are imported for a name in a job file")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ClassRefused(f"cannot import {module_name!r}: {exc}") from None
    cls = module.__dict__.get(attr)  # no module __getattr__: nothing the name picks runs
    if cls is None:
        raise ClassRefused(f"the module {module_name!r} has no {attr!r}")
    if not (isinstance(cls, type) and issubclass(cls, BaseEstimator)
            and (mixin is None or issubclass(cls, mixin))):
        raise ClassRefused(f"{path!r} is not {what}")
    return cls
