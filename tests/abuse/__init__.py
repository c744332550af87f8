"""The abuse suite: attacks that once worked (issue #22), each kept closed by a test."""
