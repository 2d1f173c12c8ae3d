"""What the hub and its windows say of their versions to each other (issue 19).

Every request of a window carries its program version and the API level it speaks; every
answer of the hub carries the hub's, and the lowest level it still serves (/health too,
whose body keeps its shape: its `version` is the hub's). The level is
bumped only when an older window would misread a request or an answer; a field added to an
answer is not such a change (the windows' models ignore fields they do not know). Central
has its own handshake with the hubs (sync/wire.py, PROTOCOL_VERSION).
"""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from kiosk import __version__
from kiosk.errors import UpgradeRequired

# The API level this program speaks, and the lowest a hub of this version serves.
API_LEVEL = 1
MIN_CLIENT_API_LEVEL = 1
# A window made before the handshake says nothing: it spoke level 1.
SILENT_CLIENT_LEVEL = 1


def parse_level(value: str | None) -> int | None:
    """A level as a header carries it; None when absent or not a number."""
    return int(value) if value is not None and value.isdigit() else None


def client_refusal(client_version: str | None, client_level: int | None,
                   minimum: int = MIN_CLIENT_API_LEVEL) -> UpgradeRequired | None:
    """Why the hub cannot serve a window this old, naming both versions; None: it can."""
    level = SILENT_CLIENT_LEVEL if client_level is None else client_level
    if level >= minimum:
        return None
    named = client_version or "anterior a la 0.1.0"
    return UpgradeRequired(
        "client_outdated",
        f"Esta PC tiene CAC Kiosk {named} y el hub de la oficina tiene la versión "
        f"{__version__}, que ya no atiende ventanas tan antiguas. Actualice CAC Kiosk en "
        f"esta PC a la versión {__version__} (o más nueva) y vuelva a abrir la ventana. "
        "Lo registrado en la oficina está a salvo en el hub.")


def newer(version: str, than: str) -> bool:
    try:
        return Version(version) > Version(than)
    except InvalidVersion:
        return False


def newer_hub_notice(hub_version: str, own_version: str = __version__) -> str | None:
    """The window's small notice when the hub runs a newer program. That the window still
    works with it goes without saying: a hub that does not serves it no page at all, only its
    refusal (`client_refusal`)."""
    if not newer(hub_version, own_version):
        return None
    return (f"El hub de la oficina tiene CAC Kiosk {hub_version} y esta PC la {own_version}. "
            "Todo sigue funcionando; actualice esta PC cuando pueda.")
