"""Reading a user's table file: the format from the name, only the columns a job needs.

CSV/TSV (delimiter and encoding detected, or given), Parquet, Feather, Excel (a sheet),
ARFF and a folder of Parquet files.  Columnar formats are read column-wise through pyarrow,
so a file of a few GB costs only the memory of the columns the job uses.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from modelmap.errors import DataError

_CSV = (".csv", ".txt")
_TSV = (".tsv", ".tab")
_PARQUET = (".parquet", ".pq")
_FEATHER = (".feather", ".arrow", ".ipc")
_EXCEL = (".xlsx", ".xlsm", ".xls")
_ARFF = (".arff",)
SUFFIXES = _CSV + _TSV + _PARQUET + _FEATHER + _EXCEL + _ARFF
_SAMPLE = 64 * 1024
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def _pandas():
    import pandas  # imported when a table is read: listing plugins stays fast

    return pandas


def kind_of(path: Path) -> str:
    """``csv``, ``tsv``, ``parquet``, ``feather``, ``excel``, ``arff`` or ``folder``."""
    if path.is_dir():
        return "folder"
    suffix = path.suffix.lower()
    if suffix in (".gz", ".bz2", ".zip", ".xz", ".zst"):
        suffix = Path(path.stem).suffix.lower()
    for kind, suffixes in (("csv", _CSV), ("tsv", _TSV), ("parquet", _PARQUET),
                           ("feather", _FEATHER), ("excel", _EXCEL), ("arff", _ARFF)):
        if suffix in suffixes:
            return kind
    raise DataError(f"Cannot read {str(path)!r}: unknown file type {suffix or '(none)'!r}.",
                    where="data.path",
                    hint="use a .csv, .tsv, .parquet, .feather, .xlsx, .arff file or a "
                         "folder of .parquet files.")


def columns_of(path: Path, kind: str, args: Mapping[str, Any]) -> list[str]:
    """The column names of the file, read without its rows where the format allows."""
    if kind in ("csv", "tsv"):
        return [str(c) for c in _read_csv(path, kind, args, nrows=0).columns]
    if kind == "parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    if kind == "feather":
        import pyarrow.ipc as ipc

        with ipc.open_file(path) as reader:
            return list(reader.schema.names)
    if kind == "folder":
        return list(_folder(path).schema.names)
    if kind == "excel":
        return [str(c) for c in _read_excel(path, args, nrows=0).columns]
    return [str(c) for c in _read_arff(path).columns]


def read_columns(path: Path, kind: str, args: Mapping[str, Any], columns: Sequence[str]):
    """A DataFrame of only ``columns`` (names as strings, in the given order)."""
    columns = list(columns)
    if kind in ("csv", "tsv"):
        frame = _read_csv(path, kind, args, usecols=columns)
    elif kind == "parquet":
        import pyarrow.parquet as pq

        frame = _by_column(lambda c: pq.read_table(path, columns=c, use_threads=False), columns)
    elif kind == "feather":
        import pyarrow.feather as feather

        frame = _by_column(lambda c: feather.read_table(path, columns=c), columns)
    elif kind == "folder":
        dataset = _folder(path)
        frame = _by_column(lambda c: dataset.to_table(columns=c), columns)
    elif kind == "excel":
        frame = _read_excel(path, args, usecols=lambda c: str(c) in set(columns))
    else:
        frame = _read_arff(path)
    frame.columns = [str(c) for c in frame.columns]
    return frame[columns]


def _by_column(read: Any, columns: list[str]):
    """One column at a time, so that a large file costs the memory of its DataFrame plus
    one column's read buffers, not of the whole Arrow table besides the DataFrame (about
    half the peak for a 100,000 x 50 file)."""
    series = {}
    with _system_memory_pool():
        for name in columns:
            table = read([name])
            series[name] = table.column(0).to_pandas()
            del table
    return _pandas().DataFrame(series, copy=False)


@contextmanager
def _system_memory_pool() -> Iterator[None]:
    """Arrow allocates through the C library's allocator while a file is read.

    Arrow's default pool (mimalloc) keeps the pages of freed read buffers: reading a
    100,000 x 50 Parquet file column by column left the process 67 MB larger for a 27 MB
    DataFrame, against 38 MB with the system allocator (whose large blocks go back to the
    operating system when freed).  Each buffer remembers the pool it came from, so the
    previous default is restored afterwards without harm."""
    import pyarrow as pa

    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _folder(path: Path):
    import pyarrow.dataset as ds

    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in _PARQUET)
    if not files:
        raise DataError(f"The folder {str(path)!r} holds no .parquet files.", where="data.path",
                        hint="point data.path at a file, or at a folder of .parquet files.")
    return ds.dataset([str(p) for p in files], format="parquet")


def _read_csv(path: Path, kind: str, args: Mapping[str, Any], **options: Any):
    encoding = args.get("encoding") or _encoding(path)
    delimiter = args.get("delimiter") or ("\t" if kind == "tsv" else _delimiter(path, encoding))
    try:
        return _pandas().read_csv(path, sep=delimiter, encoding=encoding, **options)
    except UnicodeDecodeError as exc:
        raise _encoding_error(path, encoding, exc) from None
    except LookupError:
        raise DataError(f"Unknown encoding {encoding!r} for {str(path)!r}.",
                        where="data.encoding",
                        hint='use a Python codec name such as "utf-8", "latin-1" or '
                             '"cp1252".') from None
    except ValueError as exc:
        if "usecols" in str(exc) or "Usecols" in str(exc):
            raise DataError(f"Cannot read the columns {list(options['usecols'])} of "
                            f"{str(path)!r}: {exc}", where="data.path",
                            hint="check data.delimiter") from None
        raise DataError(f"Cannot read {str(path)!r} as a table: {exc}", where="data.path",
                        hint="check data.delimiter and data.encoding") from None
    except _pandas().errors.ParserError as exc:
        raise DataError(f"Cannot read {str(path)!r} as a table: {exc}", where="data.path",
                        hint="check data.delimiter (detected or given: "
                             f"{delimiter!r})") from None


def _encoding(path: Path) -> str:
    """UTF-8 (with or without a byte-order mark) or UTF-16 with one; anything else must
    be named in ``data.encoding``, since guessing a legacy code page silently garbles text."""
    with open(path, "rb") as handle:
        head = handle.read(_SAMPLE)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut off by the sample's end
            raise _encoding_error(path, "utf-8", exc) from None
    return "utf-8"


def _encoding_error(path: Path, encoding: str, exc: UnicodeDecodeError) -> DataError:
    byte = exc.object[exc.start : exc.start + 1].hex() if exc.object else "?"
    return DataError(
        f"{str(path)!r} is not {encoding} text (byte 0x{byte} cannot be decoded).",
        where="data.encoding",
        hint='name the file\'s encoding in the data section, e.g. "encoding": "latin-1" or '
             '"cp1252", or save the file as UTF-8.')


def _delimiter(path: Path, encoding: str) -> str:
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        sample = handle.read(_SAMPLE)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _read_excel(path: Path, args: Mapping[str, Any], **options: Any):
    sheet = args.get("sheet")
    sheet = 0 if sheet is None else sheet
    try:
        return _pandas().read_excel(path, sheet_name=sheet, **options)
    except ImportError as exc:
        raise DataError(f"Cannot read {str(path)!r}: {exc}", where="data.path",
                        hint="pip install openpyxl") from None
    except (ValueError, KeyError, IndexError) as exc:
        raise DataError(f"Cannot read sheet {sheet!r} of {str(path)!r}: {exc}",
                        where="data.sheet",
                        hint="give the sheet's name or 0-based number, e.g. \"sheet\": "
                             "\"Sheet1\"") from None


def _read_arff(path: Path):
    from scipy.io import arff

    try:
        data, _meta = arff.loadarff(str(path))
    except (ValueError, NotImplementedError, arff.ParseArffError) as exc:
        raise DataError(f"Cannot read {str(path)!r} as ARFF: {exc}", where="data.path",
                        hint="check the file's @attribute lines") from None
    frame = _pandas().DataFrame(data)
    for column in frame.columns:  # nominal values come back as bytes; '?' means missing
        if frame[column].dtype == object:
            decoded = frame[column].map(lambda b: b.decode("utf-8") if isinstance(b, bytes)
                                        else b)
            frame[column] = decoded.where(decoded != "?", None)
    return frame
