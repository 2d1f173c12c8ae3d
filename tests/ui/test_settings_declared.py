"""Each office setting is declared once (kiosk/settings.py) and everything else follows: the
config, the admin's change and view models, the Spanish checks, the admin window's field
(issue 16). A made-up setting added as one declaration shows up everywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QLabel
from pytestqt.qtbot import QtBot

from kiosk.config import DataDir
from kiosk.hub import OfficeHub
from kiosk.services.admin_views import OfficeSettings, OfficeSettingsChange
from kiosk.settings import (
    CODEPAGES,
    EDITABLE,
    RESTART_NEEDED,
    SECRET_SETTINGS,
    SETTINGS,
    OfficeConfig,
    secret_view_name,
)
from printing.encoding import CODEPAGES as PRINTABLE_CODEPAGES
from tests.ui.admin_support import admin_session, open_tab
from ui.admin import texts
from ui.admin.settings_tabs import SettingsTab
from ui.admin.window import AdminWindow

ROOT = Path(__file__).resolve().parents[2]


def test_every_field_of_the_config_is_a_declared_setting(tmp_path: Path) -> None:
    assert list(SETTINGS) == [f.name for f in fields(OfficeConfig)]
    assert all(declared.facts.label for declared in SETTINGS.values())
    assert SECRET_SETTINGS == ("central_credential", "notice_smtp_password", "notice_sms_key")
    assert tuple(PRINTABLE_CODEPAGES) == CODEPAGES  # the core can't import printing
    # Every default is a valid config.toml value, and comes back as written.
    config = OfficeConfig(office_code="CAJ", office_name="CAC Cajamarca")
    DataDir(tmp_path).save_config(config)
    assert DataDir(tmp_path).load_config() == config


def test_every_admin_setting_is_in_the_models_and_the_tab(qtbot: QtBot, hub: OfficeHub,
                                                          admin_in: AdminWindow) -> None:
    tabs: list[SettingsTab] = []
    for name in ("printer", "office", "calendar", "notices", "signing"):
        tab = open_tab(qtbot, admin_in, name)
        assert isinstance(tab, SettingsTab)
        tabs.append(tab)
    shown = admin_session(hub).office_settings()
    for name in EDITABLE:
        facts = SETTINGS[name].facts
        assert facts.label and facts.form_label and facts.group, name
        assert name in OfficeSettingsChange.model_fields
        if facts.secret:  # only whether one is stored is ever read back
            assert secret_view_name(name) in OfficeSettings.model_fields
            assert name not in OfficeSettings.model_fields
        else:
            assert name in OfficeSettings.model_fields
        assert (name in RESTART_NEEDED) == facts.restart
        assert texts.SETTING_NAMES[name] == facts.label  # «se aplica al reiniciar: …»
        [tab] = [tab for tab in tabs if name in tab.FIELDS]
        widget = tab.fields.widgets[name]
        assert widget.isVisibleTo(tab), name
        if isinstance(widget, QCheckBox):  # a yes/no says itself what it is
            assert widget.text() == facts.form_label
        else:
            [caption] = [label for label in tab.findChildren(QLabel)
                         if label.buddy() is widget]
            assert caption.text() == facts.form_label
        if not facts.secret:  # the hub's value in the field
            assert tab.values()[name] == getattr(shown, name), name
    assert not any(tab.changes() for tab in tabs)  # nothing to save after a load


# A number in a group the window has, and a yes/no in a new group (declared there too).
MADE_UP = '''
    made_up_minutes: int = setting(7, Facts(
        "los minutos inventados", _ADMIN, restart=True, low=1, high=30, unit=" minutos",
        group=Group.SAFETY, form_label="Minutos &inventados", suffix=" min"))
    made_up_limit: bool = setting(False, Facts(
        "el límite inventado", _ADMIN, group=Group.MADE_UP, form_label="&Limitar lo inventado",
        hint="Una línea que explica el límite."))
'''
MADE_UP_GROUP = '''    MADE_UP = "Grupo inventado"
'''

# Runs with kiosk/settings.py plus MADE_UP, and nothing else changed.
CHECKS = '''
import sys, tempfile, types
from dataclasses import fields
from pathlib import Path
import kiosk

path = Path(kiosk.__file__).parent / "settings.py"
source = path.read_text(encoding="utf-8")
anchor = "    central_public_url: str = setting("
assert source.count(anchor) == 1
module = types.ModuleType("kiosk.settings")
module.__file__ = str(path)
sys.modules["kiosk.settings"] = module
groups = '    SAFETY = "Datos personales y seguridad"\\n'
assert source.count(groups) == 1
source = source.replace(anchor, sys.argv[1] + anchor).replace(groups, groups + sys.argv[2])
exec(compile(source, str(path), "exec"), module.__dict__)

from datetime import datetime, timezone
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QSpinBox
from kiosk.clock import VirtualClock
from kiosk.config import DataDir, OfficeConfig
from kiosk.errors import ConfigError, InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import OfficeSettings, OfficeSettingsChange
from ui.admin import texts
from ui.admin.settings_tabs import OfficeTab
from ui.qt_app import application

assert "made_up_minutes" in OfficeSettingsChange.model_fields
assert OfficeSettings.model_fields["made_up_minutes"].default == 7
with tempfile.TemporaryDirectory() as tmp:
    clock = VirtualClock(datetime(2026, 11, 2, 13, 0, tzinfo=timezone.utc))
    hub = OfficeHub.initialise(DataDir(Path(tmp) / "o"), "CAJ", "CAC", clock=clock)
    assert hub.config.made_up_minutes == 7
    view = hub.change_office_settings(SYSTEM, OfficeSettingsChange(made_up_minutes=9))
    assert (view.made_up_minutes, hub.config.made_up_minutes) == (9, 9)
    assert view.restart_needed == ["made_up_minutes"]
    assert not view.made_up_limit
    view = hub.change_office_settings(SYSTEM, OfficeSettingsChange(made_up_limit=True))
    assert view.made_up_limit and hub.config.made_up_limit and view.made_up_minutes == 9
    try:
        hub.change_office_settings(SYSTEM, OfficeSettingsChange(made_up_minutes=31))
        raise AssertionError("31 accepted")
    except InvalidInput as exc:
        assert exc.message == ("Indique los minutos inventados: un número entre 1 y 30 "
                               "minutos."), exc.message
    hub.close()
    office = DataDir(Path(tmp) / "o")
    text = office.config_file.read_text(encoding="utf-8")
    assert "made_up_minutes = 7" in text  # config.toml holds it, with its default
    office.config_file.write_text(text.replace("made_up_minutes = 7", "made_up_minutes = 99"),
                                  encoding="utf-8")
    try:
        office.load_config()
        raise AssertionError("99 accepted")
    except ConfigError as exc:
        assert "«made_up_minutes» debe ser un número entre 1 y 30" in exc.message, exc.message

    application()
    tab = OfficeTab(None, None)
    widget = tab.fields.widgets["made_up_minutes"]
    assert isinstance(widget, QSpinBox) and (widget.minimum(), widget.maximum()) == (1, 30)
    assert [l.text() for l in tab.findChildren(QLabel) if l.buddy() is widget] == [
        "Minutos &inventados"]
    limit = tab.fields.widgets["made_up_limit"]
    assert isinstance(limit, QCheckBox) and limit.text() == "&Limitar lo inventado"
    [box] = [b for b in tab.findChildren(QGroupBox) if b.title() == "Grupo inventado"]
    assert limit.parent() is box
    assert "Una línea que explica el límite." in [l.text() for l in box.findChildren(QLabel)]
    tab.fill(view)
    assert (tab.values()["made_up_minutes"], tab.values()["made_up_limit"]) == (9, True)
    assert "los minutos inventados" in texts.restart_text(["made_up_minutes"])
print("una declaración")
'''


def test_a_made_up_setting_is_one_declaration() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", CHECKS, MADE_UP, MADE_UP_GROUP], env=env,
                          cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "una declaración"
