"""Build the hub client a window talks to, from its command-line options."""

from __future__ import annotations

from pathlib import Path

from kiosk.client.base import HubClient
from kiosk.client.http import HttpHubClient
from kiosk.errors import InvalidInput


def _hub_url(hub_url: str) -> str:
    url = hub_url.strip()
    if not url.startswith(("http://", "https://")):
        raise InvalidInput(
            "invalid_hub_url",
            f"La dirección del hub «{hub_url}» no es válida: use por ejemplo "
            "https://192.168.1.10:8470",
        )
    return url


def remote_client(hub_url: str, token: str, ca_file: str | None = None) -> HubClient:
    """A client that verifies an https hub with `ca_file` (learned when pairing, or --ca),
    else with the system's CAs: a hub it cannot verify gets nothing («hub_certificate»)."""
    url = _hub_url(hub_url)
    if not token.strip():
        raise InvalidInput("missing_token", "Falta la credencial del dispositivo (--token).")
    if ca_file and not Path(ca_file).is_file():
        raise InvalidInput("missing_ca",
                           f"No se encuentra el certificado del hub «{ca_file}». Empareje el "
                           "equipo de nuevo (--pair) o indique otro archivo con --ca.")
    return HttpHubClient(url, token.strip(), verify=ca_file or True)
