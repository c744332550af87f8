"""The training archive: pure period arithmetic (periods.py), writes (services.py), reads (selectors.py)."""
