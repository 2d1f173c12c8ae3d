"""What the wizard works with besides what is typed: this PC's folder and the parts of the PC
it touches (printers, pairing, the service manager), replaceable by tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.client.base import HubClient
from kiosk.clock import Clock
from kiosk.config import DataDir
from kiosk.service_install import Places, Runner, run_command
from kiosk.services.views import HealthView
from printing.discovery import PrinterChoice, find_printers
from ui.connect import remote_client
from ui.pairing import Pair
from ui.setup_wizard.steps import AdminForm, Joined, OfficeForm, ThisPC


@dataclass
class SetupContext:
    data_dir: DataDir
    places: Places
    enable: bool = True  # tell the PC's service manager (not under a test's root)
    runner: Runner = run_command
    find_printers: Callable[[], list[PrinterChoice]] = find_printers
    pair: Pair | None = None  # None: kiosk.client.http.pair_device
    # The joined PC's client of its hub, for the link test (address, token, CA file).
    connect: Callable[[str, str, str | None], HubClient] = remote_client
    clock: Clock | None = None
    hub_port: int | None = None  # None: the default (8470)
    # What the pages learnt on the way.
    creating: bool = True
    office: OfficeForm | None = None
    admin: AdminForm | None = field(default=None, repr=False)
    joined: Joined | None = None
    this_pc: ThisPC | None = None
    service_started: bool = False  # the PC's service manager was told to start it now
    health: HealthView | None = field(default=None, repr=False)

    @classmethod
    def of_this_pc(cls, data_dir: DataDir, root: Path | None = None) -> SetupContext:
        """The real PC; under `root` (like `cac service install --root`) the start files are
        written there and the service manager is not told."""
        places = Places.of_this_pc(data_dir.root.resolve(), root)
        return cls(data_dir, places, enable=root is None)
