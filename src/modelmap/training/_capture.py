"""Capture a plugin's printed output, warnings and log records per configuration.

The captured text is bounded: a plugin printing 100 MB must not make a 100 MB result
row (nor a 100 MB API answer later).  The first and the last :data:`HEAD_BYTES` /
:data:`TAIL_BYTES` are kept, with a line ``[... N bytes cut ...]`` in between.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from collections import deque
from collections.abc import Iterator

#: Bytes (UTF-8) kept from the start and from the end of a configuration's output.
HEAD_BYTES = 512 * 1024
TAIL_BYTES = 512 * 1024
#: What replaces the cut middle (``{n}``: the number of bytes left out).
CUT_MARK = "\n[... {n} bytes cut ...]\n"
_MARKS = re.compile(r"\n\[\.\.\. (\d+) bytes cut \.\.\.\]\n")


def _size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def _tail_bytes(text: str, limit: int) -> str:
    """The longest end of ``text`` of at most ``limit`` UTF-8 bytes."""
    data = text.encode("utf-8")[-limit:] if limit > 0 else b""
    return data.decode("utf-8", errors="ignore")


def _head_bytes(text: str, limit: int) -> str:
    data = text.encode("utf-8")[:limit] if limit > 0 else b""
    return data.decode("utf-8", errors="ignore")


class BoundedLog(io.TextIOBase):
    """A text sink keeping the first ``head`` and last ``tail`` bytes of what is written."""

    def __init__(self, head: int = HEAD_BYTES, tail: int = TAIL_BYTES) -> None:
        super().__init__()
        self._head_limit, self._tail_limit = head, tail
        self._head: list[str] = []
        self._head_size = 0
        self._tail: deque[str] = deque()
        self._tail_size = 0
        self.cut = 0  #: bytes left out so far

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if not text:
            return 0
        size = _size(text)
        room = self._head_limit - self._head_size
        if room > 0 and not self._tail:
            if size <= room:
                self._head.append(text)
                self._head_size += size
                return len(text)
            first = _head_bytes(text, room)
            self._head.append(first)
            self._head_size += _size(first)
            rest = text[len(first):]
            self._push_tail(rest, _size(rest))
            return len(text)
        self._push_tail(text, size)
        return len(text)

    def _push_tail(self, text: str, size: int) -> None:
        self._tail.append(text)
        self._tail_size += size
        while self._tail_size > self._tail_limit and self._tail:
            oldest = self._tail[0]
            old_size = _size(oldest)
            excess = self._tail_size - self._tail_limit
            if old_size <= excess:
                self._tail.popleft()
                self._tail_size -= old_size
                self.cut += old_size
                continue
            kept = _tail_bytes(oldest, old_size - excess)
            kept_size = _size(kept)
            self._tail[0] = kept
            self._tail_size -= old_size - kept_size
            self.cut += old_size - kept_size

    def getvalue(self) -> str:
        """The kept text: head, the cut mark when something was left out, tail."""
        middle = CUT_MARK.format(n=self.cut) if self.cut else ""
        return "".join(self._head) + middle + "".join(self._tail)


def clip(text: str, head: int, tail: int) -> tuple[str, int]:
    """``text`` bounded like a captured log (first ``head``, last ``tail`` bytes) and the
    number of bytes left out.  A cut mark of an earlier clip (the one made when the log
    was captured) inside the part left out is counted in: the new mark says how much of
    the original output is missing."""
    size = _size(text)
    if size <= head + tail:
        return text, 0
    first = _head_bytes(text, head)
    last = _tail_bytes(text, tail)
    middle = text[len(first):len(text) - len(last)]
    marks = _MARKS.findall(middle)
    cut = _size(middle) + sum(int(n) - _size(CUT_MARK.format(n=n)) for n in marks)
    return first + CUT_MARK.format(n=cut) + last, cut


@contextlib.contextmanager
def capture(head: int = HEAD_BYTES, tail: int = TAIL_BYTES) -> Iterator[BoundedLog]:
    """Collect stdout, stderr, warnings and log records into one bounded text buffer."""
    buffer = BoundedLog(head, tail)
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught, \
                contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            warnings.simplefilter("always")
            try:
                yield buffer
            finally:
                for w in caught:
                    buffer.write(f"{w.category.__name__}: {w.message}\n")
    finally:
        root.removeHandler(handler)
