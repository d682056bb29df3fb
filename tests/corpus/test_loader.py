from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from corpus.loader import DocumentError, decode_text, document_from_bytes, load_document

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEED = CORPUS / "003_e2aa0d4e68ff0396.txt"


def test_utf8_seed_loads_with_lines_and_hash():
    doc = load_document(SEED)
    assert doc.encoding == "utf-8"
    assert doc.line(4) == "江门市医疗保障局（本级）部门预算"
    assert len(doc.sha256) == 64


def test_gbk_copy_reads_the_same_text():
    data = SEED.read_bytes()
    utf8 = document_from_bytes("x.txt", data)
    gbk = document_from_bytes("x.txt", data.decode("utf-8").encode("gbk"))
    assert gbk.encoding == "gb18030"
    assert gbk.lines == utf8.lines
    assert gbk.meta == utf8.meta


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(128, 256)) * 20, "cannot decode"),
])
def test_bad_input_gets_a_clear_error_naming_the_file(data, message):
    with pytest.raises(DocumentError) as err:
        document_from_bytes("bad.txt", data)
    assert "bad.txt" in str(err.value) and message in str(err.value)


def test_unsupported_suffix_is_refused(tmp_path):
    path = tmp_path / "report.doc"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(DocumentError, match="report.doc: unsupported"):
        load_document(path)


_DOC_CHARS = st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
                       st.sampled_from("0123456789,.：（）、。 万元\t\n")).filter(lambda ch: _gbk_ok(ch))


def _gbk_ok(ch: str) -> bool:
    try:
        ch.encode("gbk")
        return True
    except UnicodeEncodeError:
        return False


@given(st.text(alphabet=_DOC_CHARS, min_size=1, max_size=200))
def test_document_like_text_round_trips_through_gbk_and_utf8(text):
    if not text.strip():
        return
    assert decode_text(text.encode("gbk"))[0] == text
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")
