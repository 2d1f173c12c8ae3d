"""How windows reach the hub: one interface, an in-process and an HTTP implementation."""

from kiosk.client.base import HubClient
from kiosk.client.inprocess import InProcessHubClient

__all__ = ["HubClient", "InProcessHubClient"]
