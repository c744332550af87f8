"""The HR roster import: pure row rules (rules.py), workbook reading and the all-or-nothing commit (services.py)."""
