"""The extractor package: incidents and actors from conflict news."""

__version__ = "0.1.0"
