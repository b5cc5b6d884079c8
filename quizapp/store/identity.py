"""Is the database file still the one quizapp opened?

SQLite writes through the file it opened, not through its name. If the file is deleted, or another
file is moved over its name (`mv backup.db quizapp.db`) while a session runs, every later answer
would be committed into a file nobody can see any more — and acknowledged. And a file with two
names (a hard link) gets one WAL per name, so two sessions through the two names overwrite each
other's answers. So the store refuses a file with more than one name, remembers the file's
identity (device, inode) at open, and checks it — one `os.stat` — before every commit and at exit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from quizapp.store.errors import StoreError


@dataclass(frozen=True)
class FileIdentity:
    device: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> FileIdentity:
        """The identity of the database at `path`; refuses a file with several names."""
        info = os.stat(path)
        refuse_hard_links(path, info.st_nlink)
        return cls(info.st_dev, info.st_ino)

    def check(self, path: Path, unsaved: str) -> None:
        """Raise StoreError naming `unsaved` if `path` is gone, another file, or got a 2nd name."""
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise StoreError(f"{path}: the database file was deleted or moved while quizapp ran; "
                             f"not saved: {unsaved}") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot check the database file ({exc.strerror}); "
                             f"not saved: {unsaved}") from None
        if (info.st_dev, info.st_ino) != (self.device, self.inode):
            raise StoreError(f"{path}: the database file was replaced by another file while "
                             f"quizapp ran; not saved: {unsaved}")
        refuse_hard_links(path, info.st_nlink, unsaved)


def refuse_hard_links(path: Path, links: int, unsaved: str | None = None) -> None:
    if links > 1:
        tail = f"; not saved: {unsaved}" if unsaved else ""
        raise StoreError(f"{path}: the database file has {links} names (hard links); two "
                         "sessions through two names lose answers — keep one name (delete the "
                         f"other links) or use `quizapp backup` for a copy{tail}")
