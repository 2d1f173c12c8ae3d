"""The hub API's routes, one router per area of the operation table (kiosk/client/base.py).

An operation whose route only passes its path parameters, its JSON body and a period on to
its OfficeHub method is made from the table; the others are written in their area's module
(an `Endpoints` entry) and get their path, method, status and permission check from the table
all the same.

No `from __future__ import annotations` here: FastAPI reads the annotations at runtime.
"""

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel

from kiosk.api.deps import PATH_PARAMS, QUERY_PARAMS, HubDep, Me, may
from kiosk.api.routing import ViewRoute
from kiosk.client.operations import Area, Operation
from kiosk.services.devices import DeviceIdentity
from kiosk.wire import PREFIX


class Endpoints:
    """The routes an area writes itself: `@endpoints("op_name", **route_options)`."""

    def __init__(self) -> None:
        self.written: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {}

    def __call__(self, name: str, **options: Any) -> Callable[[Callable[..., Any]],
                                                              Callable[..., Any]]:
        def written(endpoint: Callable[..., Any]) -> Callable[..., Any]:
            self.written[name] = (endpoint, options)
            return endpoint

        return written


def area_router(area: Area, endpoints: Endpoints | None = None) -> APIRouter:
    """The routes of `area`'s operations, in the table's order (the order they are tried)."""
    written = dict(endpoints.written) if endpoints else {}
    router = APIRouter(prefix=PREFIX, tags=[area.tag], route_class=ViewRoute)
    for op in area.operations():
        endpoint, options = written.pop(op.name) if op.name in written else (made(op), {})
        router.add_api_route(op.path, checked(endpoint, op), methods=[op.method],
                             status_code=None if op.status == 200 else op.status, **options)
    if written:
        raise ValueError(f"routes of no operation in {area.name}: {sorted(written)}")
    return router


def checked(endpoint: Callable[..., Any], op: Operation) -> Callable[..., Any]:
    """`endpoint` with its `Me` parameter checked for the operation's permission."""
    signature = inspect.signature(endpoint)
    callers = [p.name for p in signature.parameters.values() if p.annotation == Me]
    if op.may is None and callers:
        raise TypeError(f"{op.name} is public: it has no caller to check")
    params = [p.replace(annotation=Annotated[DeviceIdentity, may(op.may)])
              if p.name in callers and op.may is not None else p
              for p in signature.parameters.values()]
    endpoint.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    return endpoint


def made(op: Operation) -> Callable[..., Any]:
    """The route of a pass-through operation: path parameters, a JSON body and a period, in
    the declared order, to the OfficeHub method after the caller."""
    declared = op.signature()
    names: list[str] = []
    params: list[inspect.Parameter] = []
    for p in declared.parameters.values():
        key = (p.name, p.annotation)
        if p.name in op.path_params:
            annotation = PATH_PARAMS[key]
        elif isinstance(p.annotation, type) and issubclass(p.annotation, BaseModel):
            annotation = p.annotation
        elif key in QUERY_PARAMS:
            annotation = QUERY_PARAMS[key]
        else:
            raise TypeError(f"{op.name}: «{p.name}» is not a path parameter, a body or a "
                            "period; write its route in its area's module")
        names.append(p.name)
        params.append(inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY,
                                        annotation=annotation, default=p.default))
    if op.may is not None:
        params.append(inspect.Parameter("me", inspect.Parameter.KEYWORD_ONLY, annotation=Me))
    params.append(inspect.Parameter("hub", inspect.Parameter.KEYWORD_ONLY, annotation=HubDep))

    def endpoint(**given: Any) -> Any:
        call = getattr(given["hub"], op.hub)
        args = [given[name] for name in names]
        return call(*args) if op.may is None else call(given["me"], *args)

    endpoint.__name__ = endpoint.__qualname__ = op.name
    endpoint.__doc__ = op.declared.__doc__
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        params, return_annotation=op.response)
    return endpoint
