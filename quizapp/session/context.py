"""Everything a command needs: the deck, the open store (synced), settings and the clock.

The clock is injectable so tests can move across days, time zones and daylight-saving changes.
Settings are read from the store once, when the context is made, and written through
`update_settings`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from quizapp.deck.cache import load_deck_cached
from quizapp.deck.model import Deck
from quizapp.errors import QuizappError
from quizapp.srs.days import study_day
from quizapp.srs.queue import Limits
from quizapp.store.store import Store

LANGUAGES = ("en", "zh", "both")


@dataclass(frozen=True)
class Settings:
    new_per_day: int = 20
    reviews_per_day: int = 200
    rollover_hour: int = 4
    timezone: str = ""  # IANA name; empty = the system's zone
    language: str = "both"

    @classmethod
    def from_store(cls, values: dict[str, object]) -> Settings:
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        try:
            settings = replace(cls(), **known)  # type: ignore[arg-type]
            settings.validate()
        except (TypeError, ValueError):
            return cls()
        return settings

    def validate(self) -> None:
        for name in ("new_per_day", "reviews_per_day"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000:
                raise ValueError(f"{name} must be a whole number from 0 to 10000")
        if not isinstance(self.rollover_hour, int) or not 0 <= self.rollover_hour <= 23:
            raise ValueError("rollover_hour must be a whole number from 0 to 23")
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
        if self.timezone:
            zone(self.timezone)

    @property
    def limits(self) -> Limits:
        return Limits(self.new_per_day, self.reviews_per_day)


def zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{name}'") from None


def system_zone() -> tzinfo:
    """The machine's zone as an IANA zone when it can be found, so DST is handled."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            target = os.readlink("/etc/localtime")
            name = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
        except OSError:
            name = ""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return datetime.now().astimezone().tzinfo or UTC


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppContext:
    deck: Deck
    store: Store
    clock: Callable[[], datetime] = utc_now
    _settings: Settings | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self._settings is None:  # read once here, so that `settings` is a plain attribute read
            self._settings = Settings.from_store(self.store.settings())

    @classmethod
    def open(cls, db: Path, decks: Sequence[Path], clock: Callable[[], datetime] = utc_now
             ) -> AppContext:
        deck = load_deck_cached(decks)
        store = Store.open(db)
        try:
            store.sync(deck, clock())
        except QuizappError:
            store.close()
            raise
        return cls(deck, store, clock)

    def close(self) -> None:
        self.store.close()

    @property
    def settings(self) -> Settings:
        assert self._settings is not None  # set in __post_init__
        return self._settings

    def update_settings(self, **changes: object) -> Settings:
        new = replace(self.settings, **changes)  # type: ignore[arg-type]
        new.validate()
        for key, value in changes.items():
            self.store.set_setting(key, value)
        self._settings = new
        return new

    @property
    def tz(self) -> tzinfo:
        return zone(self.settings.timezone) if self.settings.timezone else system_zone()

    def now(self) -> datetime:
        return self.clock()

    def today(self, moment: datetime | None = None) -> date:
        return study_day(moment or self.now(), self.tz, self.settings.rollover_hour)
