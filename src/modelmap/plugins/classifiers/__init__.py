"""Built-in classifier plugins, one package per classifier, in the seed's plugin format.

Each package's ``from ...tools import check_argument`` resolves to
:mod:`modelmap.plugins.tools`, exactly as in a workspace plugin.
"""
