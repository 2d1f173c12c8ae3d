"""The office's Ed25519 key for the QR statements, and the public keys this copy knows.

`<data>/signing/office-key.pem` is the current private key (0600, outside the database and
its backups, beside the signing certificate), made on first need. `office-keys.json` lists
the public keys known here: this office's, current and past, and every office's pulled from
central, so a statement verifies with no link. A rotation makes a new key and retires the old
one (its documents stay valid: its public key stays listed); a revocation marks a key so its
documents read «firma revocada» from that day.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.errors import NotFound
from kiosk.private_files import private_dir, write_private
from kiosk.signing.statement import OfficeKey, key_id_of, public_text, raw_public

PRIVATE_FILE = "office-key.pem"
KEYS_FILE = "office-keys.json"
# The hub's request threads (a first statement) and its sync thread (keys pulled) change the
# same two files: one at a time, or two first statements would make two keys.
_LOCK = threading.RLock()


class OfficeKeys:
    def __init__(self, folder: Path, office_id: str, root: Path | None = None) -> None:
        self.folder = folder
        self.office_id = office_id
        self.root = root

    def known(self) -> list[OfficeKey]:
        path = self.folder / KEYS_FILE
        if not path.exists():
            return []
        return [OfficeKey.from_json(item) for item in json.loads(path.read_text("utf-8"))]

    def _save(self, keys: list[OfficeKey]) -> None:
        private_dir(self.folder, self.root)
        data = json.dumps([k.to_json() for k in keys], ensure_ascii=False, indent=1)
        write_private(self.folder / KEYS_FILE, data.encode("utf-8"))

    def merge(self, keys: list[OfficeKey]) -> None:
        """Keys pulled from central: added or updated (a revocation), this office's own
        private key untouched."""
        with _LOCK:
            mine = {k.key_id: k for k in self.known()}
            for key in keys:
                mine[key.key_id] = key
            self._save(list(mine.values()))

    def signing_key(self, now: datetime) -> Ed25519PrivateKey:
        """The current private key, made (and its public key listed) on first need."""
        with _LOCK:
            path = self.folder / PRIVATE_FILE
            if path.exists():
                loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
                assert isinstance(loaded, Ed25519PrivateKey)
                return loaded
            return self._new_key(now)

    def _new_key(self, now: datetime) -> Ed25519PrivateKey:
        key = Ed25519PrivateKey.generate()
        private_dir(self.folder, self.root)
        write_private(self.folder / PRIVATE_FILE, key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        public = key.public_key()
        self.merge([OfficeKey(key_id=key_id_of(raw_public(public)), office_id=self.office_id,
                              public_key=public_text(public), valid_from=now)])
        return key

    def current_id(self) -> str | None:
        path = self.folder / PRIVATE_FILE
        if not path.exists():
            return None
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(loaded, Ed25519PrivateKey)
        return key_id_of(raw_public(loaded.public_key()))

    def rotate(self, now: datetime) -> OfficeKey:
        """A new key from now on; the old one retired (its documents stay valid)."""
        with _LOCK:
            old = self.current_id()
            self._save([k if k.key_id != old else replace(k, retired_at=now)
                        for k in self.known()])
            (self.folder / PRIVATE_FILE).unlink(missing_ok=True)
            new = key_id_of(raw_public(self._new_key(now).public_key()))
            return next(k for k in self.known() if k.key_id == new)

    def revoke(self, key_id: str, now: datetime) -> OfficeKey:
        """Documents signed with `key_id` from `now` on read «firma revocada»; a revoked
        current key is replaced by a new one."""
        with _LOCK:
            keys = self.known()
            found = next((k for k in keys
                          if k.key_id == key_id and k.office_id == self.office_id), None)
            if found is None:
                raise NotFound("unknown_office_key",
                               f"La oficina no tiene la clave «{key_id[:20]}».")
            revoked = replace(found, revoked_at=found.revoked_at or now,
                              retired_at=found.retired_at or now)
            self._save([revoked if k.key_id == key_id else k for k in keys])
            if self.current_id() == key_id:
                (self.folder / PRIVATE_FILE).unlink()
                self._new_key(now)
            return revoked

    def own(self) -> list[OfficeKey]:
        return [k for k in self.known() if k.office_id == self.office_id]
