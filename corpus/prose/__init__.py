"""Figures in running text: headings, figures with units, item phrases, sentence blocks, prose facts."""
