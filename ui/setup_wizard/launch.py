"""`cac start` (and `cac` alone): what opening the program does. On a PC set up already, the
window it is for; on a PC with no office, «Configurar esta PC», then that window, started as
a program of its own (a fresh Qt, log and signal set-up, as at the next start)."""

from __future__ import annotations

import argparse
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kiosk.config import DataDir
from kiosk.service_install import HUB, this_program
from ui.setup_wizard.context import SetupContext
from ui.setup_wizard.steps import ThisPC, load_this_pc, save_this_pc, window_argv

Spawn = Callable[[Sequence[str]], Any]


def this_pc_of(data_dir: DataDir) -> ThisPC | None:
    """What this PC is for; an office made with `cac init` makes it the hub PC."""
    found = load_this_pc(data_dir)
    if found is None and data_dir.database.exists():
        found = ThisPC(HUB)
        save_this_pc(data_dir, found)
    return found


def run_setup(data_dir: DataDir, root: Path | None) -> SetupContext:
    """The wizard until it ends; what it learnt (`this_pc` None: cancelled before the PC was
    set up)."""
    from ui.qt_app import prepare_windows
    from ui.setup_wizard.wizard import SetupWizard

    prepare_windows(data_dir.logs)
    context = SetupContext.of_this_pc(data_dir, root)
    SetupWizard(context).exec()
    return context


def open_window(this_pc: ThisPC, data_dir: DataDir) -> int:
    """This PC's window in this process, as its own `cac …` command runs it."""
    from kiosk.cli import build_parser

    words = window_argv(this_pc, data_dir)
    args = build_parser().parse_args(words)
    args.argv = words
    return int(args.func(args))


def cmd_start(args: argparse.Namespace, spawn: Spawn = subprocess.Popen) -> int:
    data_dir = DataDir.from_option(args.data_dir)
    this_pc = this_pc_of(data_dir)
    if this_pc is not None:
        return open_window(this_pc, data_dir)
    context = run_setup(data_dir, Path(args.root).resolve() if args.root else None)
    if context.this_pc is None:
        print("Configuración cancelada: esta PC sigue sin oficina.")
        return 0  # the person's choice, not a refusal
    spawn([*this_program(), *window_argv(context.this_pc, data_dir, context.service_started)])
    return 0
