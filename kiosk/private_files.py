"""The office folder is its user's alone (issue 14): it holds citizens' personal data, the
clerks' PIN hashes and the hub's secrets, and another local user must read none of them.

POSIX: folders 0700, files 0600, set when each is created (explicit modes, and a 077 umask
while a `cac` command runs, for files made by code that does not know) and repaired by
`tighten` when a hub opens an office made by an older version, walking the whole tree so files
added by anyone else are covered too. Windows: the folder's ACL keeps only this user, SYSTEM
and the Administrators, inherited by everything inside (`icacls`; the modes mean nothing there).
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
PRIVATE_UMASK = 0o077
OTHERS = 0o077  # the group's and everyone else's bits
# Local System and the Administrators group keep access on Windows: backup software and the
# administrator who repairs the PC need it, and both can take ownership anyway.
WINDOWS_KEPT_SIDS = ("S-1-5-18", "S-1-5-32-544")
POSIX = os.name == "posix"


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Files and folders created meanwhile are this user's alone (POSIX; a no-op elsewhere).

    The umask is the process's: set once around a whole command, never toggled by threads."""
    if not POSIX:
        yield
        return
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def private_dir(path: Path, root: Path | None = None) -> Path:
    """`path` made if missing, it and each folder from the office's `root` down to it private.

    Folders above `root` are not ours to change (the user's home, a USB stick's)."""
    top = root if root is not None and path.is_relative_to(root) else path
    folders = [top]
    for part in path.relative_to(top).parts:
        folders.append(folders[-1] / part)
    top.parent.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        try:
            _strip_others(folder)
        except OSError as exc:  # not this user's folder: said, and the office still opens
            log.warning("no se pudieron restringir los permisos de %s: %s", folder,
                        exc.strerror or exc)
    return path


def private_opener(path: str, flags: int) -> int:
    """An `open(..., opener=)` that creates the file 0600 and tightens one that existed."""
    fd = os.open(path, flags, PRIVATE_FILE)
    if POSIX:
        mode = stat.S_IMODE(os.fstat(fd).st_mode)
        if mode & OTHERS:
            os.fchmod(fd, mode & ~OTHERS)
    return fd


def write_private(path: Path, data: bytes) -> None:
    """Write `path` atomically (a temporary file renamed over it), readable by this user only
    from its first byte."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb", opener=private_opener) as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(path)


def touch_private(path: Path) -> None:
    """Create `path` empty and private if missing (an SQLite file before SQLite opens it: its
    -wal, -shm and -journal files then take the same mode)."""
    os.close(private_opener(str(path), os.O_WRONLY | os.O_CREAT))


def _strip_others(path: Path) -> bool:
    if not POSIX:
        return False
    mode = stat.S_IMODE(path.lstat().st_mode)
    if not mode & OTHERS:
        return False
    path.chmod(mode & ~OTHERS)
    return True


def tighten(root: Path) -> list[Path]:
    """Take the group's and others' bits off `root` and everything under it (POSIX); returns
    what changed. Symbolic links are neither followed nor changed (they may point out of the
    office); a file this user cannot change is logged and left, the hub still opens."""
    if not POSIX or not root.is_dir():
        return []
    changed: list[Path] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        for path in (folder, *_children(folder)):
            try:
                if path.is_symlink():
                    continue
                if path != folder and path.is_dir():
                    pending.append(path)
                    continue
                if _strip_others(path):
                    changed.append(path)
            except OSError as exc:
                log.warning("no se pudieron restringir los permisos de %s: %s", path,
                            exc.strerror or exc)
    return changed


def _children(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError as exc:
        log.warning("no se pudo revisar la carpeta %s: %s", folder, exc.strerror or exc)
        return []


def windows_acl_command(root: Path, user_sid: str) -> list[str]:
    """`icacls` that leaves `root` to `user_sid`, SYSTEM and the Administrators: inherited
    entries (e.g. «Usuarios» of C:\\) removed, full control granted to each, inherited by every
    folder (CI) and file (OI) inside."""
    grants = [f"*{sid}:(OI)(CI)F" for sid in (user_sid, *WINDOWS_KEPT_SIDS)]
    return ["icacls", str(root), "/inheritance:r", "/grant:r", *grants, "/Q"]


def restrict_windows_acl(root: Path) -> bool:
    """Apply `windows_acl_command` to `root` (Windows only; False if it could not)."""
    if sys.platform != "win32":
        return False
    try:
        command = windows_acl_command(root, _current_user_sid())
        done = subprocess.run(command, capture_output=True, text=True, timeout=60,
                              check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("no se pudo restringir el acceso a %s: %s", root, exc)
        return False
    if done.returncode != 0:
        log.warning("icacls no pudo restringir el acceso a %s: %s", root,
                    (done.stderr or done.stdout).strip())
        return False
    return True


def _current_user_sid() -> str:
    if sys.platform == "win32":  # pywin32: a Windows-only dependency
        import win32api
        import win32security

        token = win32security.OpenProcessToken(win32api.GetCurrentProcess(),
                                               win32security.TOKEN_QUERY)
        sid = win32security.GetTokenInformation(token, win32security.TokenUser)[0]
        return str(win32security.ConvertSidToStringSid(sid))
    raise OSError("only on Windows")


def make_private(root: Path) -> list[Path]:
    """`root` and everything in it this user's alone; returns what had to be tightened."""
    if sys.platform == "win32":
        restrict_windows_acl(root)
        return []
    return tighten(root)
