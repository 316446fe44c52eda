"""watcher: news-desk alerting."""
__version__ = "0.1.0"
