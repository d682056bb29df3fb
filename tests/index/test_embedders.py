"""Embedder backends for real (MiniLM via sentence-transformers, USE, e5) and their adapters."""
from __future__ import annotations

import numpy as np
import pytest

from index.adapters import ChromaEmbeddingFunction, llama_index_embedding
from index.embedders import EmbedderError, embedder_slug, make_embedder


def _unit(rows: np.ndarray) -> bool:
    return bool(np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-4))


def test_sentence_transformers_backend_embeds_and_ranks_meaningfully(minilm):
    docs = ["official cars used by the government", "pension insurance contributions", "printing costs"]
    vectors = minilm.embed_documents(docs)
    assert vectors.shape == (3, minilm.dim) and minilm.dim == 384 and _unit(vectors)
    query = minilm.embed_query("government vehicles")
    assert query.shape == (384,)
    assert int(np.argmax(vectors @ query)) == 0
    assert minilm.embed_documents([]).shape == (0, 384)
    assert minilm.spec.startswith("st:") and minilm.spec.endswith("model")


@pytest.mark.parametrize("spec, dim", [("use", 512), ("e5", 384)])
def test_multilingual_backends_load_offline_and_match_across_languages(spec, dim):
    embedder = make_embedder(spec)
    docs = embedder.embed_documents(["公务用车运行维护费", "机关事业单位基本养老保险缴费支出"])
    assert docs.shape == (2, dim) and _unit(docs)
    query = embedder.embed_query("official vehicle running costs")
    assert int(np.argmax(docs @ query)) == 0


def test_unknown_or_missing_models_raise_a_clear_error():
    with pytest.raises(EmbedderError, match="unknown embedder"):
        make_embedder("word2vec")
    with pytest.raises(EmbedderError, match="without a network connection"):
        make_embedder("st:/no/such/model/dir")


def test_embedder_slugs_are_safe_names():
    assert embedder_slug("use") == "use"
    assert embedder_slug("st:minilm") == "st-minilm"
    assert embedder_slug("st:/models/paraphrase multilingual/") == "st-paraphrase-multilingual"


def test_llama_index_embedding_wraps_the_embedder(minilm):
    embedding = llama_index_embedding(minilm)
    texts = ["三公经费", "official reception"]
    assert np.allclose(embedding.get_text_embedding_batch(texts), minilm.embed_documents(texts), atol=1e-5)
    assert np.allclose(embedding.get_query_embedding("vehicles"), minilm.embed_query("vehicles"), atol=1e-5)
    assert embedding.model_name == minilm.spec


def test_chroma_embedding_function_works_inside_a_real_collection(tmp_path, minilm):
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    client = chromadb.PersistentClient(path=str(tmp_path / "c"), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.create_collection("ef-test", embedding_function=ChromaEmbeddingFunction(minilm))
    collection.add(ids=["a", "b"], documents=["official cars and their running costs", "staff pension payments"])
    result = collection.query(query_texts=["government vehicles"], n_results=1)
    assert result["ids"][0] == ["a"]
    rebuilt = ChromaEmbeddingFunction.build_from_config({"embedder": minilm.spec})
    assert rebuilt._embedder is None                     # no model is loaded just to check a config
    assert rebuilt.get_config() == {"embedder": minilm.spec}
