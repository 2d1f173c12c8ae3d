"""Routes that serialise their answer once.

FastAPI, given a pydantic answer, dumps it to Python objects, validates that dump against the
route's response model, serialises it again and then encodes the JSON: four passes. The hub's
answers are already validated views, so `ViewRoute` encodes them in one pass of pydantic's
core against the same response model (the bytes are the same; the OpenAPI schema is untouched).
With hundreds of tickets waiting those passes were a good part of `GET /queue`, which the counters
poll every few seconds (bench/README.md, hub_load.py). Anything it cannot encode that way (a
`Response`, a value that does not match the model) takes FastAPI's own path, which reports it as
before.
"""

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi import Response
from fastapi.routing import APIRoute
from pydantic import TypeAdapter
from pydantic_core import PydanticSerializationError


class ViewRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        self.view_adapter: TypeAdapter[Any] | None = None  # once FastAPI knows the model

        # FastAPI reads the parameters and the return type through `functools.wraps`.
        if inspect.iscoroutinefunction(endpoint):
            @functools.wraps(endpoint)
            async def awaited(*args: Any, **kw: Any) -> Any:
                return self._encoded(await endpoint(*args, **kw))
            wrapped: Callable[..., Any] = awaited
        else:
            @functools.wraps(endpoint)
            def called(*args: Any, **kw: Any) -> Any:
                return self._encoded(endpoint(*args, **kw))
            wrapped = called
        super().__init__(path, wrapped, **kwargs)
        if self.response_model is not None:
            self.view_adapter = TypeAdapter(self.response_model)

    def _encoded(self, answer: Any) -> Any:
        if self.view_adapter is None or isinstance(answer, Response):
            return answer
        try:
            body = self.view_adapter.dump_json(answer, warnings="error")
        except PydanticSerializationError:
            return answer  # FastAPI validates it and says what is wrong
        return Response(body, status_code=self.status_code or 200, media_type="application/json")
