"""A saved PDF appears under its name whole, never empty or half written, and never over an
earlier one (ui/counter/printer.py `_save_new`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ui.counter import printer


def test_the_name_appears_only_with_the_whole_document(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[bool, bytes]] = []
    real_link = os.link

    def watching_link(src: os.PathLike[str], dst: os.PathLike[str]) -> None:
        seen.append((Path(dst).exists(), Path(src).read_bytes()))  # what a viewer could see
        real_link(src, dst)

    monkeypatch.setattr(os, "link", watching_link)
    first = printer._save_new(tmp_path, "cargo-1.pdf", b"%PDF-uno")
    second = printer._save_new(tmp_path, "cargo-1.pdf", b"%PDF-dos")
    assert [first.name, second.name] == ["cargo-1.pdf", "cargo-1-2.pdf"]
    assert (first.read_bytes(), second.read_bytes()) == (b"%PDF-uno", b"%PDF-dos")
    assert seen == [(False, b"%PDF-uno"), (True, b"%PDF-dos"), (False, b"%PDF-dos")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cargo-1-2.pdf", "cargo-1.pdf"]


def test_without_hard_links_the_name_is_reserved_and_nothing_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: os.PathLike[str], dst: os.PathLike[str]) -> None:
        raise PermissionError(1, "Operation not permitted")  # FAT: no hard links

    (tmp_path / "copia.pdf").write_bytes(b"original")
    monkeypatch.setattr(os, "link", no_links)
    saved = printer._save_new(tmp_path, "copia.pdf", b"%PDF-nuevo")
    assert saved.name == "copia-2.pdf" and saved.read_bytes() == b"%PDF-nuevo"
    assert (tmp_path / "copia.pdf").read_bytes() == b"original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copia-2.pdf", "copia.pdf"]
