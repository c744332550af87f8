"""certificates: issued on course completion or exam pass; validity, PDF, verification."""
