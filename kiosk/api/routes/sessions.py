"""Clerks log in on a device, change their PIN and log out; refusals are slowed down."""

from fastapi import Response

from kiosk.api.deps import ClerkSessionHeader, HubDep, Me, slowed_refusals
from kiosk.api.routes import Endpoints, area_router
from kiosk.client.base import SESSIONS
from kiosk.services.expediente_views import ClerkSession, LoginInput, UserView
from kiosk.wire import SecretChangeBody, UnlockBody

endpoints = Endpoints()


@endpoints("login")
async def login(body: LoginInput, me: Me, hub: HubDep) -> ClerkSession:
    return await slowed_refusals(lambda: hub.login(me, body))


@endpoints("unlock_window")
async def unlock_window(body: UnlockBody, me: Me, hub: HubDep) -> UserView:
    return await slowed_refusals(lambda: hub.unlock_window(me, body.secret))


@endpoints("change_secret")
async def change_secret(body: SecretChangeBody, me: Me, hub: HubDep) -> UserView:
    return await slowed_refusals(lambda: hub.change_secret(me, body.current, body.new))


@endpoints("logout")
def logout(me: Me, hub: HubDep, clerk_session: ClerkSessionHeader = None) -> Response:
    hub.logout(me, clerk_session)
    return Response(status_code=204)


router = area_router(SESSIONS, endpoints)
