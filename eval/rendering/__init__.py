"""Render the seed documents to PDF, XLSX and DOCX, so the other-format readers have known gold."""
