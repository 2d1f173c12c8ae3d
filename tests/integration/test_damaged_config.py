"""A damaged config.toml: the hub keeps the queue going on the last good config, and says so."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import ConfigError
from kiosk.hub import SYSTEM, OfficeHub


def _restart(hub: OfficeHub, data_dir: DataDir, clock: VirtualClock) -> OfficeHub:
    hub.close()
    return OfficeHub(data_dir, clock)


@pytest.mark.parametrize("damage", ["office_code = [\n", 'office_code = "CAJ"\nhub_port = 0\n'])
def test_the_hub_serves_with_the_last_good_config(hub: OfficeHub, data_dir: DataDir,
                                                  clock: VirtualClock, damage: str) -> None:
    good = hub.config
    data_dir.config_file.write_text(damage, encoding="utf-8")
    hub = _restart(hub, data_dir, clock)
    try:
        assert hub.config == good
        assert hub.config_warning is not None
        assert "última configuración válida" in hub.config_warning
        # Tickets are still issued, and the managers see the reason as a critical alert.
        issued = hub.issue_ticket(SYSTEM, hub.services(SYSTEM)[0].code)
        assert hub.ticket(SYSTEM, issued.id).number == issued.number
        assert [a.code for a in hub.alerts(SYSTEM)] == ["config_fallback"]
        live = hub.supervisor_live(SYSTEM).alerts
        assert [(a.kind, a.severity) for a in live if a.kind == "config"] == [
            ("config", "critical")]
        # The damaged file is left for a person to fix, never overwritten by the fallback.
        assert data_dir.config_file.read_text(encoding="utf-8") == damage
    finally:
        hub.close()


def test_a_fixed_config_becomes_the_new_good_copy(hub: OfficeHub, data_dir: DataDir,
                                                  clock: VirtualClock) -> None:
    changed = dataclasses.replace(hub.config, office_name="CAC Baños")
    data_dir.save_config(changed)
    hub = _restart(hub, data_dir, clock)
    try:
        assert hub.config_warning is None and hub.alerts(SYSTEM) == []
        assert data_dir.last_good_config_file.read_bytes() == data_dir.config_file.read_bytes()
    finally:
        hub.close()
    data_dir.config_file.write_text("office_code = [\n", encoding="utf-8")
    hub = OfficeHub(data_dir, clock)
    try:
        assert hub.config.office_name == "CAC Baños"
    finally:
        hub.close()


def test_with_no_good_copy_the_damage_is_refused_in_spanish(hub: OfficeHub, data_dir: DataDir,
                                                           clock: VirtualClock) -> None:
    hub.close()
    data_dir.last_good_config_file.unlink()
    data_dir.config_file.write_text("office_code = [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="está dañado"):
        OfficeHub(data_dir, clock)
