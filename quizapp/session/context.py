"""Everything a command needs: the deck, the open store (synced), settings and the clock.

The clock is injectable so tests can move across days, time zones and daylight-saving changes.
Settings are read from the store once, when the context is made, and written through
`update_settings`.

The context also keeps the store's schedule in step with the settings it depends on (the
algorithm in use, desired retention, FSRS parameters: the *basis*). When they differ from the
basis the store's schedule was computed with — another algorithm chosen, a database upgraded from
before FSRS — every card is rescheduled from the review log, in one transaction.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from quizapp.deck.cache import load_deck_cached
from quizapp.deck.model import Deck
from quizapp.errors import QuizappError
from quizapp.i18n import default_language
from quizapp.srs.days import study_day
from quizapp.srs.fsrs import DEFAULT_RETENTION, FSRS, validate_parameters, validate_retention
from quizapp.srs.paired import DEFAULT_SCHEDULER, SCHEDULERS, Paired
from quizapp.srs.queue import Limits
from quizapp.store.store import RescheduleReport, Store

LANGUAGES = ("en", "zh", "both")
MAX_BACKLOG_DAYS = 60
SCHEDULE_KEYS = ("scheduler", "desired_retention", "fsrs_parameters")  # changing one reschedules
PREVIOUS_PARAMETERS = "fsrs_parameters_previous"  # what `quizapp fsrs rollback` goes back to


@dataclass(frozen=True)
class Settings:
    new_per_day: int = 20
    reviews_per_day: int = 200
    rollover_hour: int = 4
    timezone: str = ""  # IANA name; empty = the system's zone
    language: str = "both"
    scheduler: str = DEFAULT_SCHEDULER  # sm2 | fsrs: whose due day a card gets
    desired_retention: float = DEFAULT_RETENTION  # FSRS schedules for this probability of recall
    backlog_days: int = 1  # a backlog after days away is spread over this many days (1 = today)
    fsrs_parameters: tuple[float, ...] = ()  # personal FSRS parameters; empty = py-fsrs's defaults

    @classmethod
    def from_store(cls, values: dict[str, object]) -> Settings:
        """The stored settings; a database that never chose a language gets the locale's
        (`LANG=zh_CN.UTF-8` → 中文, otherwise both languages)."""
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        known.setdefault("language", default_language())
        if isinstance(known.get("fsrs_parameters"), list):
            known["fsrs_parameters"] = tuple(known["fsrs_parameters"])
        try:
            settings = replace(cls(), **known)  # type: ignore[arg-type]
            settings.validate()
        except (TypeError, ValueError):
            return cls(language=default_language())
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
        if self.scheduler not in SCHEDULERS:
            raise ValueError(f"scheduler must be one of {', '.join(SCHEDULERS)}")
        validate_retention(self.desired_retention)
        value = self.backlog_days
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_BACKLOG_DAYS:
            raise ValueError(f"backlog_days must be a whole number from 1 to {MAX_BACKLOG_DAYS}")
        if self.fsrs_parameters:
            validate_parameters(self.fsrs_parameters)

    @property
    def limits(self) -> Limits:
        return Limits(self.new_per_day, self.reviews_per_day)

    def fsrs(self) -> FSRS:
        """FSRS with these settings' parameters and desired retention."""
        if self.fsrs_parameters:
            return FSRS(self.fsrs_parameters, self.desired_retention)
        return FSRS(desired_retention=self.desired_retention)

    def scheduling(self) -> Paired:
        """What the store schedules reviews with under these settings."""
        return Paired(self.scheduler, self.fsrs())

    @property
    def schedule_basis(self) -> dict[str, object]:
        """The settings a stored schedule depends on (saved with it, compared at start)."""
        return {"scheduler": self.scheduler, "desired_retention": self.desired_retention,
                "fsrs_parameters": list(self.fsrs().parameters)}


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
    try:
        return datetime.now().astimezone().tzinfo or UTC
    except (ValueError, OverflowError, OSError):  # e.g. TZ=UTC+25: an offset of a day or more
        raise QuizappError(f"TZ={os.environ.get('TZ', '')!r} is not a time zone quizapp can use; "
                           "set TZ to a name such as Europe/Berlin, or unset it") from None


def _load_for_good(decks: Sequence[Path]) -> Deck:
    """The deck, loaded with the cyclic garbage collector paused, then frozen out of its reach.

    Loading allocates hundreds of thousands of objects that live as long as the process and hold
    no cycles; with the collector on, its passes over them were half of reading the cached 100 000
    -card deck (0.77 → 0.37 s of CPU) and most of building its cards (0.62 → 0.10 s), and every
    later full pass walked them again. `gc.freeze` moves everything alive now to a generation the
    collector never scans.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return load_deck_cached(decks)
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppContext:
    deck: Deck
    store: Store
    clock: Callable[[], datetime] = utc_now
    _settings: Settings | None = field(default=None, repr=False)
    rescheduled: RescheduleReport | None = field(default=None, init=False, repr=False)  # the last one

    def __post_init__(self) -> None:
        if self._settings is None:  # read once here, so that `settings` is a plain attribute read
            self._settings = Settings.from_store(self.store.settings())
        self.rescheduled = self._schedule()

    def _schedule(self, force: bool = False) -> RescheduleReport | None:
        """Point the store at the settings' scheduler; reschedule every card from the log if the
        stored schedule was computed with other settings (or ``force``)."""
        self.store.scheduler = self.settings.scheduling()
        basis = self.settings.schedule_basis
        stored = self.store.schedule_basis()
        if not force and stored == basis:
            return None
        # Switching to SM-2 with FSRS's own settings unchanged replays SM-2 only: FSRS's state
        # is already what the log implies (it learnt from every review as it was given).
        fsrs_same = isinstance(stored, dict) and all(
            stored.get(k) == basis[k] for k in ("desired_retention", "fsrs_parameters"))
        replay_fsrs = force or not fsrs_same or self.settings.scheduler == "fsrs"
        return self.store.reschedule(self.store.scheduler, basis, fsrs=replay_fsrs)

    @classmethod
    def open(cls, db: Path | str, decks: Sequence[Path], clock: Callable[[], datetime] = utc_now,
             learner: str | None = None) -> AppContext:
        """The deck and the store at `db` (a file or a server URL), as `learner` (None: the
        store's default learner, `quizapp.store.engine.Database.open`)."""
        deck = _load_for_good(decks)
        store = Store.open(db, learner)
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
        """Validate and save ``changes``. Changing the algorithm, desired retention or FSRS
        parameters reschedules every card from the review log (``rescheduled`` says how many)."""
        if isinstance(changes.get("fsrs_parameters"), list):
            changes["fsrs_parameters"] = tuple(changes["fsrs_parameters"])  # type: ignore[arg-type]
        new = replace(self.settings, **changes)  # type: ignore[arg-type]
        new.validate()
        for key, value in changes.items():
            self.store.set_setting(key, list(value) if isinstance(value, tuple) else value)
        self._settings = new
        if any(key in SCHEDULE_KEYS for key in changes):
            self.rescheduled = self._schedule()
        return new

    def use_language(self, language: str) -> None:
        """`--lang`: this run's language, not saved (the setting stays as it is)."""
        new = replace(self.settings, language=language)
        new.validate()
        self._settings = new

    def adopt_parameters(self, parameters: tuple[float, ...]) -> None:
        """Use fitted FSRS parameters, keeping the ones in use for `rollback_parameters`."""
        self.store.set_setting(PREVIOUS_PARAMETERS, list(self.settings.fsrs_parameters))
        self.update_settings(fsrs_parameters=tuple(parameters))

    def rollback_parameters(self) -> tuple[float, ...]:
        """Go back to the FSRS parameters used before the last fit (empty = the defaults)."""
        previous = self.store.settings().get(PREVIOUS_PARAMETERS)
        if previous is None:
            raise QuizappError("no earlier FSRS parameters to go back to (nothing was fitted)")
        self.update_settings(fsrs_parameters=tuple(previous))
        self.store.set_setting(PREVIOUS_PARAMETERS, None)
        return tuple(previous)

    @property
    def tz(self) -> tzinfo:
        return zone(self.settings.timezone) if self.settings.timezone else system_zone()

    def now(self) -> datetime:
        return self.clock()

    def today(self, moment: datetime | None = None) -> date:
        return study_day(moment or self.now(), self.tz, self.settings.rollover_hour)
