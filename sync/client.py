"""The hub's HTTP client of the central server (requests).

Every failure of the link — refused, reset, timed out, cut in the middle, a proxy's 5xx, an
answer that is not the JSON it should be — becomes a CentralUnavailable with a Spanish
message; central's own refusals keep their code and message.
"""

from __future__ import annotations

import json
from typing import Any

import requests

from kiosk.errors import CacError, Conflict, Forbidden, InvalidInput, Unauthorized, UpgradeRequired
from sync.wire import OFFICE_HEADER, PULL_PAGE, version_headers


class CentralUnavailable(CacError):
    """The central server could not be reached or did not answer whole."""

    status = 503


_BY_STATUS: dict[int, type[CacError]] = {400: InvalidInput, 401: Unauthorized,
                                         403: Forbidden, 409: Conflict, 413: InvalidInput,
                                         422: InvalidInput, 426: UpgradeRequired}


class CentralClient:
    """`office`: the hub's office code, said in every request (central refuses a credential of
    another office before it binds or applies anything)."""

    def __init__(self, base_url: str, credential: str, *, schema: str | None = None,
                 office: str | None = None, timeout_s: float = 30.0,
                 verify: bool | str = True, session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._timeout = timeout_s
        self._http = session or requests.Session()
        # Central's certificate is checked (against a CA bundle path too), given with every
        # request: a session's own `verify` loses to REQUESTS_CA_BUNDLE (requests #3829).
        self._verify = verify
        self._http.headers.update({"Authorization": f"Bearer {credential}",
                                   **version_headers(schema, office)})

    def speak_for(self, office: str) -> None:
        """Say `office` in every request from now on."""
        self._http.headers[OFFICE_HEADER] = office

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        url = f"{self.base_url}/api/v1{path}"
        try:
            response = self._http.request(method, url, timeout=self._timeout,
                                          verify=self._verify, **kwargs)
            body = response.content  # the whole body, or an exception if it was cut
        except requests.exceptions.SSLError as exc:
            raise CentralUnavailable(
                "central_certificate",
                f"No se pudo verificar el certificado de la central ({self.base_url}): "
                f"{_short(exc)}") from None
        except requests.RequestException as exc:
            raise CentralUnavailable(
                "central_unreachable",
                f"No hay conexión con la central ({self.base_url}): {_short(exc)}") from None
        try:
            payload = json.loads(body) if body else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            payload = None
        if response.status_code >= 500 or response.status_code == 429:
            raise CentralUnavailable(
                "central_error",
                f"La central respondió {response.status_code}: se reintentará más tarde.")
        if response.status_code >= 400:
            error = payload.get("error") if isinstance(payload, dict) else None
            kind = _BY_STATUS.get(response.status_code, InvalidInput)
            if isinstance(error, dict) and isinstance(error.get("message"), str):
                raise kind(str(error.get("code", "central_refused")), error["message"])
            raise kind("central_refused",
                       f"La central rechazó la solicitud ({response.status_code}).")
        if not isinstance(payload, dict):
            raise CentralUnavailable("central_bad_answer",
                                     "La respuesta de la central llegó incompleta o dañada.")
        return payload

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/health")
        return result

    def hello(self, hub_office_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/sync/hello",
                                            params={"hub_office_id": hub_office_id})
        return result

    def push(self, packed: bytes) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "POST", "/sync/push", data=packed,
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})
        return result

    def pull(self, after: int, limit: int = PULL_PAGE) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/sync/changes",
                                            params={"after": after, "limit": limit})
        return result

    def exchange_keys(self, own: list[dict[str, Any]]) -> dict[str, Any]:
        """The office's public keys for QR statements published; every office's back."""
        result: dict[str, Any] = self._call("PUT", "/sync/office-keys", json={"keys": own})
        return result

    def recover(self, after: int, limit: int = PULL_PAGE) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/sync/recover",
                                            params={"after": after, "limit": limit})
        return result

    def stats(self, date_from: str, date_to: str, office: str | None = None) -> dict[str, Any]:
        params = {"from": date_from, "to": date_to, **({"office": office} if office else {})}
        result: dict[str, Any] = self._call("GET", "/stats", params=params)
        return result

    def report(self, date_from: str, date_to: str, office: str | None = None
               ) -> dict[str, Any]:
        """The hubs' period report per office and for all together (`GET /stats/report`:
        `{"offices": {code: report}, "total": report}`; staff credentials)."""
        params = {"from": date_from, "to": date_to, **({"office": office} if office else {})}
        result: dict[str, Any] = self._call("GET", "/stats/report", params=params)
        return result


def _short(exc: Exception) -> str:
    text = str(exc)
    return (text[:200] + "…") if len(text) > 200 else text
