"""«Configurar esta PC» (issue 19): both paths walked through the wizard's pages, against a
real office (created here in a temporary folder, or served by a real hub on loopback for a PC
that joins), with a printer that writes files and start files written under a root of the
test's own. Every refusal is said on its page in Spanish and keeps what was typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.cli import build_parser
from kiosk.config import DataDir
from kiosk.embedded import EmbeddedHub
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import PairingInput
from tests.conftest import RunningHub, start_server, stop_server
from tests.ui.setup_wizard_support import commit, fill, page, wizard_on
from ui.pairing import load_paired
from ui.setup_wizard.pages import ADMIN, CHECK, CHOICE, JOIN, OFFICE, PRINTER, START
from ui.setup_wizard.steps import load_this_pc, window_argv

PIN = "24681357"


def _code(hub: OfficeHub, role: str = "counter", counter: int | None = 3) -> str:
    return hub.create_pairing(SYSTEM, PairingInput(name="Ventanilla 3", role=role,
                                                   counter=counter)).code


@pytest.fixture
def away_hub(hub: OfficeHub) -> Iterator[RunningHub]:
    """A hub on loopback that the test may stop (stopping twice is harmless)."""
    running = start_server(hub)
    yield running
    if running.thread.is_alive():
        stop_server(running)


def test_a_new_office_is_made_on_this_pc_and_opens_as_cac_app_does(
        qtbot: QtBot, tmp_path: Path) -> None:
    wizard = wizard_on(qtbot, tmp_path)
    wizard.next()
    fill(page(wizard, OFFICE), code="caj", name="CAC Cajamarca",
         municipality="Municipalidad Provincial de Cajamarca")
    wizard.next()
    assert wizard.currentId() == ADMIN
    fill(page(wizard, ADMIN), username="Maria.Perez", full_name="María  Pérez Quispe",
         secret=PIN, repeat=PIN)
    wizard.next()
    assert wizard.currentId() == PRINTER
    printer = page(wizard, PRINTER)
    assert printer.choice.currentText() == "Impresora de prueba (archivos)"
    commit(wizard)  # «Crear la oficina»
    assert wizard.currentId() == CHECK, page(wizard, PRINTER).error_text
    check = page(wizard, CHECK)
    assert check.link.text().startswith("✔ El hub atenderá a las demás PC de la oficina en "
                                        "https://")
    assert f":{wizard.context.hub_port} " in check.link.text()
    check.print_button.click()
    assert check.printed.text().startswith("✔ Página de prueba"), check.printed.text()
    printed = list((tmp_path / "papel").glob("*.bin"))
    assert len(printed) == 1 and "PÁGINA DE PRUEBA".encode("cp858") in printed[0].read_bytes()
    assert "Municipalidad Provincial de Cajamarca".encode("cp858") in printed[0].read_bytes()
    wizard.next()
    assert wizard.currentId() == START
    wizard.button(wizard.WizardButton.FinishButton).click()
    assert page(wizard, START).error_text == ""
    unit = tmp_path / "sistema" / Path.home().relative_to("/") / ".config" / "systemd" / \
        "user" / "cac-hub.service"
    data_dir = DataDir(tmp_path / "pc")
    assert f"hub --data-dir {data_dir.root.resolve()}" in unit.read_text()
    assert load_this_pc(data_dir) is not None and wizard.this_pc is not None
    # What opens now: the office in the window's process, as `cac app` runs it.
    words = window_argv(wizard.this_pc, data_dir)
    assert words[:3] == ["app", "--windows", "admin"]
    assert build_parser().parse_args(words).windows == "admin"
    office = EmbeddedHub(data_dir, ["admin"], lan=False, host=None, port=None)
    try:
        client = office.client("admin")
        health = client.health()
        assert (health.office, health.name, health.municipality) == (
            "CAJ", "CAC Cajamarca", "Municipalidad Provincial de Cajamarca")
        session = client.login("maria.perez", PIN)
        assert session.user.role == "admin"
        assert not session.user.must_change  # the admin chose the PIN: nothing to change
    finally:
        office.stop_calls()
        office.close()


def test_a_pc_joins_with_the_admins_code_and_tests_printer_and_link(
        qtbot: QtBot, tmp_path: Path, hub: OfficeHub, server: RunningHub) -> None:
    wizard = wizard_on(qtbot, tmp_path)
    page(wizard, CHOICE).to_join.setChecked(True)
    wizard.next()
    assert wizard.currentId() == JOIN
    join = page(wizard, JOIN)
    fill(join, hub=server.url + "/", code=_code(hub).lower())
    join.role.setCurrentIndex(join.role.findData("counter"))
    join.counter.setText("3")
    commit(wizard)  # «Unirse»
    assert wizard.currentId() == PRINTER, join.error_text
    commit(wizard)  # «Guardar» the printer found
    check = page(wizard, CHECK)
    assert check.link.text() == "✔ Conectado con el hub de «CAC Cajamarca» (CAJ), versión " \
        + hub.health().version + "."
    check.print_button.click()
    assert check.printed.text().startswith("✔"), check.printed.text()
    assert len(list((tmp_path / "papel").glob("*.bin"))) == 1
    wizard.next()
    wizard.button(wizard.WizardButton.FinishButton).click()
    data_dir = DataDir(tmp_path / "pc")
    entry = tmp_path / "sistema" / Path.home().relative_to("/") / ".config" / "autostart" / \
        "cac-counter.desktop"
    assert f"counter --data-dir {data_dir.root.resolve()} --hub {server.url} --counter 3" \
        in entry.read_text()
    assert load_paired(data_dir)["counter"]["hub"] == server.url
    this_pc = load_this_pc(data_dir)
    assert this_pc is not None and (this_pc.role, this_pc.counter) == ("counter", 3)
    assert window_argv(this_pc, data_dir)[:2] == ["counter", "--data-dir"]
    device = next(d for d in hub.admin_devices(SYSTEM) if d.name == "Ventanilla 3")
    assert (device.role, device.counter, device.revoked_at) == ("counter", 3, None)


def test_wrong_office_and_admin_inputs_are_said_and_kept(qtbot: QtBot, tmp_path: Path
                                                         ) -> None:
    wizard = wizard_on(qtbot, tmp_path)
    wizard.next()
    office = page(wizard, OFFICE)
    fill(office, code="CA1", name="CAC Cajamarca", municipality="Municipalidad")
    wizard.next()
    assert wizard.currentId() == OFFICE
    assert "de 2 a 6 letras" in office.error_text
    assert office.name.text() == "CAC Cajamarca" and office.code.text() == "CA1"
    fill(office, code="CAJ", name="   ")
    wizard.next()
    assert wizard.currentId() == OFFICE and office.error_text
    fill(office, name="CAC Cajamarca")
    wizard.next()
    admin = page(wizard, ADMIN)
    for secret, repeat, said in (("1234", "1234", "de 6 a 12 dígitos"),
                                 ("111111", "111111", "demasiado fácil"),
                                 ("clave", "clave", "al menos 8 caracteres"),
                                 (PIN, PIN[:-1], "no coincide")):
        fill(admin, username="maria.perez", full_name="María Pérez", secret=secret,
             repeat=repeat)
        wizard.next()
        assert wizard.currentId() == ADMIN
        assert said in admin.error_text, admin.error_text
        assert admin.username.text() == "maria.perez" and admin.secret.text() == secret
    fill(admin, username="maría pérez", secret=PIN, repeat=PIN)
    wizard.next()
    assert wizard.currentId() == ADMIN and "minúsculas" in admin.error_text
    fill(admin, username="maria.perez")
    wizard.next()
    assert wizard.currentId() == PRINTER and admin.error_text == ""
    printer = page(wizard, PRINTER)
    printer.choice.setCurrentIndex(printer.choice.findText(
        "Impresora de red (escriba su dirección IP:puerto)"))
    printer.target.setText("192.168.1.50:99999")
    commit(wizard)
    assert wizard.currentId() == PRINTER and "IP:puerto" in printer.error_text
    assert not DataDir(tmp_path / "pc").exists()  # nothing was made of a refused step


def test_a_failed_creation_leaves_nothing_half_made(qtbot: QtBot, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    wizard = wizard_on(qtbot, tmp_path)
    data_dir = DataDir(tmp_path / "pc")
    data_dir.create()  # what was there before (its logs) stays
    wizard.next()
    fill(page(wizard, OFFICE), code="CAJ", name="CAC Cajamarca", municipality="Municipalidad")
    wizard.next()
    fill(page(wizard, ADMIN), username="maria.perez", full_name="María Pérez", secret=PIN,
         repeat=PIN)
    wizard.next()
    broken = OfficeHub.add_device

    def full_disk(*args: object, **kwargs: object) -> object:
        raise OSError(28, "No queda espacio en el disco")

    monkeypatch.setattr(OfficeHub, "add_device", full_disk)
    commit(wizard)
    assert wizard.currentId() == PRINTER
    assert "(No queda espacio en el disco). No quedó nada a medias" in \
        page(wizard, PRINTER).error_text
    assert sorted(p.name for p in data_dir.root.iterdir()) == ["backups", "logs"]
    monkeypatch.setattr(OfficeHub, "add_device", broken)
    commit(wizard)  # tried again: the same inputs, now it works
    assert wizard.currentId() == CHECK, page(wizard, PRINTER).error_text
    assert data_dir.database.exists()


def test_joining_refusals_keep_the_form_and_a_code_works_once(
        qtbot: QtBot, tmp_path: Path, hub: OfficeHub, server: RunningHub) -> None:
    wizard = wizard_on(qtbot, tmp_path)
    page(wizard, CHOICE).to_join.setChecked(True)
    wizard.next()
    join = page(wizard, JOIN)
    fill(join, hub="192.168.1.10", code="ABCD-EFGH-JKLM")
    commit(wizard)
    assert wizard.currentId() == JOIN and "no es válida" in join.error_text
    fill(join, hub=server.url, code="ABCD-EFGH-JK")
    commit(wizard)
    assert "12 letras" in join.error_text
    fill(join, code="ABCD-EFGH-JKLM")
    commit(wizard)
    assert wizard.currentId() == JOIN and join.error_text  # the hub knows no such code
    assert join.hub.text() == server.url and join.code.text() == "ABCD-EFGH-JKLM"
    # A code the admin made for a kiosk, typed for a counter PC: said, its credential kept.
    fill(join, code=_code(hub, "kiosk", None))
    join.role.setCurrentIndex(join.role.findData("rating"))
    commit(wizard)
    assert "ventanilla" in join.error_text  # the rating screen needs its counter
    join.counter.setText("4")
    commit(wizard)
    assert "era para un equipo de quiosco" in join.error_text, join.error_text
    join.role.setCurrentIndex(join.role.findData("kiosk"))
    commit(wizard)  # the same (spent) code: the credential kept is used
    assert wizard.currentId() == PRINTER, join.error_text
    assert load_paired(DataDir(tmp_path / "pc"))["kiosk"]["hub"] == server.url


def test_the_link_test_says_plainly_when_the_hub_is_away(
        qtbot: QtBot, tmp_path: Path, hub: OfficeHub, away_hub: RunningHub) -> None:
    wizard = wizard_on(qtbot, tmp_path)
    page(wizard, CHOICE).to_join.setChecked(True)
    wizard.next()
    join = page(wizard, JOIN)
    fill(join, hub=away_hub.url, code=_code(hub, "display", None))
    join.role.setCurrentIndex(join.role.findData("display"))
    commit(wizard)
    assert wizard.currentId() == CHECK  # a TV prints nothing: no printer page
    check = page(wizard, CHECK)
    assert check.link.text().startswith("✔") and check.isComplete()
    assert not check.print_button.isVisible()
    stop_server(away_hub)
    check.link_button.click()
    assert check.link.text() == (f"✖ No se puede conectar con el hub en {away_hub.url}. "
                                 "Revise que esa PC esté encendida con el programa abierto, y "
                                 "la red; luego pulse «Probar la conexión».")
    assert not check.isComplete()
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()


def test_the_start_files_that_fail_to_enable_are_said_and_can_be_skipped(
        qtbot: QtBot, tmp_path: Path, hub: OfficeHub, server: RunningHub) -> None:
    from kiosk.errors import InvalidInput

    wizard = wizard_on(qtbot, tmp_path)
    ran: list[list[str]] = []

    def no_manager(command: object) -> None:
        ran.append(list(command))  # type: ignore[call-overload]
        raise InvalidInput("no_service_manager", "No se encontró «systemctl» en este equipo.")

    wizard.context.runner, wizard.context.enable = no_manager, True
    wizard.next()
    fill(page(wizard, OFFICE), code="CAJ", name="CAC Cajamarca", municipality="Municipalidad")
    wizard.next()
    fill(page(wizard, ADMIN), username="maria.perez", full_name="María Pérez", secret=PIN,
         repeat=PIN)
    wizard.next()
    commit(wizard)
    wizard.next()
    start = page(wizard, START)
    wizard.button(wizard.WizardButton.FinishButton).click()
    assert "systemctl" in start.error_text and ran and ran[0][0] == "systemctl"
    assert wizard.isVisible()
    start.at_start.setChecked(False)
    wizard.button(wizard.WizardButton.FinishButton).click()
    assert not wizard.isVisible() and wizard.this_pc is not None


def test_the_hub_pc_whose_port_is_taken_is_told_before_it_finishes(
        qtbot: QtBot, tmp_path: Path) -> None:
    import socket

    wizard = wizard_on(qtbot, tmp_path)
    taken = socket.socket()
    taken.bind(("0.0.0.0", wizard.context.hub_port or 0))
    taken.listen()
    try:
        wizard.next()
        fill(page(wizard, OFFICE), code="CAJ", name="CAC Cajamarca",
             municipality="Municipalidad")
        wizard.next()
        fill(page(wizard, ADMIN), username="maria.perez", full_name="María Pérez",
             secret=PIN, repeat=PIN)
        wizard.next()
        commit(wizard)
        check = page(wizard, CHECK)
        assert check.link.text().startswith(
            f"✖ El puerto {wizard.context.hub_port} de esta PC está ocupado por otro programa")
        assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    finally:
        taken.close()
    check.link_button.click()
    assert check.link.text().startswith("✔") and check.isComplete()


def test_a_printer_setting_that_cannot_be_saved_is_said_and_kept(
        qtbot: QtBot, tmp_path: Path, hub: OfficeHub, server: RunningHub) -> None:
    wizard = wizard_on(qtbot, tmp_path)
    page(wizard, CHOICE).to_join.setChecked(True)
    wizard.next()
    join = page(wizard, JOIN)
    fill(join, hub=server.url, code=_code(hub, "kiosk", None))
    join.role.setCurrentIndex(join.role.findData("kiosk"))
    commit(wizard)
    printer = page(wizard, PRINTER)
    config = DataDir(tmp_path / "pc").config_file
    config.mkdir(parents=True)  # a folder where the config file goes: it cannot be written
    commit(wizard)
    assert wizard.currentId() == PRINTER
    assert printer.error_text.startswith("No se pudo guardar en esta PC")
    assert printer.choice.currentText() == "Impresora de prueba (archivos)"
    config.rmdir()
    commit(wizard)
    assert wizard.currentId() == CHECK, printer.error_text


def test_a_printer_that_does_not_answer_is_said_and_the_wizard_can_finish(
        qtbot: QtBot, tmp_path: Path, hub: OfficeHub, server: RunningHub) -> None:
    from tests.ui.setup_wizard_support import free_port

    wizard = wizard_on(qtbot, tmp_path)
    page(wizard, CHOICE).to_join.setChecked(True)
    wizard.next()
    join = page(wizard, JOIN)
    fill(join, hub=server.url, code=_code(hub, "kiosk", None))
    join.role.setCurrentIndex(join.role.findData("kiosk"))
    commit(wizard)
    printer = page(wizard, PRINTER)
    printer.choice.setCurrentIndex(printer.choice.findText(
        "Impresora de red (escriba su dirección IP:puerto)"))
    assert not printer.target.isReadOnly()
    nobody = free_port()  # nothing listens there
    printer.target.setText(f"127.0.0.1:{nobody}")
    commit(wizard)
    check = page(wizard, CHECK)
    check.print_button.click()
    assert check.printed.text() == (
        "✖ La impresora no responde (sin conexión). Revise que esté encendida y conectada a "
        f"la red (127.0.0.1:{nobody}).")
    assert check.printed.property("ok") is False
    assert check.isComplete()  # the printer may be fixed later (the admin's printer tab)
    assert DataDir(tmp_path / "pc").load_config().printer_target == f"127.0.0.1:{nobody}"
