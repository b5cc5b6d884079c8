"""The door to `quizapp.store.transfer` for `quizapp migrate-store`: which learners go where."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from quizapp.errors import QuizappError
from quizapp.session.context import AppContext
from quizapp.store.store import Store
from quizapp.store.transfer import TransferReport, copy_learner


def _same_store(a: Path | str, b: Path | str) -> bool:
    if isinstance(a, Path) and isinstance(b, Path):
        try:
            return b.exists() and os.path.samefile(a, b)
        except OSError:
            return False
    return str(a) == str(b)


def copy_history(ctx: AppContext, target: Path | str, *, all_learners: bool = False,
                 as_user: str | None = None) -> Iterator[TransferReport]:
    """Copy the context's learner (or every learner of its store) into the store at `target`;
    yields one report per learner as each is committed."""
    if _same_store(ctx.store.path, target):
        raise QuizappError(f"{target}: is the store you are copying from; --to names the other one")
    names = ctx.store.learners() if all_learners else [ctx.store.learner]
    with Store.open(target, as_user or names[0]) as out:
        for name in names:
            yield copy_learner(ctx.store.as_learner(name), out.as_learner(as_user or name))
