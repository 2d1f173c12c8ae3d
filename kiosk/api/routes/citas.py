"""Citas: slots, booking, cancelling, changing, the check-in and the figures (all made from
the operation table, kiosk/client/base.py)."""

from kiosk.api.routes import area_router
from kiosk.client.base import CITAS

router = area_router(CITAS)
