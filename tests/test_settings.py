from pathlib import Path

from settings import Settings


def test_defaults_are_offline_builtin():
    s = Settings.from_env({})
    assert s.llm == "builtin" and s.chroma_host is None and s.port == 7860


def test_env_then_flags_override():
    s = Settings.from_env({"BUDGETQA_LLM": "openai", "CHROMA_PORT": "9000", "BUDGETQA_DATA": "/tmp/x"},
                          llm="ollama", chroma_port=None)
    assert s.llm == "ollama" and s.chroma_port == 9000 and s.data_dir == Path("/tmp/x")


def test_search_and_label_embedders_default_and_come_from_the_environment():
    from assistant.knowledge import label_embedder
    from settings import Settings
    default = Settings.from_env({})
    assert (default.embedder, default.label_embedder) == ("use", "use")
    same = Settings.from_env({"BUDGETQA_LABEL_EMBEDDER": "index"})

    class IndexEmbedder:
        spec = "e5"
    search = IndexEmbedder()
    assert label_embedder(same, search) is search
    assert label_embedder(Settings.from_env({"BUDGETQA_LABEL_EMBEDDER": "e5"}), search) is search
    said = []
    assert label_embedder(Settings.from_env({"BUDGETQA_LABEL_EMBEDDER": "nonsense"}), search, said.append) is search
    assert said and "nonsense" in said[0]
    assert label_embedder(default, search).spec == "use"
