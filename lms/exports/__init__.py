"""Excel exports. ONE streaming exporter (writer.py: openpyxl write-only mode, formula neutralisation, frozen
header, auto-filter, widths, date formats, status colours) used by every export (archive.py), the background
jobs (jobs.py), the API and the ``lms_export`` command. ``cells.py`` holds the pure cell rules."""
