"""The display's settings, with the defaults a real waiting room uses (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ui.display.texts import DEFAULT_NOTICES


@dataclass(frozen=True)
class PollOptions:
    wait_s: float = 25.0  # long-poll; also how long closing may wait for the request in flight
    retry_min_s: float = 1.0
    retry_max_s: float = 10.0
    # A hub that answers a long-poll at once (an old or misbehaving one) must not be hammered.
    min_interval_s: float = 1.0


@dataclass(frozen=True)
class DisplayOptions:
    history_size: int = 8  # calls listed, the latest one included (highlighted)
    stale_after_s: float = 60.0  # on (re)connection, older calls are listed but not announced
    flash_s: float = 8.0  # how long a new call blinks
    notices: tuple[str, ...] = DEFAULT_NOTICES  # the ticker line
    poll: PollOptions = field(default_factory=PollOptions)
