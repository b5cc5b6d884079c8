"""Persistence: the only package that imports SQLAlchemy. It stores what it is told; `quizapp.srs`
decides. `Store` (in `quizapp.store.store`) is the one class the rest of the app uses."""
