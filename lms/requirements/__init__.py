"""Training requirements and the training matrix: ``rules.py`` (pure status and forecast), ``selectors.py``
(applicable requirements and the matrix, in a constant number of queries), ``services.py`` (writes)."""
