"""PDF, XLSX and DOCX renderings of the seed documents read back to the text parser's facts."""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from corpus.reports.agreement import compare, fact_key, table_key
from corpus.tables.cells import split_cells
from corpus.formats.base import Grid, Paragraph, join_wrapped, layout_from_blocks
from corpus.formats.xlsx import format_cell
from corpus.loader import MAX_BYTES, DocumentError, document_from_bytes, load_document
from corpus.parse import parse_document
from eval.rendering.render import render_document

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEEDS = sorted(CORPUS.glob("00*.txt"))
# 002's tables are space-collapsed in its text: PDF/DOCX keep them as text lines, XLSX writes the parsed
# tables as real cells, which the tab-table parser reads back (same facts, same checks).
NO_CELLS_IN_TEXT = "002_339364824c9abd23"


@pytest.fixture(scope="module")
def gold() -> dict[str, object]:
    return {p.stem: parse_document(load_document(p)) for p in SEEDS}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rendered")
    out = {}
    for seed in SEEDS:
        for suffix in (".pdf", ".xlsx", ".docx"):
            path = folder / f"{seed.stem}{suffix}"
            path.write_bytes(render_document(seed, suffix))
            out[path.name] = path
    return out


@pytest.fixture(scope="module")
def parsed(rendered) -> dict[str, object]:
    return {name: parse_document(load_document(path)) for name, path in rendered.items()}


CASES = [(s.stem, suffix) for s in SEEDS for suffix in (".pdf", ".xlsx", ".docx")]


@pytest.mark.parametrize("stem, suffix", CASES)
def test_each_rendering_finds_the_text_facts_and_agrees_on_checks(gold, parsed, stem, suffix):
    result = compare(gold[stem], parsed[stem + suffix])
    assert result.share >= 0.99, result.missing
    assert result.checks_ok, result.check_mismatches


@pytest.mark.parametrize("stem", [s.stem for s in SEEDS])
def test_metadata_is_the_same_from_every_format(gold, parsed, stem):
    for suffix in (".pdf", ".xlsx", ".docx"):
        assert parsed[stem + suffix].document.meta == gold[stem].document.meta


def test_pdf_facts_carry_their_page_and_box(parsed):
    facts = parsed["000_8eb411c3622be9ee.pdf"].facts
    assert all(f.location and f.location.page and f.location.bbox for f in facts)
    pages = {f.location.page for f in facts}
    assert len(pages) > 10
    assert facts[0].to_json()["page"] == facts[0].location.page


def test_a_table_split_over_a_page_break_is_one_table_without_its_repeated_header(gold, parsed):
    split = 0
    for stem in gold:
        doc = parsed[f"{stem}.pdf"]
        text_tables = {table_key(t) for t in gold[stem].tables}
        for table in doc.tables:
            if len({doc.document.location(r.line).page for r in table.rows}) > 1:
                split += 1
                assert table_key(table) in text_tables, table.title   # same rows, no header rows among them
    assert split >= 3


def test_pdfium_reads_the_same_lines_and_pages_as_pdfminer(rendered):
    """Pages' objects come from PDFium (fast); pdfminer's reading, kept for pages PDFium cannot read, agrees."""
    import pdfplumber
    from corpus.formats.pdf import _read_pages, read_pdf
    data = rendered["004_7457e2252370b02a.pdf"].read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        slow = _read_pages("004.pdf", list(pdf.pages))
    fast = read_pdf("004.pdf", data)
    assert fast.lines == slow.lines
    assert [loc and loc.page for loc in fast.locations] == [loc and loc.page for loc in slow.locations]


def test_xlsx_facts_name_their_sheet(parsed):
    facts = [f for f in parsed["003_e2aa0d4e68ff0396.xlsx"].facts if f.source == "table"]
    assert facts and all(f.location.sheet and f.location.sheet.startswith("表") for f in facts)


def test_xlsx_numbers_are_stored_as_numbers(rendered):
    from openpyxl import load_workbook
    book = load_workbook(rendered["000_8eb411c3622be9ee.xlsx"])
    numbers = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row
               if isinstance(c.value, (int, float))]
    assert len(numbers) > 500


def test_rendered_pdf_has_merged_header_cells(parsed):
    lines = parsed["000_8eb411c3622be9ee.pdf"].document.lines
    assert "收 入\t\t支 出\t" in lines     # '收 入' spans two columns, read back as a blank continuation


# --- refusals ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def damaged(rendered) -> dict[str, bytes]:
    from eval.rendering.pdf import render_damaged_pdfs
    return render_damaged_pdfs(rendered["004_7457e2252370b02a.pdf"].read_bytes())


SCANNED = ("004_7457e2252370b02a.pdf", 3)   # a page with two ruled tables and prose


@pytest.fixture(scope="module")
def scanned(rendered) -> bytes:
    from eval.rendering.scan import scan_pages
    name, page = SCANNED
    return scan_pages(rendered[name].read_bytes(), {page})


def test_a_page_that_is_only_an_image_is_read_by_ocr_and_its_facts_say_so(parsed, scanned):
    name, number = SCANNED
    doc = parse_document(document_from_bytes("scan.pdf", scanned))
    vector = parsed[name]
    on_page = [f for f in vector.facts if f.location.page == number]
    read = [f for f in doc.facts if f.location.page == number]
    assert on_page and read and all(f.location.ocr for f in read)
    assert read[0].location.label() == f"p. {number} (OCR)" and read[0].to_json()["ocr"] is True
    found = {fact_key(f) for f in read}
    assert sum(fact_key(f) in found for f in on_page) / len(on_page) >= 0.95, [
        fact_key(f) for f in on_page if fact_key(f) not in found]
    others = [fact_key(f) for f in doc.facts if f.location.page != number]
    assert others == [fact_key(f) for f in vector.facts if f.location.page != number]
    assert not any(f.location.ocr for f in doc.facts if f.location.page != number)


def test_the_ocr_models_ship_inside_the_installed_package():
    """Nothing is fetched at run time: the recogniser reads its ONNX models from its own folder."""
    import rapidocr_onnxruntime
    models = Path(rapidocr_onnxruntime.__file__).parent / "models"
    assert len(list(models.glob("*det*.onnx"))) == 1 and len(list(models.glob("*rec*.onnx"))) == 1


def test_without_ocr_a_scanned_page_is_refused_naming_file_and_page(scanned, monkeypatch):
    import corpus.formats.pdf as pdf_reader
    monkeypatch.setattr(pdf_reader, "ocr_available", lambda: False)
    with pytest.raises(DocumentError, match=rf"^scan\.pdf: pages {SCANNED[1]} have no text layer .*OCR is not installed"):
        document_from_bytes("scan.pdf", scanned)


@pytest.mark.parametrize("name, reason", [("truncated.pdf", "not a readable pdf"),
                                          ("encrypted.pdf", "encrypted"),
                                          ("scanned.pdf", "pages 2 have no text layer")])
def test_damaged_pdfs_are_refused_naming_file_and_reason(damaged, name, reason):
    with pytest.raises(DocumentError) as err:
        document_from_bytes(name, damaged[name])
    assert str(err.value).startswith(f"{name}:") and reason in str(err.value).lower()


def test_a_workbook_without_numbers_is_refused():
    from eval.rendering.xlsx import render_workbook_without_numbers
    with pytest.raises(DocumentError, match=r"^words\.xlsx: the workbook holds no numbers"):
        document_from_bytes("words.xlsx", render_workbook_without_numbers())


@pytest.mark.parametrize("name", ["big.pdf", "big.xlsx", "big.docx", "big.txt"])
def test_a_file_over_the_size_limit_is_refused_before_reading(name):
    with pytest.raises(DocumentError, match=rf"^{name}: .* over the 50 MiB limit"):
        document_from_bytes(name, b"x" * (MAX_BYTES + 1))


@pytest.mark.parametrize("name", ["broken.xlsx", "broken.docx"])
def test_corrupt_office_files_are_refused(name):
    with pytest.raises(DocumentError, match=rf"^{name}: not a readable"):
        document_from_bytes(name, b"PK\x03\x04 not really a zip")


# --- properties of the pure helpers --------------------------------------------------------------

@given(st.decimals(min_value=Decimal("-1e11"), max_value=Decimal("1e11"), places=2, allow_nan=False))
def test_a_typed_number_reads_back_exactly_at_its_format_decimals(value):
    assert Decimal(format_cell(float(value), "#,##0.00")) == value


@given(st.lists(st.lists(st.text(alphabet="收入支出合计 0123456789.,", max_size=8), min_size=1, max_size=6),
                min_size=1, max_size=8))
def test_grid_rows_come_back_as_tab_separated_cells(rows):
    grid = Grid(tuple(tuple(r) for r in rows))
    layout = layout_from_blocks([Paragraph("标题"), grid])
    width = max(len(r) for r in rows)
    assert [split_cells(line) for line in layout.lines[1:]] == [
        [c.strip() for c in r] + [""] * (width - len(r)) for r in rows]


@given(st.text(alphabet="一般公共预算拨款医疗保障", min_size=1, max_size=40), st.data())
def test_cjk_text_wrapped_anywhere_rejoins_without_spaces(text, data):
    cuts = sorted(set(data.draw(st.lists(st.integers(1, max(1, len(text) - 1)), max_size=4))))
    pieces = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
    assert join_wrapped(pieces) == text
