"""Adviser Toolkit: an offline case book for SENDIASS advisers in England."""

__version__ = "0.1.0"
