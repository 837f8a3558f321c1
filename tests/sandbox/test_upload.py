"""Reading uploads: what a student's CSV files look like, and a clear message for each bad one."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lmm_core
import simulators
from sandbox.upload import MAX_BYTES, MAX_ROWS, UploadError, r_names, read_upload, visible

SLEEP = simulators.load("sleep_seed")


def _csv(frame: pd.DataFrame, **kwargs) -> bytes:
    return frame.to_csv(index=False, **kwargs).encode()


def test_a_plain_csv_reads_back_the_same_table():
    table = read_upload("sleep.csv", _csv(SLEEP))
    assert list(table.data.columns) == ["subject", "days", "reaction"]
    assert table.data["days"].dtype == "int64" and table.data["reaction"].dtype == "float64"
    pd.testing.assert_series_equal(table.data["reaction"], SLEEP["reaction"])
    assert table.data["subject"].astype(str).tolist() == SLEEP["subject"].tolist()
    assert table.notes == () and table.renamed == {}
    assert table.data_name == "sleep"


def test_the_key_names_the_bytes():
    a, b = read_upload("a.csv", _csv(SLEEP)), read_upload("b.csv", _csv(SLEEP))
    c = read_upload("a.csv", _csv(SLEEP.iloc[:-1]))
    assert a.key == b.key != c.key and a.key.startswith("upload:")


def test_european_excel_semicolons_and_decimal_commas():
    raw = "subject;days;reaction\n308;0;249,56\n308;1;258,7047\n309;0;222,7339\n".encode("cp1252")
    table = read_upload("excel.csv", raw)
    assert table.data["reaction"].tolist() == [249.56, 258.7047, 222.7339]
    assert any("semicolons" in n for n in table.notes)
    assert any("decimal comma" in n for n in table.notes)


def test_semicolons_with_decimal_points_stay_numbers():
    table = read_upload("x.csv", b"g;y\na;1.5\na;2.5\nb;3\n")
    assert table.data["y"].tolist() == [1.5, 2.5, 3.0]
    assert not any("decimal comma" in n for n in table.notes)


@pytest.mark.parametrize(("raw", "note"), [
    ("\ufeffg,y\na,1\nb,2\n".encode(), None),  # Excel's "CSV UTF-8" starts with a BOM
    (b"g\ty\na\t1\nb\t2\n", "tabs"),
    ("g,y\nä,1\nö,2\n".encode("utf-16"), "UTF-16"),
    ("g,y\nä,1\nö,2\n".encode("cp1252"), "cp1252"),
])
def test_encodings_and_separators(raw, note):
    table = read_upload("x.csv", raw)
    assert list(table.data.columns) == ["g", "y"]
    assert table.data["y"].tolist() == [1, 2]
    assert table.data["g"].tolist() in (["a", "b"], ["ä", "ö"])
    assert (note is None and not table.notes) or any(note in n for n in table.notes)


def test_missing_values_and_empty_rows_and_columns():
    raw = b"g,y,x,\na,1,NA,\nb,.,2,\n,,,\nc,3,,\n"
    table = read_upload("x.csv", raw)
    assert list(table.data.columns) == ["g", "y", "x"]
    assert len(table.data) == 3
    assert table.data["y"].isna().sum() == 1 and table.data["x"].isna().sum() == 2
    assert any("empty column" in n for n in table.notes)
    assert any("empty row" in n for n in table.notes)


def test_column_names_become_r_names():
    raw = b"reaction time,1st day,subject,subject\n1,2,a,b\n3,4,a,b\n"
    table = read_upload("x.csv", raw)
    assert list(table.data.columns) == ["reaction.time", "X1st.day", "subject", "subject.1"]
    assert table.renamed == {"reaction time": "reaction.time", "1st day": "X1st.day"}


@pytest.mark.parametrize(("names", "expected"), [
    # R (LC_ALL=C.UTF-8): make.names(c(...), unique = TRUE)
    (["reaction time", "1st", "_x", ".5a", ".a", "if", "TRUE", ""],
     ["reaction.time", "X1st", "X_x", "X.5a", ".a", "if.", "TRUE.", "X"]),
    (["a", "a", "a.1", "b-c"], ["a", "a.2", "a.1", "b.c"]),
    (["é", "ä1", "1é", "résumé time", "x²", "日本", "α", "?", "?a"],
     ["é", "ä1", "X1é", "résumé.time", "x.", "日本", "α", "X.", "X.a"]),
])
def test_r_names_match_make_names(names, expected):
    assert r_names(names) == expected


@pytest.mark.parametrize(("names", "expected"), [
    # where the sandbox differs from R, so that every name can be typed in a formula:
    # invisible characters are dropped (R: "\u200b" -> "X."), accents composed (R: "e." for
    # e + U+0301), and a lone "." (a formula's "all other columns") gets an X
    (["\u200b", "a\u200bb", "\ufeffsubject", "e\u0301", ".", "a", "a\u200b"],
     ["X", "ab", "subject", "é", "X.", "a", "a.1"]),
])
def test_r_names_drop_invisible_characters(names, expected):
    assert r_names(names) == expected


@given(st.lists(st.text(min_size=0, max_size=6), min_size=1, max_size=5))
@settings(max_examples=200, deadline=None)
def test_every_name_can_be_typed_in_a_formula(names):
    made = r_names(names)
    assert len(set(made)) == len(made)
    for name in made:
        parsed = lmm_core.parse_formula(f"`an outcome` ~ {name} + (1 | `a group`)")
        assert parsed.fixed.terms == ((name,),), name


def test_unicode_and_invisible_headers_keep_letters_and_show_the_mapping():
    raw = "é,\u200b,größe,x²\ng,1,2,3\nh,2,3,4\n".encode()
    table = read_upload("x.csv", raw)
    assert list(table.data.columns) == ["é", "X", "größe", "x."]
    assert table.renamed == {"\u200b": "X", "x²": "x."}
    assert visible("\u200b") == "<U+200B>"


@pytest.mark.parametrize(("codec", "note"), [
    ("utf-32", "UTF-32 text"),
    ("utf-32-le", "UTF-32 text (without a byte-order mark)"),
    ("utf-32-be", "UTF-32 text (without a byte-order mark)"),
    ("utf-16-le", "UTF-16 text (without a byte-order mark)"),
])
def test_utf32_and_unmarked_utf16_are_read(codec, note):
    table = read_upload("x.csv", "g,y\nä,1\nö,2\n".encode(codec))
    assert table.data["g"].tolist() == ["ä", "ö"] and table.data["y"].tolist() == [1, 2]
    assert note in table.notes[0]


def test_a_nul_byte_is_named_with_its_line():
    with pytest.raises(UploadError, match="Line 3 of “x.csv” contains a NUL character"):
        read_upload("x.csv", b"g,y\na,1\nb\x00,2\nc,3\n" + b"d,4\n" * 3000)


@pytest.mark.parametrize(("header", "line", "words"), [
    (True, 1, "100,000 values separated by commas in its first line"),
    (False, 2, "870,000 values separated by semicolons in line 2"),
])
def test_too_many_columns_are_refused_before_parsing(header, line, words, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(pd, "read_csv", never)
    if header:
        raw = (",".join(f"c{i}" for i in range(100_000)) + "\n" + "1," * 99_999 + "1\n").encode()
    else:
        raw = b"a;b;c\n" + b"1;" * 869_999 + b"1\n"
    with pytest.raises(UploadError, match="more than the limit of 200 columns") as error:
        read_upload("wide.csv", raw)
    assert words in str(error.value)


def test_infinite_values_are_named_by_column_and_row():
    table = read_upload("x.csv", b"g,y,x\na,1,inf\nb,2,3\na,3,-Inf\nb,4,5\n")
    assert table.data["x"].tolist()[1] == 3.0
    (note,) = table.notes
    assert "Column x holds an infinite value (inf) in rows 1, 3" in note
    assert "empty the cells" in note


@pytest.mark.parametrize(("name", "raw", "words"), [
    ("data.xlsx", b"PK\x03\x04" + bytes(300), "Excel workbook"),
    ("data.xls", b"\xd0\xcf\x11\xe0" + bytes(300), "old Excel workbook"),
    ("data.sav", b"$FL2" + bytes(300), "SPSS"),
    ("paper.pdf", b"%PDF-1.7 ...", "PDF"),
    ("photo.csv", b"\x89PNG\r\n" + bytes(50), "PNG image"),
    ("blob.csv", b"ab\x00cd\x00" * 20, "not a text file"),
    ("empty.csv", b"", "is empty"),
    ("blank.csv", b"\n\n   \n", "is empty"),
    ("header.csv", b"subject,days,reaction\n", "no rows of data"),
    ("one.csv", b"reaction\n1\n2\n", "only one column"),
    ("words.csv", b"name,town\nann,york\nbob,bath\n", "None of the columns"),
    ("units.csv", b"who,rt\na,350 ms\nb,420 ms\n", "350 ms"),
    ("ragged.csv", b"a,b\n1,2\n3,4,5\n6,7\n8,9\n10,11\n", "Line 3 has 3 values"),
    ("bad.csv", b"g,y\n\x81\x8d,1\n", "could not be read as text"),
])
def test_bad_files_say_what_is_wrong(name, raw, words):
    with pytest.raises(UploadError) as error:
        read_upload(name, raw)
    assert words in str(error.value), str(error.value)
    assert name in str(error.value)


def test_too_large_and_too_long_files_say_why():
    with pytest.raises(UploadError, match="5 MB limit") as error:
        read_upload("big.csv", b"x,y\n" + b"1,2\n" * (MAX_BYTES // 4))
    assert "class" in str(error.value)  # the reason: a server the class shares
    rows = b"g,y\n" + b"a,1\n" * (MAX_ROWS + 1)
    with pytest.raises(UploadError, match="50,001 rows"):
        read_upload("long.csv", rows)
    assert len(read_upload("ok.csv", b"g,y\n" + b"a,1\n" * MAX_ROWS).data) == MAX_ROWS
