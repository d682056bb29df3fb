from pathlib import Path

import pytest

from corpus.loader import load_document
from corpus.metadata import MetadataError, detect_metadata

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

EXPECTED = {
    "000_8eb411c3622be9ee.txt": ("深圳市医疗保险基金管理中心", "本级", 2024, "预算", "万元"),
    "001_e7d8d3c89f9e36b3.txt": ("深圳市医疗保障局", "汇总", 2022, "预算", "万元"),
    "002_339364824c9abd23.txt": ("深圳市医疗保险基金管理中心", None, 2020, "决算", "万元"),
    "003_e2aa0d4e68ff0396.txt": ("江门市医疗保障局", "本级", 2024, "预算", "万元"),
    "004_7457e2252370b02a.txt": ("漳州市医疗保障局", "汇总", 2024, "预算", "万元"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_metadata_detected_from_text(name):
    meta = load_document(CORPUS / name).meta
    assert (meta.org, meta.scope, meta.year, meta.kind, meta.unit) == EXPECTED[name]


def test_a_new_city_and_year_works_the_same_way():
    lines = ["2025 年度", "广州市医疗保障局（本级）", "部门决算", "", "单位：元", "单位：元", "单位：万元"]
    meta = detect_metadata(lines)
    assert (meta.org, meta.scope, meta.year, meta.kind, meta.unit) == ("广州市医疗保障局", "本级", 2025, "决算", "元")


def test_org_before_year_title():
    meta = detect_metadata(["", " 二、佛山市卫生健康局 2021 年度部门决算表"])
    assert (meta.org, meta.year, meta.kind) == ("佛山市卫生健康局", 2021, "决算")


def test_no_title_is_a_clear_error():
    with pytest.raises(MetadataError, match="notes.txt"):
        detect_metadata(["会议纪要", "今天天气很好"], "notes.txt")
