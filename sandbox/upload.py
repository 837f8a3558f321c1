"""Reading a learner's CSV upload, with a plain message for everything that can go wrong.

``read_upload(name, raw)`` turns the uploaded bytes into a table the sandbox can fit, or raises
:class:`UploadError` whose text says what is wrong and what to do, in words for a student who
saved a file from Excel or SPSS a minute ago. It reads files the way R's ``read.csv`` would
leave them for ``lmer()``: column names made syntactic (``reaction time`` -> ``reaction.time``,
R's ``make.names``), so that every formula the learner types also works in R. Commas, semicolons
(with decimal commas, as European Excel saves them) and tabs separate columns.

Limits (:data:`MAX_BYTES`, :data:`MAX_ROWS`, :data:`MAX_COLUMNS`): the sandbox fits models while
the learner waits, on a server that a whole class shares; within these limits a fit, the
Satterthwaite tests and a bootstrap take seconds at most. :data:`WHY_LIMITS` says so on the page.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .encoding import DecodeError, decode
from .rnames import r_names, visible

__all__ = [
    "UploadError",
    "UploadedTable",
    "read_upload",
    "r_names",
    "visible",
    "MAX_BYTES",
    "MAX_ROWS",
    "MAX_COLUMNS",
    "WHY_LIMITS",
]

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200
WHY_LIMITS = (
    "Up to 5 MB, 50,000 rows and 200 columns: the sandbox fits models while you wait, on a "
    "server your whole class shares, and within these limits every fit takes a second or two. "
    "For bigger data, use lme4 in R (the formulas are the same)."
)
NA_STRINGS = ["", "NA", "N/A", "n/a", "na", "NaN", "nan", "NULL", "null", ".", "-", "#N/A"]
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}


class UploadError(ValueError):
    """The uploaded file cannot be used; the message says why and what to do."""


@dataclass(frozen=True, eq=False)
class UploadedTable:
    """An uploaded CSV, read and checked.

    ``key`` identifies the file's bytes (what caches are keyed on); ``data_name`` is the file's
    name as an R name (for the summary's "Data:" line); ``renamed`` maps every column name that
    had to change (as in the file) to its new, syntactic name; ``notes`` say what the reader
    had to decide, in plain text (they hold the file's own names: show them as text).
    """

    name: str
    key: str
    data: pd.DataFrame
    data_name: str
    renamed: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def read_upload(name: str, raw: bytes) -> UploadedTable:
    """Read an uploaded CSV file (its name and bytes), or raise UploadError saying why not."""
    name = str(name or "the file")
    _check_size(name, raw)
    try:
        text, notes = decode(name, raw)
    except DecodeError as error:
        raise UploadError(str(error)) from None
    if not text.strip():
        raise UploadError(f"“{name}” is empty: it contains no data. Open it to check, save it "
                          "again as CSV from your spreadsheet, and upload the new file.")
    _check_width(name, text)
    delimiter = _delimiter(text)
    frame = _parse(name, text, delimiter)
    frame, dropped = _drop_empty(frame)
    notes += dropped
    _check_shape(name, frame, delimiter)
    frame, decimal_comma = _numbers(frame, delimiter)
    if delimiter != ",":
        notes.append(f"Columns are separated by {DELIMITERS[delimiter]}.")
    if decimal_comma:
        notes.append("Numbers written with a decimal comma (like 1,5) were read as 1.5.")
    _check_numeric(name, frame)
    renamed = _rename(frame)
    frame.columns = [renamed.get(c, c) for c in frame.columns]
    notes += _infinite(frame)
    return UploadedTable(name=name, key="upload:" + hashlib.sha256(raw).hexdigest()[:16],
                         data=frame, data_name=r_names([name.rsplit(".", 1)[0]])[0],
                         renamed=renamed, notes=tuple(notes))


# ----- bytes -> text ----------------------------------------------------------------------------
def _check_size(name: str, raw: bytes) -> None:
    if len(raw) > MAX_BYTES:
        raise UploadError(f"“{name}” is {len(raw) / 2**20:.1f} MB, more than the 5 MB limit. "
                          f"{WHY_LIMITS} Keep only the columns and rows you need, then upload "
                          "again.")
    if not raw.strip():
        raise UploadError(f"“{name}” is empty: it contains no data. Open it to check, save it "
                          "again as CSV from your spreadsheet, and upload the new file.")


def _check_width(name: str, text: str) -> None:
    """Refuse a line with too many values before parsing: pandas takes many seconds (or never
    finishes) on a file with 100,000s of columns. Counting separators is a fast upper bound;
    the csv module confirms it on the one line that exceeds it (quoted values hold some)."""
    lines = text.splitlines()
    for delimiter in DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        if max(counts) < MAX_COLUMNS:
            continue
        for number, count in enumerate(counts, start=1):
            width = (len(next(csv.reader([lines[number - 1]], delimiter=delimiter)))
                     if count >= MAX_COLUMNS else 0)
            if width > MAX_COLUMNS:
                raise UploadError(_too_wide(name, number, width, delimiter))


def _too_wide(name: str, line: int, width: int, delimiter: str) -> str:
    where = "its first line (the column names)" if line == 1 else f"line {line}"
    return (f"“{name}” has {width:,} values separated by {DELIMITERS[delimiter]} in {where}, "
            f"more than the limit of {MAX_COLUMNS} columns. Keep only the columns the model "
            "needs (in a spreadsheet: delete the others, then save as CSV), and upload again. "
            "If your data is in wide format (one column per measurement), lmer() needs it "
            "long: one row per observation.")


# ----- text -> table ----------------------------------------------------------------------------
def _delimiter(text: str) -> str:
    """The separator that splits the first lines into the same, largest number of fields."""
    lines = [line for line in text.splitlines() if line.strip()][:20]
    best, best_fields = ",", 1
    for delimiter in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        fields = counts[0] if counts else 1
        consistent = sum(c == fields for c in counts) >= 0.8 * len(counts)
        if consistent and fields > best_fields:
            best, best_fields = delimiter, fields
    return best


def _parse(name: str, text: str, delimiter: str) -> pd.DataFrame:
    try:
        return pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, na_values=NA_STRINGS,
                           keep_default_na=False, skip_blank_lines=True, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise UploadError(f"“{name}” is empty: it contains no data.") from None
    except pd.errors.ParserError as error:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        where = (f"Line {found[2]} has {found[3]} values, but the first line (the column "
                 f"names) has {found[1]}. " if found else "")
        raise UploadError(
            f"“{name}” could not be read as a table: {where}Every row of a CSV file needs the "
            "same number of values, separated by " + DELIMITERS[delimiter] + ". A comma inside "
            "a value needs quotes around the value (\"Smith, J\").") from None


def _drop_empty(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Leave out rows and columns with no values at all (spreadsheets leave them behind)."""
    notes = []
    empty_cols = [c for c in frame.columns if frame[c].isna().all()]
    if empty_cols and len(empty_cols) < frame.shape[1]:
        frame = frame.drop(columns=empty_cols)
        notes.append(f"Left out {len(empty_cols)} empty column(s).")
    empty_rows = int(frame.isna().all(axis=1).sum())
    if empty_rows:
        frame = frame.loc[~frame.isna().all(axis=1)]
        notes.append(f"Left out {empty_rows} empty row(s).")
    return frame.reset_index(drop=True), notes


def _check_shape(name: str, frame: pd.DataFrame, delimiter: str) -> None:
    if len(frame) == 0:
        shown = ", ".join(str(c) for c in frame.columns[:8])
        raise UploadError(f"“{name}” has column names ({shown}) but no rows of data below them. "
                          "Add the data, or upload the file that has it.")
    if len(frame) > MAX_ROWS:
        raise UploadError(f"“{name}” has {len(frame):,} rows, more than the limit of "
                          f"{MAX_ROWS:,}. {WHY_LIMITS} Upload a part of the data (for example "
                          "some of the participants).")
    if frame.shape[1] > MAX_COLUMNS:
        raise UploadError(f"“{name}” has {frame.shape[1]} columns, more than the limit of "
                          f"{MAX_COLUMNS}. Keep only the columns the model needs.")
    if frame.shape[1] == 1:
        raise UploadError(
            f"“{name}” has only one column (“{frame.columns[0]}”). A mixed model needs at "
            "least two: a numeric outcome and a grouping column (such as participant), "
            "usually a predictor too. If your file has more columns, they are separated by "
            "something other than commas, semicolons or tabs: save it again as CSV.")


def _numbers(frame: pd.DataFrame, delimiter: str) -> tuple[pd.DataFrame, bool]:
    """Columns whose every value is a number become numbers (whole numbers stay whole)."""
    out, decimal_comma = {}, False
    for col in frame.columns:
        values = frame[col].str.strip()
        number = pd.to_numeric(values, errors="coerce")
        if delimiter != "," and number.isna().sum() > values.isna().sum():
            commas = pd.to_numeric(values.str.replace(",", ".", regex=False), errors="coerce")
            if commas.isna().sum() == values.isna().sum():
                number, decimal_comma = commas, True
        if number.isna().sum() == values.isna().sum() and values.notna().any():
            whole = number.dropna()
            out[col] = (number.astype("Int64").astype("int64") if values.notna().all()
                        and (whole == whole.round()).all() and whole.abs().max() < 2**53
                        else number.astype(float))
        else:
            out[col] = values
    return pd.DataFrame(out, index=frame.index), decimal_comma


def _check_numeric(name: str, frame: pd.DataFrame) -> None:
    if any(pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns):
        return
    shown = ", ".join(f"“{c}”" for c in list(frame.columns)[:8])
    example = frame.iloc[:, -1].dropna()
    like = f" (the last one holds values like “{example.iloc[0]}”)" if len(example) else ""
    raise UploadError(
        f"None of the columns of “{name}” holds numbers: {shown}{like}. The outcome of a "
        "linear mixed model must be a number, such as a reaction time or a score. Check that "
        "numbers have no units or words in them (write 350, not “350 ms”), then upload again.")


def _infinite(frame: pd.DataFrame) -> list[str]:
    """A note for every column holding an infinite value ("inf", "Inf", "-Infinity"): R reads
    it as Inf too, and no model can use it."""
    notes = []
    for col in frame.columns:
        if not pd.api.types.is_float_dtype(frame[col]):
            continue
        rows = np.flatnonzero(np.isinf(frame[col].to_numpy()))
        if len(rows):
            notes.append(infinite_message(col, rows))
    return notes


def infinite_message(column: str, rows) -> str:
    """Which rows of a column hold an infinite value, and what to do about it."""
    shown = ", ".join(str(r + 1) for r in rows[:5]) + (" …" if len(rows) > 5 else "")
    many = len(rows) > 1
    return (f"Column {column} holds an infinite value (inf) in row{'s' if many else ''} "
            f"{shown} (counting rows below the column names). A model cannot use an infinite "
            f"number: a formula that uses {column} will not be fitted. Replace "
            f"{'them' if many else 'it'} in your file with the real value, or empty the "
            f"cell{'s' if many else ''} so that R and the sandbox treat {'them' if many else 'it'}"
            " as missing, then upload again.")


def _rename(frame: pd.DataFrame) -> dict:
    """Every column name that R's make.names changes (pandas' "Unnamed: 3" for an empty
    header counts as empty), mapped to its new name."""
    old = ["" if re.fullmatch(r"Unnamed: \d+", str(c)) else str(c) for c in frame.columns]
    new = r_names(old)
    return {str(o): n for o, n in zip(frame.columns, new, strict=True) if str(o) != n}
