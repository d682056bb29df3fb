"""Space-joined tables whose columns collapsed (PDF text without tabs): tokens, regions, drafts, headers, columns
recovered from the tables' own arithmetic, the numbered public tables, performance and scoring tables,
coverage."""
