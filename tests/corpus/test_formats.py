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

D = Decimal
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


# --- what a publisher's workbook holds, read generally ----------------------------------------------

def _workbook(build) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side
    book = Workbook()
    ruled = Border(*(Side(style="thin"),) * 4)
    build(book.active, ruled)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write(sheet, top, rows, ruled=None):
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            cell = sheet.cell(row=top + r, column=c + 1)
            if ruled is not None:
                cell.border = ruled
            if isinstance(value, tuple):
                cell.value, cell.number_format = value
            elif value != "":
                cell.value = value


def test_a_number_formats_literal_text_is_part_of_the_printed_figure():
    assert format_cell(322.5, '"≥"0.0"万人"') == "≥322.5万人"
    assert format_cell(0.995, '"≥"0.0%') == "≥99.5%"
    assert format_cell(10, '0"分"') == "10分" and format_cell(12.3, "0.0\\分") == "12.3分"
    assert format_cell(1515.19, "[Red]#,##0.00;-#,##0.00") == "1515.19"


def test_performance_grid_with_level_columns_typed_targets_and_a_merged_figure():
    def build(sheet, ruled):
        sheet.append(["2024年某某市医疗保障局部门决算"])
        sheet.append(["项目支出绩效自评表（示例项目）"])
        sheet.append(["单位：元"])
        _write(sheet, 4, [
            ["一级指标", "二级指标", "项目", "年度指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "审核单量", (60000, '"≥"0"单"'), (61234, '0"单"'), (50, '0"分"'), (50, '0"分"')],
            ["效益指标", "满意度指标", "满意度", (0.9, '"≥"0%'), (0.95, "0%"), (50, '0"分"'), (48.5, '0.0"分"')],
            ["", "", "总分", "", "", (100, '0"分"'), (98.5, '0.0"分"')],
            ["", "", "合计（示意）", "", "", (7, '0"分"'), ""],
        ], ruled)
        sheet.merge_cells(start_row=8, start_column=6, end_row=8, end_column=7)
    doc = parse_document(document_from_bytes("form.xlsx", _workbook(build)))
    [table] = doc.tables
    assert table.title == "项目支出绩效自评表（示例项目）" and table.unit == "元"
    row = next(r for r in table.rows if r.label == "审核单量")
    target = table.columns.index(("年度指标值",))
    assert row.path == ("产出指标", "数量指标", "审核单量")
    assert (row.cells[target], row.cell_units[target], row.cell_qualifiers[target]) == (D("60000"), "单", "≥")
    names = {c.name: c for c in table.checks}
    assert names["column-total"].passed                      # Σ 分值 = 100, Σ 得分 = 98.5 (points, exact)
    merged = next(r for r in table.rows if r.label == "合计（示意）")
    assert merged.cells[table.columns.index(("分值",))] is None and merged.unplaced == ((D("7"), (2, 3)),)
    assert not names["column-assignment"].passed            # 7 printed across 分值 and 得分: not guessed


def test_unequal_side_by_side_parts_and_a_blank_total_row_ruled_below_the_grid():
    def build(sheet, ruled):
        sheet.append(["2024年某某市医疗保障局部门预算"])
        sheet.append(["财政拨款收支总表"])
        sheet.append(["单位：万元"])
        _write(sheet, 4, [["收入", "", "支出", "", ""],
                          ["项目", "金额", "项目", "合计", "一般公共预算"],
                          ["一般公共预算", (12.5, "0.00"), "卫生健康支出", (12.5, "0.00"), (12.5, "0.00")],
                          ["收入总计", (12.5, "0.00"), "支出总计", (12.5, "0.00"), (12.5, "0.00")]], ruled)
        sheet.append([])
        sheet.append(["国有资本经营预算支出表"])
        sheet.append(["单位：万元"])
        _write(sheet, 11, [["项目", "合计", "基本支出"], ["合计"]], ruled)
    doc = parse_document(document_from_bytes("parts.xlsx", _workbook(build)))
    income, spending, empty = doc.tables
    assert (income.part, spending.part) == ("收入", "支出")
    assert income.columns == (("金额",),) and spending.columns == (("合计",), ("一般公共预算",))
    assert [r.label for r in empty.rows] == ["合计"] and empty.rows[0].cells == (None, None)
