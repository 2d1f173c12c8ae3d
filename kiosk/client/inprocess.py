"""The hub in the same process (all-in-one office): same rules, no network.

Its methods are made from the operation table (kiosk/client/base.py): each calls its OfficeHub
method with the caller, checked on every call as over HTTP. Those written here are the few
that do more than pass their arguments on.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from kiosk.client.base import HubClient
from kiosk.client.operations import TABLE, Operation
from kiosk.hub import OfficeHub
from kiosk.services.access_log import AccessEntry
from kiosk.services.admin_views import AdminDeviceView, DeviceBinding
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import ClerkSession, LoginInput


class _InProcessHubClient:
    def __init__(self, hub: OfficeHub, token: str) -> None:
        self._hub = hub
        self._token = token
        self._device: DeviceIdentity = hub.authenticate(token)
        self._session: str | None = None

    @property
    def _me(self) -> DeviceIdentity:
        """The device, with its clerk once one logs in: checked on every call, as over HTTP
        (a revoked device or a session ended elsewhere stops working here too)."""
        return self._hub.authenticate(self._token, self._session)

    def login(self, username: str, secret: str, counter: int | None = None) -> ClerkSession:
        session = self._hub.login(self._hub.authenticate(self._token), LoginInput(
            username=username, secret=secret, counter=counter))
        self._session = session.token
        return session

    def logout(self) -> None:
        if self._session is not None:
            try:
                self._hub.logout(self._device, self._session)
            finally:
                self._session = None

    def audit_access(self, person: str | None = None, user: str | None = None,
                     date_from: date | None = None, date_to: date | None = None,
                     limit: int = 200) -> list[AccessEntry]:
        return self._hub.audit_access(self._me, person=person, user=user, date_from=date_from,
                                      date_to=date_to, limit=limit)

    def bind_device(self, device_id: str, counter: int | None) -> AdminDeviceView:
        return self._hub.bind_device(self._me, device_id, DeviceBinding(counter=counter))


def _forward(op: Operation) -> Callable[..., Any]:
    """The client method of `op`: its arguments (defaults filled in) to the OfficeHub method,
    after the caller; a public operation takes no caller."""
    signature = op.signature()

    def method(self: _InProcessHubClient, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        call = getattr(self._hub, op.hub)
        if op.may is None:
            return call(*bound.args, **bound.kwargs)
        return call(self._me, *bound.args, **bound.kwargs)

    method.__name__ = method.__qualname__ = op.name
    method.__doc__ = op.declared.__doc__
    method.__signature__ = inspect.signature(op.declared)  # type: ignore[attr-defined]
    return method


for _op in TABLE.values():
    if _op.client and _op.name not in vars(_InProcessHubClient):
        setattr(_InProcessHubClient, _op.name, _forward(_op))

if TYPE_CHECKING:
    # Its methods are made above, so mypy is told what they are: a HubClient.
    def InProcessHubClient(hub: OfficeHub, token: str) -> HubClient: ...
else:
    InProcessHubClient = _InProcessHubClient
    InProcessHubClient.__name__ = InProcessHubClient.__qualname__ = "InProcessHubClient"
