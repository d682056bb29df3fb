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
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(DocumentError, match="report.docx"):
        load_document(path)


@given(st.text(alphabet=st.characters(codec="gbk", exclude_categories=("Cs", "Cc")), min_size=1, max_size=200))
def test_any_gbk_text_round_trips(text):
    if not text.strip():
        return
    decoded, _ = decode_text(text.encode("gbk"))
    assert decoded == text
