"""What the corpus layer reports: `budget-qa facts` export and parse report, number coverage, agreement of other
formats with the text."""
