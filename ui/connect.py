"""Build the hub client a window talks to, from its command-line options."""

from __future__ import annotations

from kiosk.client.base import HubClient
from kiosk.client.http import HttpHubClient
from kiosk.errors import InvalidInput


def _hub_url(hub_url: str) -> str:
    url = hub_url.strip()
    if not url.startswith(("http://", "https://")):
        raise InvalidInput(
            "invalid_hub_url",
            f"La dirección del hub «{hub_url}» no es válida: use por ejemplo "
            "http://192.168.1.10:8470",
        )
    return url


def remote_client(hub_url: str, token: str, ca_file: str | None = None) -> HubClient:
    url = _hub_url(hub_url)
    if not token.strip():
        raise InvalidInput("missing_token", "Falta la credencial del dispositivo (--token).")
    return HttpHubClient(url, token.strip(), verify=ca_file or True)
