"""A validated deck, remembered between runs so start-up does not re-parse unchanged TOML.

The key covers quizapp's version and every deck file's path and bytes (hashing is far cheaper
than parsing), so any edit or upgrade means a fresh, fully validated load. The cache lives in the user's own cache
folder; anything wrong with it (unreadable, stale format, no permission) just means a normal load.

A cache file is `MAGIC`, the SHA-256 of the pickled deck, then the pickle: a flipped bit or a
truncated file fails the check, is deleted and rebuilt — never unpickled into a wrong deck.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from pathlib import Path

from quizapp import __version__
from quizapp.deck.load import MAX_FILE_BYTES, expand, load_deck
from quizapp.deck.model import Deck

CACHE_ENV = "QUIZAPP_CACHE"  # a folder, or "off"
MAGIC = b"quizapp deck cache 2\n"
_DIGEST = hashlib.sha256().digest_size


def cache_dir() -> Path | None:
    value = os.environ.get(CACHE_ENV, "")
    if value.lower() == "off":
        return None
    if value:
        return Path(value)
    from platformdirs import user_cache_path

    return user_cache_path("quizapp", appauthor=False)


def _key(files: Sequence[Path]) -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in files:
        digest.update(f"\0{path.resolve()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def load_deck_cached(paths: Sequence[Path | str]) -> Deck:
    """Like `load_deck`, but reuses the last validated result while no deck file has changed."""
    folder = cache_dir()
    files, problems = expand(Path(p) for p in paths)
    if folder is None or problems or not all(_plain_file(f) for f in files):
        return load_deck(paths)  # let the loader name whatever is odd about these paths
    try:
        cached = folder / f"deck-{_key(files)}.pickle"
    except OSError:
        return load_deck(paths)
    deck = _read(cached)
    if deck is None:
        deck = load_deck(paths)
        deck.cards()  # computed once, stored with the deck
        _save(cached, deck)
    return deck


def _plain_file(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size <= MAX_FILE_BYTES
    except OSError:
        return False


def _read(cached: Path) -> Deck | None:
    """The cached deck, if its checksum holds. Streamed twice through one open file (hashed, then
    unpickled): the 40 MB payload of a big deck is never held as bytes beside the deck it becomes
    (peak memory), and an atomic replace of the file meanwhile cannot mix two versions."""
    try:
        with cached.open("rb") as handle:
            head, digest = handle.read(len(MAGIC)), handle.read(_DIGEST)
            checksum = hashlib.sha256()
            while chunk := handle.read(1 << 20):
                checksum.update(chunk)
            if head != MAGIC or checksum.digest() != digest:
                cached.unlink(missing_ok=True)  # damaged or from another version: rebuilt by the caller
                return None
            handle.seek(len(MAGIC) + _DIGEST)
            deck = pickle.load(handle)
    except OSError:
        return None
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return deck if isinstance(deck, Deck) else None


def _save(target: Path, deck: Deck) -> None:
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.part")
        payload = pickle.dumps(deck, protocol=pickle.HIGHEST_PROTOCOL)
        with partial.open("wb") as handle:
            handle.write(MAGIC + hashlib.sha256(payload).digest() + payload)
        partial.replace(target)
        for old in folder.glob("deck-*.pickle"):  # keep only what the current decks need
            if old != target and old.stat().st_mtime < target.stat().st_mtime - 7 * 86400:
                old.unlink(missing_ok=True)
    except OSError:
        pass
