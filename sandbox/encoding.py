"""An uploaded file's bytes as text, or a message that says what the file really is.

Spreadsheets save CSV as UTF-8 (with or without a byte-order mark), as UTF-16 ("Unicode
text") or UTF-32, or in the Windows code page; all of these are read, and a note says which
when it was not plain UTF-8. Files that are not text (a workbook, an SPSS file, a PDF, an image)
are named from their first bytes. A zero byte (NUL) in a text file is pinpointed by line, as
R's read.csv warns "line N appears to contain an embedded nul", since it is usually one bad
character left by a crash or a broken copy, not a sign that the file is binary.
"""

from __future__ import annotations

__all__ = ["DecodeError", "decode", "SIGNATURES"]

_EXCEL = "In Excel: File → Save As → “CSV UTF-8 (Comma delimited)”, then upload that file."
_SPSS = ("In SPSS: File → Save As → “Comma delimited (*.csv)”; in R: "
         "write.csv(haven::read_sav(...)).")
# First bytes of files that are often uploaded by mistake: what they are and how to get a CSV.
SIGNATURES = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zipped file", _EXCEL),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls) or Word document", _EXCEL),
    (b"$FL2", "an SPSS data file (.sav)", _SPSS),
    (b"$FL3", "an SPSS data file (.sav)", _SPSS),
    (b"%PDF", "a PDF document", "A PDF cannot be read as data: export the table as CSV."),
    (b"\x89PNG", "a PNG image", "An image cannot be read as data: upload the table as CSV."),
    (b"\xff\xd8\xff", "a JPEG image", "An image cannot be read as data: upload the table as CSV."),
    (b"\x1f\x8b", "a gzip-compressed file", "Unpack it first and upload the CSV inside."),
)
# Byte-order marks, longest first (UTF-32's little-endian mark starts with UTF-16's).
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16 (Excel's “Unicode text”)"),
    (b"\xfe\xff", "utf-16", "UTF-16 (Excel's “Unicode text”)"),
)
# Without a mark, Latin text in UTF-16 or UTF-32 has zeros at fixed places in every 2 or 4 bytes.
WIDE = (("utf-32-le", 4, (1, 2, 3)), ("utf-32-be", 4, (0, 1, 2)),
        ("utf-16-le", 2, (1,)), ("utf-16-be", 2, (0,)))
BINARY_ZEROS = 8, 0.01  # more zero bytes than both (a count, a share) in 8 KB: not text


class DecodeError(ValueError):
    """The bytes are not text the sandbox can read; the message says what they are."""


def decode(name: str, raw: bytes) -> tuple[str, list[str]]:
    """The file as text and notes on how it was read, or DecodeError saying why it cannot be."""
    for bom, codec, label in BOMS:
        if raw.startswith(bom):
            return _strict(name, raw, codec, label), [f"Read as {label} text."]
    for signature, what, fix in SIGNATURES:
        if raw.startswith(signature):
            raise DecodeError(f"“{name}” is {what}, not a CSV file. {fix}")
    if b"\x00" in raw:
        return _with_zero_bytes(name, raw)
    try:
        return raw.decode("utf-8-sig"), []  # Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), ["Read as Windows text (cp1252), not UTF-8: check that "
                                      "accented letters look right."]
    except UnicodeDecodeError as error:
        raise DecodeError(
            f"“{name}” could not be read as text (byte {error.start + 1} is not a letter in "
            "UTF-8 or Windows encoding). Is it really a CSV file? Save it again as "
            "“CSV UTF-8” and upload that file.") from None


def _strict(name: str, raw: bytes, codec: str, label: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as error:
        raise DecodeError(
            f"“{name}” starts like {label} text, but byte {error.start + 1} does not fit that "
            "encoding: the file is damaged or cut off. Save it again as “CSV UTF-8” and "
            "upload that file.") from None


def _wide(head: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by where the zero bytes are."""
    for codec, width, zeros in WIDE:
        cut = head[: len(head) - len(head) % width]
        if len(cut) < 2 * width:
            continue
        columns = [cut[k::width] for k in range(width)]
        if all(not any(columns[k]) for k in zeros) and all(
                columns[k].count(0) < len(columns[k]) for k in range(width) if k not in zeros):
            return codec
    return None


def _with_zero_bytes(name: str, raw: bytes) -> tuple[str, list[str]]:
    head = raw[:8192]
    codec = _wide(head)
    if codec is not None:
        label = codec[:6].upper()  # "utf-16-le" -> "UTF-16"
        return _strict(name, raw, codec, label), [f"Read as {label} text (without a "
                                                  "byte-order mark)."]
    if head.count(0) > max(BINARY_ZEROS[0], BINARY_ZEROS[1] * len(head)):
        raise DecodeError(f"“{name}” is not a text file (it is full of zero bytes, as "
                          "programs' own file formats are), so it cannot be a CSV file. "
                          "Export your table as CSV (comma-separated values) and upload "
                          "that file.")
    at = raw.index(b"\x00")
    line = raw.count(b"\n", 0, at) + 1
    count = raw.count(b"\x00")
    more = f" (and {count - 1} more)" if count > 1 else ""
    raise DecodeError(
        f"Line {line} of “{name}” contains a NUL character: a zero byte{more}, which a text "
        "file never holds. It is usually left by a program that stopped while saving, or "
        f"by a broken copy. Open the file in a text editor, delete the odd character on line "
        f"{line} (it may look like a space, a box or nothing at all), save it, and upload "
        "it again.")
