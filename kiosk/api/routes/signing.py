"""The digital signature: the certificate, its unlocking per session, signed documents (all
made from the operation table)."""

from kiosk.api.routes import area_router
from kiosk.client.base import SIGNING

router = area_router(SIGNING)
