import pytest

from gkaudit import ReadError, parse_bytes, parse_file
from gkaudit.read.source import decode, read_text

from conftest import SEEDS


@pytest.mark.parametrize(
    "encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"]
)
def test_encodings_parse_exactly_like_utf8(encoding, tmp_path):
    path = SEEDS["002"]
    text = path.read_text("utf-8")
    other = tmp_path / "report.txt"
    other.write_bytes(text.encode(encoding))
    assert read_text(other) == text
    expected = parse_file(path).to_dict()
    actual = parse_file(other).to_dict()
    expected["path"] = actual["path"] = None
    assert actual == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" * 20, "binary file"),
        (b"\xff\xfe\x00\xd8", "not valid"),
    ],
)
def test_bad_bytes_raise_read_error(data, message):
    with pytest.raises(ReadError, match=message):
        decode(data)


def test_too_large_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing read
    with pytest.raises(ReadError, match=r"file too large: 52\.4 MB \(limit 5\.2 MB\)"):
        read_text(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(ReadError, match="directory"):
        read_text(tmp_path)


def test_parse_bytes_names_the_source():
    with pytest.raises(ReadError) as caught:
        parse_bytes(b"", path="x.txt")
    assert str(caught.value) == "x.txt: empty file"


def test_hostile_shapes_are_bounded():
    from gkaudit import parse_text
    from gkaudit.parse.lexer import logical_lines
    from gkaudit.read.layout import MAX_CELLS, text_document

    (line,) = logical_lines(text_document("1 " * 100_000))
    assert not line.is_row
    (line,) = logical_lines(text_document("0\t" * (MAX_CELLS + 1)))
    assert not line.is_row and "\t" not in line.text
    with pytest.raises(ReadError, match="too many lines: 50001"):
        parse_text("x\n" * 50_000)
