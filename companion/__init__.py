"""A local-first companion for low back pain and cramps."""

__version__ = "0.1.0"
