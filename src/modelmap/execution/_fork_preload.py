"""Imported last by the fork server, after the modules every worker needs.

It looks up the machine description every result carries (library versions, the CPU)
once, for all the workers to inherit.

``gc.freeze()`` moves everything imported so far to the garbage collector's permanent
generation, as Python's documentation recommends before ``fork()``: the workers forked
from the server do not touch those objects in their collections (less copy-on-write, less
work per collection), and the server itself exits without walking scikit-learn's heap
(about 0.4 s, during which it would still hold the driver's stdout open).
"""

import gc

from modelmap.training import machine_info

machine_info()  # host, versions: once here rather than in every worker
gc.freeze()
