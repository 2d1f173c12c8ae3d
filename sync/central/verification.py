"""The offices' keys for the QR statements and central's public page that verifies one
(decision 46).

- `PUT /api/v1/sync/office-keys` (a hub): the office's public keys (current, retired,
  revoked) are stored; the answer is every office's, which the hub keeps so that `cac verify`
  and the kiosk verify with no link. A hub speaks for its own office only.
- `GET /v/<statement>`: the statement a document's QR carries, checked with those keys: what
  the document should say, or a plain Spanish refusal (altered, forged, revoked). A cargo's
  digest is recomputed from the fields its office recorded in the replicated
  `document_signed` event, which the page then shows.
"""

# No `from __future__ import annotations`: FastAPI reads the routes' annotations, and `Who`
# is local to `verification_routes`.

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment
from pydantic import BaseModel, Field
from sqlalchemy import Engine, func, select
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.errors import Forbidden
from kiosk.signing import statement as statements
from sync.central import event_archive
from sync.central.schema import REPLICAS, office_keys, office_links, offices
from sync.central.server import CentralIdentity

MAX_KEYS = 50


class OfficeKeyBody(BaseModel):
    key_id: str = Field(pattern=r"^[0-9a-f]{8}$")
    office_id: str = Field(max_length=36)
    public_key: str = Field(pattern=r"^[A-Za-z0-9_-]{43}$")
    valid_from: datetime
    retired_at: datetime | None = None
    revoked_at: datetime | None = None


class OfficeKeysBody(BaseModel):
    keys: list[OfficeKeyBody] = Field(max_length=MAX_KEYS)


def known_keys(engine: Engine, as_hubs_name_them: bool = False) -> list[statements.OfficeKey]:
    """Every office's keys; `office_id` central's, or (for the hubs) the office's own id
    as its hub names it (office_links)."""
    owner = (func.coalesce(office_links.c.hub_office_id, office_keys.c.office_id)
             if as_hubs_name_them else office_keys.c.office_id)
    query = (select(office_keys, owner.label("owner"))
             .outerjoin(office_links, office_links.c.office_id == office_keys.c.office_id))
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [statements.OfficeKey(key_id=r["key_id"], office_id=r["owner"],
                                 public_key=r["public_key"], valid_from=r["valid_from"],
                                 retired_at=r["retired_at"], revoked_at=r["revoked_at"])
            for r in rows]


def publish(engine: Engine, office_id: str, keys: list[OfficeKeyBody], now: datetime
            ) -> None:
    """An office's own keys (named by its hub's office id), stored under central's office id
    or updated (a rotation, a revocation). A key id another office already published is not
    taken over; a revocation is never undone."""
    insert = (postgresql.insert if engine.dialect.name == "postgresql"
              else sqlite.insert)(office_keys)
    with engine.begin() as connection:
        hub_id = connection.scalar(select(office_links.c.hub_office_id).where(
            office_links.c.office_id == office_id))
        if any(k.office_id != hub_id for k in keys):
            raise Forbidden("foreign_office_key",
                            "Un hub solo publica las claves de su oficina.")
        for key in keys:
            row = {**key.model_dump(), "office_id": office_id, "published_at": now}
            stmt = insert.values(**row).on_conflict_do_update(
                index_elements=["key_id"],
                set_={"retired_at": insert.excluded.retired_at,
                      "revoked_at": insert.excluded.revoked_at,
                      "published_at": now},
                where=(office_keys.c.office_id == office_id)
                & office_keys.c.revoked_at.is_(None))
            connection.execute(stmt)


def signed_records(engine: Engine, office_id: str, statement: statements.Statement
                   ) -> list[dict[str, Any]]:
    """The replicated `document_signed` events of the document a statement names, in the
    office (central's id) whose key signed it: what the office recorded it says. They are
    kept as rows (sync/central/event_archive.py); one an older central folded into its
    archive is read there until its maintenance gives it back as a row."""
    expedientes, events = REPLICAS["expedientes"], REPLICAS["events"]
    with engine.connect() as connection:
        found = connection.scalar(select(expedientes.c.id).where(
            expedientes.c.office_id == office_id, expedientes.c.number == statement.number))
        if found is None:
            return []
        datas = list(connection.scalars(select(events.c.data).where(
            events.c.stream == "expediente", events.c.stream_id == found,
            events.c.kind == "document_signed")))
        if not any(_names(data, statement) for data in datas):
            # The UTC days the office's local day of issue overlaps, whatever its zone.
            days = [statement.issued_on + timedelta(days=d) for d in (-1, 0, 1)]
            datas += [p["data"] for p in event_archive.pending_kept(connection, office_id, days)
                      if p.get("kind") == "document_signed" and p.get("stream_id") == found]
        return [data for data in datas if _names(data, statement)]


def _names(data: object, statement: statements.Statement) -> bool:
    return isinstance(data, dict) and data.get("document_id") == statement.document_id


def office_names(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return {r.id: r.name for r in connection.execute(select(offices.c.id, offices.c.name))}


def verification_routes(engine: Engine, now: Callable[[], datetime],
                        identity: Callable[..., Awaitable[CentralIdentity]],
                        templates: Environment,
                        municipality: str, too_many: Callable[[Request], Response | None],
                        prefix: str) -> APIRouter:
    router = APIRouter()
    Who = Annotated[CentralIdentity, Depends(identity)]

    @router.put(prefix + "/sync/office-keys")
    def exchange_keys(body: OfficeKeysBody, me: Who) -> dict[str, Any]:
        if me.role != "hub" or me.office_id is None:
            raise Forbidden("forbidden", "Solo el hub de una oficina publica sus claves.")
        publish(engine, me.office_id, body.keys, now())
        return {"keys": [k.to_json() for k in known_keys(engine, as_hubs_name_them=True)]}

    @router.get("/v/{token}", response_class=HTMLResponse, include_in_schema=False)
    def verify_page(token: str, request: Request) -> Response:
        refused = too_many(request)
        if refused is not None:
            return refused
        verdict = statements.verify(token[:400], known_keys(engine))
        if (verdict.valid and verdict.key is not None and verdict.statement is not None
                and statements.covers_content(verdict.statement)):
            # A cargo: its digest recomputed from what the office recorded when it signed
            # it, and those fields shown to compare with the paper (the applicant masked).
            verdict = statements.check_content(verdict, statements.recorded_fields(
                signed_records(engine, verdict.key.office_id, verdict.statement)))
        office = office_names(engine).get(verdict.key.office_id, "") if verdict.key else ""
        unmatched = (verdict.valid and verdict.statement is not None and not verdict.fields
                     and statements.covers_content(verdict.statement))
        page = templates.get_template("verify_statement.html").render(
            municipality=municipality, verdict=verdict, office=office,
            note=verdict.message if unmatched else "",
            rows=statements.describe(verdict.statement, verdict.fields)
            if verdict.statement else [])
        return HTMLResponse(page, status_code=200 if verdict.valid else 422,
                            headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})

    return router
