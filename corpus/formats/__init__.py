"""File formats: each reader turns a file's bytes into document lines (+ where each line sits)."""
