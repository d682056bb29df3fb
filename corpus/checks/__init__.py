"""Arithmetic checks on parsed tables: rounding-aware sums, row and column totals, the same figure across tables."""
