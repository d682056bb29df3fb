"""Issue 14: the dev set asked over an index built from the seeds rendered to PDF only gets within 0.02
of the text-built index (the same figure `python -m eval.format_parity` prints)."""
from __future__ import annotations

from settings import ROOT, Settings
from eval.format_parity import ask_all, format_sides, render_corpus_to, seed_data_dir

TOLERANCE = 0.02


def test_the_dev_set_over_the_pdfs_only_scores_as_over_the_text(tmp_path):
    settings = Settings.from_env()
    dev = ROOT / "eval" / "dev.jsonl"
    text = ask_all("text", settings, dev)                       # builds the default index when missing
    corpus = render_corpus_to(settings.corpus_dir, tmp_path / "corpus", ".pdf")
    data = seed_data_dir(settings.data_dir, tmp_path / "data")  # vectors reused; only new text is embedded
    pdf = ask_all("pdf", settings.with_(corpus_dir=corpus, data_dir=data), dev)
    assert sorted(p.name for p in corpus.iterdir()) == [p.with_suffix(".pdf").name
                                                        for p in sorted(settings.corpus_dir.glob("*.txt"))]
    assert abs(pdf.answered_and_cited - text.answered_and_cited) <= TOLERANCE, format_sides(text, pdf)
