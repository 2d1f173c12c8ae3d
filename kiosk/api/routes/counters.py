"""A counter's day: open, pause, resume, close; and the office's day."""

from kiosk.api.deps import CounterNumber, HubDep, Me
from kiosk.api.routes import Endpoints, area_router
from kiosk.client.base import COUNTERS
from kiosk.services.views import CounterView
from kiosk.wire import ReasonBody

endpoints = Endpoints()


@endpoints("pause_counter")
def pause(number: CounterNumber, body: ReasonBody, me: Me, hub: HubDep) -> CounterView:
    return hub.pause_counter(me, number, body.reason)


router = area_router(COUNTERS, endpoints)
