"""Tab-separated tables: cells, headers and column paths, row hierarchy, sub-units, regions, rows, targets in
text cells, and the facts a table's cells become."""
