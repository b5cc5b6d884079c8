"""The daily queue: which cards a study day shows, and in what order.

Pure rules only: the caller loads due and new cards, these functions order and limit them, and
``SessionQueue`` tracks a live session including same-day re-drills (SM-2 step 7).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from quizapp.srs.answer import ReviewKind
from quizapp.srs.grades import needs_redrill

__all__ = [
    "DEFAULT_REDRILL_GAP",
    "LEECH_LAPSES",
    "DueCard",
    "Limits",
    "LoggedAnswer",
    "NewCard",
    "SessionQueue",
    "build_queue",
    "is_leech",
    "redrills_left",
]

LEECH_LAPSES = 8  # lapses (grades below PASS_GRADE) in total after which a card is a leech
DEFAULT_REDRILL_GAP = 3


def is_leech(lapses: int) -> bool:
    """A card that has failed ``LEECH_LAPSES`` times or more is a leech (flagged in statistics)."""
    return lapses >= LEECH_LAPSES


@dataclass(frozen=True, slots=True)
class DueCard:
    """A card already in review: when it is due and how hard it is (EF in hundredths)."""

    card_id: str
    due: date
    ef_hundredths: int


@dataclass(frozen=True, slots=True)
class NewCard:
    """A never-seen card and its place in deck order."""

    card_id: str
    position: int


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-study-day caps; the new-card cap counts over the whole day, not per session."""

    new_per_day: int = 20
    reviews_per_day: int = 200

    def __post_init__(self) -> None:
        for name in ("new_per_day", "reviews_per_day"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be an int >= 0, got {value!r}")

    def room(self, new_done: int, reviews_done: int) -> tuple[int, int]:
        """(new cards, reviews) still allowed on a study day that already counted ``new_done``
        new cards and ``reviews_done`` reviews."""
        return max(0, self.new_per_day - new_done), max(0, self.reviews_per_day - reviews_done)


def _unique(ids: Iterable[str], seen: set[str]) -> list[str]:
    out = []
    for card_id in ids:
        if card_id not in seen:
            seen.add(card_id)
            out.append(card_id)
    return out


def build_queue(
    today: date,
    due: Iterable[DueCard],
    new: Iterable[NewCard],
    limits: Limits | None = None,
    new_done_today: int = 0,
    reviews_done_today: int = 0,
) -> list[str]:
    """Card ids for study day ``today``: due reviews with new cards spread evenly among them.

    Reviews (``due <= today``) come most overdue first, then lower EF (harder) first, then by id, so
    the order is total and deterministic. New cards keep deck order (position, then id). Both are
    capped by what is left of the day's limits. A card id is used once; if it is both due and new,
    the review wins. The j-th new card (0-based) follows the ceil((j+1)·R/N)-th review, so the
    queue opens with a review and a new card comes after every R/N reviews.
    """
    limits = limits or Limits()
    new_room, review_room = limits.room(new_done_today, reviews_done_today)

    seen: set[str] = set()
    ordered_due = sorted((c for c in due if c.due <= today), key=lambda c: (c.due, c.ef_hundredths, c.card_id))
    reviews = _unique((c.card_id for c in ordered_due), seen)[:review_room]
    seen = set(reviews)  # only the reviews actually shown block a new card of the same id
    ordered_new = sorted(new, key=lambda c: (c.position, c.card_id))
    fresh = _unique((c.card_id for c in ordered_new), seen)[:new_room]
    return _spread(reviews, fresh)


def _spread(reviews: list[str], fresh: list[str]) -> list[str]:
    """Interleave ``fresh`` among ``reviews`` as evenly as integer positions allow."""
    r, n = len(reviews), len(fresh)
    if not n or not r:
        return reviews + fresh
    out: list[str] = []
    taken = 0
    for j, card_id in enumerate(fresh):
        until = -(-(j + 1) * r // n)  # ceil((j + 1) * r / n)
        out.extend(reviews[taken:until])
        taken = until
        out.append(card_id)
    out.extend(reviews[taken:])
    return out


@dataclass(slots=True)
class _Entry:
    card_id: str
    redrill: bool


class SessionQueue:
    """A live session: the current card, what is pending, and same-day re-drills.

    Invariant: ``done_count + remaining() == total``, where ``total`` is the initial cards plus the
    re-drills added (and not removed again), so a progress bar never runs past 100 %.
    """

    def __init__(self, card_ids: Iterable[str]) -> None:
        self._pending: list[_Entry] = [_Entry(c, False) for c in card_ids]
        self.total = len(self._pending)
        self.done_count = 0

    def current(self) -> str | None:
        """The card to show now, or None when the session is over."""
        return self._pending[0].card_id if self._pending else None

    def current_is_redrill(self) -> bool:
        """True if the current card is a re-drill: log its grade, but do not reschedule it."""
        return bool(self._pending) and self._pending[0].redrill

    def advance(self) -> None:
        """Finish the current card. Raises IndexError if the session is already over."""
        if not self._pending:
            raise IndexError("advance() on an empty session")
        self._pending.pop(0)
        self.done_count += 1

    def remaining(self) -> int:
        """Cards still to show, the current one included."""
        return len(self._pending)

    def pending(self) -> tuple[str, ...]:
        """Snapshot of the ids still to show, current first."""
        return tuple(e.card_id for e in self._pending)

    def redrill(self, card_id: str, gap: int = DEFAULT_REDRILL_GAP) -> None:
        """Show ``card_id`` again after ``gap`` other cards (at the end if fewer remain).

        May be called before or after ``advance()``: if ``card_id`` is still the current card it
        counts as finished, not as one of the ``gap`` others. A card has at most one pending
        re-drill; a second call moves it instead of adding another.
        """
        if isinstance(gap, bool) or not isinstance(gap, int) or gap < 0:
            raise ValueError(f"gap must be an int >= 0, got {gap!r}")
        start = 1 if self._pending and self._pending[0].card_id == card_id else 0
        self._drop_redrill(card_id, start)
        self._pending.insert(min(start + gap, len(self._pending)), _Entry(card_id, True))
        self.total += 1

    def remove_pending(self, card_id: str) -> bool:
        """Drop the pending re-drill of ``card_id`` (for undo); True if there was one.

        This includes a re-drill that is current right now, since undo takes back the grade that
        scheduled it.
        """
        return self._drop_redrill(card_id, 0)

    def _drop_redrill(self, card_id: str, start: int) -> bool:
        for i in range(start, len(self._pending)):
            entry = self._pending[i]
            if entry.redrill and entry.card_id == card_id:
                del self._pending[i]
                self.total -= 1
                return True
        return False

    def push_front(self, card_id: str, *, redrill: bool = False) -> None:
        """Undo one ``advance()``: make ``card_id`` current again.

        Pass ``redrill=True`` when the undone card was itself a re-drill. Raises ValueError if no
        card has been finished, since then there is nothing to undo.
        """
        if self.done_count == 0:
            raise ValueError("push_front() with nothing done: nothing to undo")
        self._pending.insert(0, _Entry(card_id, redrill))
        self.done_count -= 1


class LoggedAnswer(Protocol):
    """What ``redrills_left`` reads of a logged answer (the store's ``ReviewRecord`` has it)."""

    @property
    def card_id(self) -> str: ...
    @property
    def study_day(self) -> date: ...
    @property
    def grade(self) -> int: ...
    @property
    def review_kind(self) -> str: ...


def redrills_left(log: Iterable[LoggedAnswer], today: date) -> list[str]:
    """Cards still owed a re-drill on study day ``today`` (SM-2 step 7): their latest answer that
    day was graded below ``REDRILL_BELOW`` and was not practice. In the order of those answers.

    A session that ends (or a program that quits) with such a card pending leaves it owed: the
    next session of the day queues it at the end, and the home screen counts it.
    """
    last: dict[str, LoggedAnswer] = {}
    for record in log:
        if record.study_day == today:
            last.pop(record.card_id, None)
            last[record.card_id] = record
    return [cid for cid, r in last.items()
            if needs_redrill(r.grade) and r.review_kind != ReviewKind.PRACTICE]
