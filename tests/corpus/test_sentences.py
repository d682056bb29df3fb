"""Text blocks (corpus.prose.sentences): which sub-unit a paragraph speaks for."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from corpus.loader import load_document
from corpus.prose.sentences import alias_map, document_blocks, leading_org

ROOT = Path(__file__).resolve().parents[2]
D001 = ROOT / "corpus" / "001_e7d8d3c89f9e36b3.txt"
BUREAU, CENTRE = "深圳市医疗保障局", "深圳市医疗保险基金管理中心"


def test_aliases_of_the_consolidated_budget():
    aliases = alias_map(load_document(D001))
    assert aliases["市医保局本级"] == f"{BUREAU}本级"
    assert aliases["市医保中心"] == CENTRE


def test_leading_org_by_short_or_full_name():
    aliases = {"市医保局本级": f"{BUREAU}本级", "市医保中心": CENTRE}
    assert leading_org("市医保局本级内设办公室（机关党委）、规划财务和智慧医保处", aliases, BUREAU) == f"{BUREAU}本级"
    assert leading_org("市医保中心内设综合部、基金与财务管理部", aliases, BUREAU) == CENTRE
    assert leading_org(f"{CENTRE}纳入 2022 年部门预算的政府采购项目", aliases, BUREAU) == CENTRE


def test_leading_org_ignores_the_department_itself_and_bare_names():
    aliases = {"市医保局本级": f"{BUREAU}本级"}
    assert leading_org(f"{BUREAU}包括{BUREAU}本级", aliases, BUREAU) is None      # the whole document
    assert leading_org("市医保局本级", aliases, BUREAU) is None                    # a heading, no words after
    assert leading_org("市医保局本级，", aliases, BUREAU) is None
    assert leading_org("本单位共设 18 个内（下）设机构", aliases, BUREAU) is None


@given(st.text(min_size=0, max_size=30))
def test_leading_org_only_returns_known_names(text):
    aliases = {"市医保局本级": f"{BUREAU}本级", "市医保中心": CENTRE}
    assert leading_org(text, aliases, BUREAU) in (None, f"{BUREAU}本级", CENTRE)


def test_numbered_paragraphs_of_the_consolidated_budget_speak_for_their_unit():
    blocks = document_blocks(load_document(D001))
    by_line = {b.starts[0][1]: b for b in blocks}
    assert by_line[71].entity == f"{BUREAU}本级"       # "1. 市医保局本级内设…"
    assert by_line[73].entity == CENTRE                # "2. 市医保中心内设…"
