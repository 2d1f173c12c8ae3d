"""Sync on a USB stick, for offices that never get a link.

The hub writes what central has not acknowledged into a bundle (`cac sync export`); central
imports it with the same idempotency as a push and writes a reply onto the stick (`cac central
import FILE --reply REPLY`): acknowledgements and the feed after the hub's cursor. The hub
imports the reply (`cac sync import`). Both files are signed with a key derived from the hub's
credential (HMAC-SHA256), so a stick found in the street can be neither forged nor altered;
importing a file twice changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.errors import InvalidInput
from kiosk.hub import OfficeHub
from kiosk.storage.migrate import head_revision
from sync import outbox
from sync.hub_sync import FeedApplier
from sync.wire import PROTOCOL_VERSION, pack, unpack

HUB_BUNDLE = "cac-sync-bundle"
CENTRAL_REPLY = "cac-central-reply"
FORMAT = 1
MAX_BUNDLE_BYTES = 512 * 1024 * 1024


def bundle_key(credential: str) -> str:
    """Derived from, and not revealing, the hub's credential (central stores the same)."""
    return hashlib.sha256(f"cac-bundle:{credential}".encode()).hexdigest()


def _canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str).encode()


def sign(document: dict[str, Any], key: str) -> str:
    return hmac.new(key.encode(), _canonical(document), hashlib.sha256).hexdigest()


def write_bundle(path: Path, kind: str, document: dict[str, Any], key: str) -> int:
    """Write a signed bundle atomically; returns its size in bytes."""
    body = {"kind": kind, "format": FORMAT, "app_version": __version__,
            "protocol": PROTOCOL_VERSION, **document}
    data = pack({"bundle": body, "signature": sign(body, key)})
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return len(data)


def read_bundle(path: Path, kind: str) -> tuple[dict[str, Any], str]:
    """(document, signature) of a bundle file, checked for shape but not yet for signature."""
    try:
        size = path.stat().st_size
        if size > MAX_BUNDLE_BYTES:
            raise InvalidInput("bundle_too_large", f"El archivo {path.name} es demasiado grande.")
        outer = unpack(path.read_bytes(), limit=MAX_BUNDLE_BYTES * 4)
    except FileNotFoundError:
        raise InvalidInput("bundle_missing", f"No existe el archivo {path}.") from None
    except InvalidInput as exc:
        raise InvalidInput("bundle_damaged",
                           f"El archivo {path.name} no es un paquete de sincronización válido "
                           f"o está dañado ({exc.message})") from None
    body = outer.get("bundle") if isinstance(outer, dict) else None
    signature = outer.get("signature") if isinstance(outer, dict) else None
    if not isinstance(body, dict) or not isinstance(signature, str):
        raise InvalidInput("bundle_damaged",
                           f"El archivo {path.name} no es un paquete de sincronización válido.")
    if body.get("kind") != kind:
        expected = ("el paquete de una oficina (cac sync export)" if kind == HUB_BUNDLE
                    else "la respuesta de la central (cac central import --reply)")
        raise InvalidInput("bundle_wrong_kind", f"El archivo {path.name} no es {expected}.")
    if body.get("format") != FORMAT:
        raise InvalidInput("bundle_format", "El paquete es de otra versión del formato: "
                                            "actualice CAC Kiosk.")
    return body, signature


def verify(body: dict[str, Any], signature: str, key: str) -> bool:
    return signed_with(body, signature, [key]) == key


def signed_with(body: dict[str, Any], signature: str, keys: Iterable[str]) -> str | None:
    """Which of `keys` signed `body` (the body is serialised once, however many keys)."""
    canonical = _canonical(body)
    for key in keys:
        digest = hmac.new(key.encode(), canonical, hashlib.sha256).hexdigest()
        if hmac.compare_digest(digest, signature):
            return key
    return None


# --- the hub's side --------------------------------------------------------------------------


def export_office_bundle(hub: OfficeHub, path: Path, credential: str) -> dict[str, int]:
    """Everything central has not acknowledged, and the hub's pull cursor."""
    entries = outbox.pending_entries(hub.store)
    size = write_bundle(path, HUB_BUNDLE, {
        "office": hub.office.office_code, "hub_office_id": hub.office.office_id,
        "created_at": hub.clock.now().isoformat(), "schema": head_revision(),
        "pull_cursor": FeedApplier(hub).cursor(),
        "entries": [e.to_wire() for e in entries]}, bundle_key(credential))
    return {"entries": len(entries), "bytes": size}


def import_central_reply(hub: OfficeHub, path: Path, credential: str) -> dict[str, int]:
    """Central's answer to a bundle: acknowledgements, refusals and the feed."""
    body, signature = read_bundle(path, CENTRAL_REPLY)
    if not verify(body, signature, bundle_key(credential)):
        raise InvalidInput("bundle_signature",
                           "La firma de la respuesta no corresponde a la credencial de esta "
                           "oficina: no viene de su central o fue alterada.")
    if body.get("hub_office_id") != hub.office.office_id:
        raise InvalidInput("bundle_other_office",
                           f"La respuesta es para otra oficina ({body.get('office')}).")
    results, changes = body.get("results"), body.get("changes")
    if not isinstance(results, list) or not isinstance(changes, list):
        raise InvalidInput("bundle_damaged", "La respuesta de la central está incompleta.")
    acknowledged, refused = outbox.settle(hub.store, results)
    before = FeedApplier(hub).cursor()
    FeedApplier(hub).apply(changes)
    if body.get("public_url"):  # what central was told (`cac central --public-url … import`)
        hub.learn_central_public_url(body["public_url"])
    applied = sum(1 for c in changes if isinstance(c, dict) and isinstance(c.get("c"), int)
                  and c["c"] > before)
    return {"acknowledged": acknowledged, "rejected": refused, "changes": applied}
