"""Built-in classifier plugins in the seed's plugin format.

The scikit-learn built-ins are rows of ``_table`` made into modules
``modelmap.plugins.classifiers.<name>`` by ``_generated`` (listed in :data:`GENERATED`);
the others are one package each, whose ``from ...tools import check_argument`` resolves to
:mod:`modelmap.plugins.tools`, exactly as in a workspace plugin.
"""

import sys

from modelmap.plugins.classifiers import _generated

#: Names of the plugins made from ``_table`` (they have no folder of their own).
GENERATED: tuple[str, ...] = tuple(_generated.install(sys.modules[__name__]))
