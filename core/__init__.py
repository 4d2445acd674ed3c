"""The lowest layer: settings, errors and text helpers. Nothing here imports the rest of the app."""

__all__ = []
