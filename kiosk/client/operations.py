"""The hub's operations, declared once: `kiosk/client/base.py` declares each one on the
`HubClient` method that runs it, with an area's `get`/`post`/… (HTTP method and path, the
permission, the request and response models, the OfficeHub method). From that table
kiosk/api/routes/ makes the routes and their permission checks and kiosk/client/inprocess.py
its methods; tests/contract/test_operation_table.py holds the HTTP client and the OpenAPI to it.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

F = TypeVar("F", bound=Callable[..., Any])

# The operations by name; within an area, in the order its routes are tried (a literal path
# before a pattern that would match it too).
TABLE: dict[str, Operation] = {}
_PATH_PARAM = re.compile(r"{(\w+)(?::\w+)?}")


class Derived:
    """Marks a model read from the declared method (its return type, its model parameter)."""


DERIVED: Any = Derived()


@dataclass(frozen=True)
class Operation:
    name: str  # the HubClient method
    area: str  # its group of routes (kiosk/api/routes/<area>.py) and OpenAPI tag
    method: str
    path: str  # under /api/v1, as FastAPI writes it ({number:path}: any text, slashes too)
    # The permission checked before anything else is read (kiosk/rules/permissions.py
    # OPERATIONS: the roles, whether a person must be logged in, the binding); None: public.
    may: str | None
    hub: str  # the OfficeHub method it calls
    status: int
    body: type[BaseModel] | None  # the JSON body's model, if it takes one
    response: Any  # the JSON answer's model; None: another media type or no content
    declared: Callable[..., Any] = field(repr=False)  # the method: its signature
    client: bool = True  # False: a PC without a credential calls it (kiosk.client.http)

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(_PATH_PARAM.findall(self.path))

    def signature(self) -> inspect.Signature:
        """The declared signature without `self`, its annotations resolved."""
        hints = typing.get_type_hints(self.declared)
        signature = inspect.signature(self.declared)
        params = [p.replace(annotation=hints.get(p.name, p.annotation))
                  for p in signature.parameters.values() if p.name != "self"]
        return signature.replace(parameters=params,
                                 return_annotation=hints.get("return", None))


class Area:
    """One group of operations: `@AREA.get(path, may=…)` on a HubClient method declares it."""

    def __init__(self, name: str, tag: str) -> None:
        self.name, self.tag = name, tag

    def operations(self) -> list[Operation]:
        return [op for op in TABLE.values() if op.area == self.name]

    def get(self, path: str, **options: Any) -> Callable[[F], F]:
        return self.declare("GET", path, **options)

    def post(self, path: str, **options: Any) -> Callable[[F], F]:
        return self.declare("POST", path, **options)

    def put(self, path: str, **options: Any) -> Callable[[F], F]:
        return self.declare("PUT", path, **options)

    def patch(self, path: str, **options: Any) -> Callable[[F], F]:
        return self.declare("PATCH", path, **options)

    def delete(self, path: str, **options: Any) -> Callable[[F], F]:
        return self.declare("DELETE", path, **options)

    def declare(self, method: str, path: str, *, may: str | None, hub: str = "",
                status: int = 200, body: Any = DERIVED, response: Any = DERIVED,
                client: bool = True) -> Callable[[F], F]:
        """`body`, `response`: the wire's models where they are not the method's own (a
        body made of its arguments; None for a CSV, a file or no content)."""

        def declared(method_: F) -> F:
            name = method_.__name__
            if name in TABLE:
                raise ValueError(f"operation {name} declared twice")
            hints = typing.get_type_hints(method_)
            models = [t for p, t in hints.items() if p != "return" and _is_model(t)]
            TABLE[name] = Operation(
                name=name, area=self.name, method=method, path=path, may=may,
                hub=hub or name, status=status,
                body=(models[0] if models else None) if body is DERIVED else body,
                response=_answer(hints.get("return")) if response is DERIVED else response,
                declared=method_, client=client)
            return method_

        return declared


def _answer(annotation: Any) -> Any:
    return None if annotation is type(None) else annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)
