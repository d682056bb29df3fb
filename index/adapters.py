"""Our Embedder as a Chroma embedding function and as a llama-index BaseEmbedding."""
from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from index.embedders import Embedder, make_embedder


@register_embedding_function
class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma (1.x) embedding function: passages via __call__, queries via embed_query.

    Chroma rebuilds embedding functions from their stored config (also just to check them), so one
    rebuilt from config loads its model only when first asked to embed."""

    def __init__(self, embedder: Embedder | None = None, spec: str | None = None):
        self._embedder = embedder
        self._spec = embedder.spec if embedder is not None else (spec or "use")

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self._spec)
        return self._embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embedder.embed_documents(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return [self.embedder.embed_query(text) for text in input]

    @staticmethod
    def name() -> str:
        return "budgetqa"

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self._spec}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "ChromaEmbeddingFunction":
        return ChromaEmbeddingFunction(spec=config.get("embedder", "use"))

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine", "ip", "l2"]


def llama_index_embedding(embedder: Embedder):
    """A llama-index BaseEmbedding over our embedder (llama-index is imported only when asked for)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class BudgetQAEmbedding(BaseEmbedding):
        _embedder: Any = PrivateAttr()

        def __init__(self, inner: Embedder, **kwargs: Any):
            super().__init__(model_name=inner.spec, **kwargs)
            self._embedder = inner

        @classmethod
        def class_name(cls) -> str:
            return "BudgetQAEmbedding"

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed_query(query).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed_documents([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed_documents(list(texts)).tolist()

    return BudgetQAEmbedding(embedder)
