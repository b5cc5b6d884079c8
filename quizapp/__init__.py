"""quizapp: a terminal spaced-repetition quiz for the vocabulary of large-model compute."""

__version__ = "0.1.0"
