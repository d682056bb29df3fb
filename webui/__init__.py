"""The web face of budget-qa: pure HTML rendering, source lookup, upload checks, the Gradio UI and the REST API."""
