"""The providers that carry notices to citizens (a port, `Sender`, and its two adapters):
e-mail by SMTP (the standard library's smtplib: nothing a maintained package adds for one
plain message) and SMS through the provider's HTTP gateway (requests).

Each raises `SendFailure` (kiosk/services/notices.py, beside the port `Sender`) with a
Spanish reason; `permanent` when trying again cannot help (an address refused, a key
rejected), otherwise the job retries with backoff (no link, a timeout, a busy server).
The idempotency key goes with each message (the gateway's «Idempotency-Key» header, the
e-mail's Message-ID), so a notice re-sent after the hub died between sending and recording
can be told apart by the provider.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

import requests

from kiosk.rules.notices import Channel, international
from kiosk.services.notices import Outgoing, Sender, SendFailure
from kiosk.settings import OfficeConfig

TIMEOUT_S = 15.0
LOOPBACK = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class SmtpSender:
    host: str
    port: int
    security: str  # starttls | ssl | ninguno
    user: str
    password: str
    sender: str
    timeout_s: float = TIMEOUT_S
    context: ssl.SSLContext | None = None  # tests: their own CA

    def send(self, message: Outgoing) -> None:
        if self.security == "ninguno" and self.password and self.host not in LOOPBACK:
            raise SendFailure("El servidor de correo no usa cifrado: la contraseña no se envía "
                            "sin cifrar. Elija STARTTLS o SSL en los avisos.", permanent=True)
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.sender, message.address, message.subject
        mail["Date"] = formatdate(localtime=False)
        domain = self.sender.rpartition("@")[2] or "cac.local"
        mail["Message-ID"] = f"<{message.key.replace(':', '.')}@{domain}>"
        mail.set_content(message.body)
        context = self.context or ssl.create_default_context()
        try:
            client: smtplib.SMTP
            if self.security == "ssl":
                client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout_s,
                                          context=context)
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
            with client:
                if self.security == "starttls":
                    client.starttls(context=context)
                if self.user:
                    client.login(self.user, self.password)
                client.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendFailure(f"El servidor de correo rechazó la dirección ({_codes(exc)}).",
                            permanent=_permanent(exc.recipients)) from None
        except smtplib.SMTPAuthenticationError:
            raise SendFailure("El servidor de correo no aceptó el usuario o la contraseña.",
                            permanent=True) from None
        except smtplib.SMTPResponseException as exc:
            raise SendFailure(f"El servidor de correo respondió {exc.smtp_code}.",
                            permanent=500 <= exc.smtp_code < 600) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SendFailure(f"Sin conexión con el servidor de correo ({type(exc).__name__})."
                            ) from None


def _codes(exc: smtplib.SMTPRecipientsRefused) -> str:
    return ", ".join(str(code) for code, _ in exc.recipients.values())


def _permanent(recipients: dict[str, tuple[int, bytes]]) -> bool:
    return all(500 <= code < 600 for code, _ in recipients.values())


@dataclass(frozen=True)
class SmsGateway:
    """POST <url> {"to": "+51…", "text": …, "reference": key} with the key as a bearer token;
    2xx: accepted. The common shape of Peruvian and international SMS gateways' REST APIs; a
    provider with another shape gets its own adapter."""

    url: str
    key: str
    timeout_s: float = TIMEOUT_S

    def send(self, message: Outgoing) -> None:
        try:
            answer = requests.post(
                self.url, json={"to": international(message.address), "text": message.body,
                                "reference": message.key},
                headers={"Authorization": f"Bearer {self.key}",
                         "Idempotency-Key": message.key},
                timeout=self.timeout_s)
        except requests.RequestException as exc:
            raise SendFailure(f"Sin conexión con la pasarela de SMS ({type(exc).__name__})."
                            ) from None
        if answer.ok:
            return
        status = answer.status_code
        if status in (401, 403):
            raise SendFailure("La pasarela de SMS no aceptó la clave.", permanent=True)
        raise SendFailure(f"La pasarela de SMS respondió {status}.",
                        permanent=400 <= status < 500 and status not in (408, 409, 425, 429))


def senders(config: OfficeConfig) -> dict[Channel, Sender]:
    """The providers the admin set (a channel without one waits)."""
    found: dict[Channel, Sender] = {}
    if config.notice_smtp_host and config.notice_sender:
        found[Channel.EMAIL] = SmtpSender(
            config.notice_smtp_host, config.notice_smtp_port, config.notice_smtp_security,
            config.notice_smtp_user, config.notice_smtp_password, config.notice_sender)
    if config.notice_sms_url and config.notice_sms_key:
        found[Channel.SMS] = SmsGateway(config.notice_sms_url, config.notice_sms_key)
    return found
