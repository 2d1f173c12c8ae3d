"""The hub's OpenAPI is what devices in the field speak: a refactoring of the routes must not
change a path, a method, a parameter or a schema. `hub_openapi.json` is the API as it was before
the routes were made from the operation table (issue 16); tags, operation ids and summaries
are names for people and may change. A new operation may be added (devices that do not know
it are not affected); what was there stays as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kiosk.api.app import create_app
from kiosk.hub import OfficeHub

SNAPSHOT = Path(__file__).with_name("hub_openapi.json")
NAMES = ("tags", "operationId", "summary")


def comparable(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec without the names people read, nor the release."""
    paths = {path: {method: {k: v for k, v in operation.items() if k not in NAMES}
                    for method, operation in methods.items()}
             for path, methods in spec["paths"].items()}
    info = {k: v for k, v in spec["info"].items() if k != "version"}
    return {**spec, "paths": paths, "info": info}


def test_the_openapi_is_the_one_devices_speak(hub: OfficeHub) -> None:
    # A round trip through JSON, as the snapshot was written (tuples become lists).
    now = comparable(json.loads(json.dumps(create_app(hub).openapi())))
    before = comparable(json.loads(SNAPSHOT.read_text(encoding="utf-8")))
    for path, methods in before["paths"].items():
        for method, operation in methods.items():
            assert now["paths"].get(path, {}).get(method) == operation, (method, path)
    for kind, schemas in before["components"].items():
        for name, schema in schemas.items():
            assert now["components"][kind].get(name) == schema, name
    assert {k: v for k, v in now.items() if k not in ("paths", "components")} == {
        k: v for k, v in before.items() if k not in ("paths", "components")}
