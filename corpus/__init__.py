"""What the documents say. loader.py reads a file of any supported type into a Document, metadata.py
tells whose budget of which year it is, parse.py turns it into tables and facts (model.py). The rooms:
formats/ (one reader per file type), tables/ (tab-separated tables), spaced/ (space-joined tables with
collapsed columns), checks/ (their arithmetic), prose/ (figures in running text), reports/ (what
`budget-qa facts` prints)."""
