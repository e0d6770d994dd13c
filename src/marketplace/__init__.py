"""Marketplace backend for the community groups and small producers of Kepulauan Bangka Belitung."""

__version__ = "0.1.0"
