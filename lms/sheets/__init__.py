"""Spreadsheets, for every app of lms: the one streaming exporter (``writer``), the pure cell rules (``cells``),
safe reading of uploaded workbooks (``reading``) and a workbook as a download (``responses``). A library, not a
Django app: it holds no models and knows no domain, so every app may use it and it imports none of them."""
