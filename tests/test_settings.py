from pathlib import Path

from settings import Settings


def test_defaults_are_offline_builtin():
    s = Settings.from_env({})
    assert s.llm == "builtin" and s.chroma_host is None and s.port == 7860


def test_env_then_flags_override():
    s = Settings.from_env({"BUDGETQA_LLM": "openai", "CHROMA_PORT": "9000", "BUDGETQA_DATA": "/tmp/x"},
                          llm="ollama", chroma_port=None)
    assert s.llm == "ollama" and s.chroma_port == 9000 and s.data_dir == Path("/tmp/x")
