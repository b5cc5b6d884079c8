"""Anki export: `quizapp export` builds an .apkg from the deck, optionally with SM-2 progress.

Imports neither Textual nor SQLAlchemy; genanki is imported lazily inside the functions that use it.
"""

from quizapp.export.apkg import ExportResult, default_filename, export_apkg

__all__ = ["ExportResult", "default_filename", "export_apkg"]
