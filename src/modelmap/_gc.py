"""Garbage collection for the command line: paused while the heavy modules load.

Importing scikit-learn, SciPy and pandas creates several hundred thousand objects that
live as long as the process.  Python's collector would walk them again and again while
they load (about 0.2-0.3 s of a command's start) and once more at exit (about 0.4 s).
The ``modelmap`` command therefore pauses collection when it starts; :func:`settle` —
called once the data is prepared, or before a server starts serving — moves everything
loaded so far to the permanent generation (``gc.freeze``), where collections never look,
and switches collection back on.  Library use (``import modelmap``) is not affected:
without :func:`pause`, :func:`settle` does nothing.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop collecting until :func:`settle` (the command line's first call)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def settle() -> None:
    """Freeze what is loaded and collect as usual from here on (after :func:`pause`)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def finish() -> None:
    """At exit: freeze everything, so the interpreter's last collection has nothing to walk."""
    gc.freeze()


def release_memory() -> None:
    """Give the C heap's free pages back to the operating system (glibc's ``malloc_trim``).

    Reading and preparing a large table frees tens of MB in blocks that glibc keeps for
    reuse: after a 100,000 x 50 table was prepared the process stayed about 38 MB larger
    than what it still held, and the data projection's arrays came on top.  A no-op where
    the C library is not glibc.
    """
    global _libc
    if _libc is None:
        try:
            import ctypes

            _libc = ctypes.CDLL("libc.so.6")
            _libc.malloc_trim.argtypes = [ctypes.c_size_t]
        except (OSError, AttributeError):
            _libc = False
    if _libc:
        _libc.malloc_trim(0)


_libc = None
