"""Virtual time: the simulated clock and the discrete-event scheduler.

Nothing in the engine reads the wall clock or sleeps (``shared/DESIGN.md``, principle 3). The
:class:`SimulatedClock` owns "now" as a timezone-aware UTC ``datetime``; the :class:`Scheduler`
keeps due actions in a heap ordered by (time, sequence) so that ties run in the order they were
scheduled, which the engine makes the step order of the definition (principle 4).
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

#: The longest stretch of simulated time one call may cover: ten years (the service's own
#: longest limit is the 28-day execution timeout).
MAX_SECONDS = 10 * 365 * 24 * 3600.0


#: The latest time the simulated clock can show (``datetime``'s own end, less a day for offsets).
END_OF_TIME = datetime(9999, 12, 30, tzinfo=timezone.utc)


def check_seconds(value: object, what: str = "seconds") -> float:
    """``value`` as a number of simulated seconds in ``[0, MAX_SECONDS]``.

    Raises ``ValueError`` (naming ``what``) for anything else: negative, NaN, infinite, too
    large, or not a number at all.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number of simulated seconds, not {value!r}")
    try:
        seconds = float(value)
    except OverflowError:  # an int too large for a float
        seconds = math.inf
    if math.isnan(seconds) or seconds < 0 or seconds > MAX_SECONDS:
        raise ValueError(
            f"{what} must be between 0 and {MAX_SECONDS:.0f} simulated seconds, not {_short(value)}"
        )
    return seconds


def _short(value: object) -> str:
    """``repr(value)``, cut to 40 characters (a 400-digit number is not worth quoting whole)."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


class SimulatedClock:
    """A clock that moves only when told.

    ``start`` is the initial time (UTC; naive datetimes are taken as UTC). Without one the clock
    starts at the real time cut to whole milliseconds, the precision of the API's timestamps, so
    that every time the API shows equals the clock's. Units: seconds of simulated time.
    """

    def __init__(self, start: datetime | None = None) -> None:
        if start is None:
            start = datetime.now(timezone.utc)  # the only wall-clock read: the starting point
            start = start.replace(microsecond=start.microsecond // 1000 * 1000)
        elif start.tzinfo is None:
            start = start.replace(tzinfo=timezone.utc)
        try:
            self._now = start.astimezone(timezone.utc)
        except OverflowError as exc:
            raise ValueError(f"the simulated clock cannot start at {start}") from exc
        if self._now.year >= 9000:
            raise ValueError(f"the simulated clock must start before the year 9000, not {start}")
        self.started_at = self._now

    def now(self) -> datetime:
        """The current simulated time (UTC ``datetime``)."""
        return self._now

    def elapsed(self) -> float:
        """Simulated seconds since the clock was created."""
        return (self._now - self.started_at).total_seconds()

    def after(self, seconds: float) -> datetime:
        """The simulated time ``seconds`` from now.

        Raises ``ValueError`` past :data:`END_OF_TIME` (the simulated clock has an end).
        """
        try:
            when = self._now + timedelta(seconds=seconds)
        except OverflowError:
            when = END_OF_TIME + timedelta(days=1)
        if when > END_OF_TIME:
            raise ValueError(
                f"the simulated clock cannot move past {END_OF_TIME:%Y-%m-%dT%H:%M:%SZ}: it is "
                f"{self._now:%Y-%m-%dT%H:%M:%SZ} and {seconds:.0f} more seconds were asked for"
            )
        return when

    def _move_to(self, when: datetime) -> None:
        if when > self._now:
            self._now = when


def _nothing() -> None:
    """The action of a cancelled event."""


@dataclass(order=True)
class Event:
    """One scheduled action. ``cancel()`` keeps it in the heap but makes it a no-op (and drops
    the action, so that nothing it refers to is kept alive until its time comes)."""

    when: datetime
    seq: int
    action: Callable[[], None] = field(compare=False)
    label: str = field(default="", compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        """Make the event a no-op."""
        self.cancelled = True
        self.action = _nothing


class Scheduler:
    """Runs :class:`Event` actions in time order while moving the clock.

    Actions may schedule further events, including at the current time; those run in the same
    call. ``max_events`` guards against a runaway loop (raises ``RuntimeError``).
    """

    def __init__(self, clock: SimulatedClock, max_events: int = 10_000_000) -> None:
        self.clock = clock
        self._heap: list[Event] = []
        self._seq = itertools.count()
        self._max_events = max_events
        self._running = False

    def schedule(self, delay_seconds: float, action: Callable[[], None], label: str = "") -> Event:
        """Run ``action`` after ``delay_seconds`` (>= 0) of simulated time; returns the event.

        An event that would fall after :data:`END_OF_TIME` is scheduled at it.
        """
        delay = check_seconds(delay_seconds, "a step's delay")
        try:
            when = self.clock.after(delay)
        except ValueError:
            when = END_OF_TIME
        event = Event(when, next(self._seq), action, label)
        heapq.heappush(self._heap, event)
        return event

    @property
    def running(self) -> bool:
        """Whether events are being run right now (the caller is inside a step event)."""
        return self._running

    def pending(self) -> int:
        """How many live (not cancelled) events are waiting."""
        return sum(1 for event in self._heap if not event.cancelled)

    def next_time(self) -> datetime | None:
        """When the earliest live event is due, or ``None`` if nothing is scheduled."""
        self._drop_cancelled()
        return self._heap[0].when if self._heap else None

    def _drop_cancelled(self) -> None:
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)

    def run_due(self) -> int:
        """Run every event due at or before now; returns how many ran.

        Called while events are running (an API call made from inside a step, e.g. by a Lambda
        handler), it does nothing: the running loop reaches those events itself.
        """
        if self._running:
            return 0
        return self.run_until(self.clock.now())

    def run_until(self, until: datetime) -> int:
        """Run events due at or before ``until`` in order, moving the clock to each; then to ``until``.

        Raises ``RuntimeError`` when called from inside a running event (time cannot move while
        a step is being processed).
        """
        if self._running:
            raise RuntimeError("the simulated clock cannot be moved from inside a step event")
        self._running = True
        try:
            return self._run_until(until)
        finally:
            self._running = False

    def _run_until(self, until: datetime) -> int:
        ran = 0
        while True:
            self._drop_cancelled()
            if not self._heap or self._heap[0].when > until:
                break
            event = heapq.heappop(self._heap)
            self.clock._move_to(event.when)
            ran += 1
            if ran > self._max_events:
                raise RuntimeError(
                    "the simulation ran more events than allowed; is a step looping?"
                )
            event.action()
        self.clock._move_to(until)
        return ran

    def advance(self, seconds: float) -> int:
        """Move the clock forward ``seconds`` (>= 0), running what falls due; returns events run."""
        seconds = check_seconds(seconds, "advance()")
        return self.run_until(self.clock.after(seconds))

    def run_until_idle(self, max_seconds: float | None = None) -> int:
        """Run events until none is left (or ``max_seconds`` of simulated time have passed)."""
        limit = (
            None
            if max_seconds is None
            else self.clock.after(check_seconds(max_seconds, "max_seconds"))
        )
        ran = 0
        while True:
            nxt = self.next_time()
            if nxt is None or (limit is not None and nxt > limit):
                break
            ran += self.run_until(nxt)
        if limit is not None and self.next_time() is not None:
            self.clock._move_to(limit)
        return ran
