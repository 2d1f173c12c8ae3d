"""The office folder's private modes (issue 14): written private from the first byte, repaired
by walking the tree, and the Windows ACL command (which cannot run here: only built)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.private_files import (
    private_dir,
    private_umask,
    tighten,
    windows_acl_command,
    write_private,
)

posix = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most careless umask: whatever is private here is private by its own mode."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


@posix
def test_a_private_write_is_private_from_its_first_byte(tmp_path: Path, open_umask: None
                                                         ) -> None:
    target = tmp_path / "secrets.toml"
    leftover = tmp_path / "secrets.toml.tmp"  # a power cut's leftover, made loose
    leftover.write_bytes(b"old")
    leftover.chmod(0o644)
    write_private(target, b"central_credential = 'x'\n")
    assert target.read_bytes() == b"central_credential = 'x'\n"
    assert mode(target) == 0o600 and not leftover.exists()


@posix
def test_private_folders_stop_at_the_office(tmp_path: Path, open_umask: None) -> None:
    outside = tmp_path / "home"
    outside.mkdir(mode=0o755)
    outside.chmod(0o755)
    root = outside / "office"
    private_dir(root / "attachments" / "2026", root)
    assert [mode(p) for p in (root, root / "attachments", root / "attachments" / "2026")] \
        == [0o700] * 3
    assert mode(outside) == 0o755  # the user's home is not ours to change


@posix
def test_tighten_walks_everything_and_follows_no_link(tmp_path: Path) -> None:
    root = tmp_path / "office"
    (root / "tls").mkdir(parents=True)
    (root / "tls" / "ca.key").write_bytes(b"key")
    (root / "cac.sqlite3").write_bytes(b"")
    outside = tmp_path / "elsewhere.txt"
    outside.write_bytes(b"not the office's")
    (root / "link").symlink_to(outside)
    for path in (root, root / "tls"):
        path.chmod(0o755)
    for path in (root / "tls" / "ca.key", root / "cac.sqlite3", outside):
        path.chmod(0o644)
    changed = tighten(root)
    assert sorted(changed) == sorted([root, root / "tls", root / "tls" / "ca.key",
                                      root / "cac.sqlite3"])
    assert (mode(root), mode(root / "tls")) == (0o700, 0o700)
    assert (mode(root / "tls" / "ca.key"), mode(root / "cac.sqlite3")) == (0o600, 0o600)
    assert mode(outside) == 0o644
    assert tighten(root) == []  # said once: nothing left to change


@posix
def test_a_command_s_umask_is_private_and_restored(tmp_path: Path) -> None:
    before = os.umask(0o022)
    try:
        with private_umask():
            (tmp_path / "made.csv").write_text("x")
        assert mode(tmp_path / "made.csv") == 0o600
        assert os.umask(0o022) == 0o022  # restored after the command
    finally:
        os.umask(before)


def test_the_windows_acl_keeps_the_user_system_and_administrators() -> None:
    user = "S-1-5-21-1004336348-1177238915-682003330-1001"
    command = windows_acl_command(Path("C:/CAC/oficina"), user)
    assert command == ["icacls", str(Path("C:/CAC/oficina")), "/inheritance:r", "/grant:r",
                       f"*{user}:(OI)(CI)F", "*S-1-5-18:(OI)(CI)F", "*S-1-5-32-544:(OI)(CI)F",
                       "/Q"]


def test_the_windows_acl_is_set_with_icacls_and_a_refusal_is_logged(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import subprocess

    from kiosk import private_files

    ran: list[list[str]] = []

    def icacls(command: list[str], **_options: object) -> subprocess.CompletedProcess[str]:
        ran.append(command)
        return subprocess.CompletedProcess(command, 5, "", "Acceso denegado.")

    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setattr(private_files, "_current_user_sid", lambda: "S-1-5-21-7")
    monkeypatch.setattr("subprocess.run", icacls)
    root = Path("C:/CAC/oficina")
    assert not private_files.restrict_windows_acl(root)
    assert ran == [windows_acl_command(root, "S-1-5-21-7")]
    assert "Acceso denegado." in caplog.text
