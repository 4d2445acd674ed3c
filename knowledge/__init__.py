"""What the informants know: the built-in notes and persona cards (data files beside this code),
the topic and flag vocabulary, and the code that reads, stores and searches them."""

from pathlib import Path

__all__ = ["NOTES_DIR", "PERSONAS_DIR"]

NOTES_DIR = Path(__file__).parent / "notes"
PERSONAS_DIR = Path(__file__).parent / "personas"
