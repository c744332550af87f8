"""The runnable demo site: settings, URLs and the demo-data command."""
