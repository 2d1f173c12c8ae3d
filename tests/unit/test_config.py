"""The office configuration: typed, versioned, and clear when broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import CONFIG_VERSION, DataDir, OfficeConfig
from kiosk.errors import ConfigError


def test_round_trip(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path)
    config = OfficeConfig(office_code="CAJ", office_name="CAC Cajamarca", hub_port=9000)
    data_dir.save_config(config)
    assert data_dir.load_config() == config
    assert f"config_version = {CONFIG_VERSION}" in data_dir.config_file.read_text()


def test_an_old_file_is_migrated(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path)
    data_dir.config_file.write_text(
        'office_code = "caj"\noffice_name = "CAC"\nmissed_minutes = 25\n', encoding="utf-8")
    config = data_dir.load_config()
    assert (config.office_code, config.missed_reinstate_minutes) == ("CAJ", 25)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("office_code = ", "está dañado"),
        ('office_code = "CAJ"\n', "no indica el código y el nombre"),
        ('office_code = "CAJ"\noffice_name = "x"\nhub_port = "ocho"\n', "hub_port"),
        ('office_code = "CAJ"\noffice_name = "x"\ntimezone = "Lima/Marte"\n', "zona horaria"),
        ('config_version = 99\noffice_code = "CAJ"\noffice_name = "x"\n', "más nueva"),
        ('office_code = "CAJ"\noffice_name = "x"\nlogin_failures_per_device = 1\n',
         "login_failures_per_device"),
        ('office_code = "CAJ"\noffice_name = "x"\nlogin_failures_office = 8\n',
         "un solo equipo"),
    ],
)
def test_broken_files_get_a_spanish_message(tmp_path: Path, text: str, fragment: str) -> None:
    data_dir = DataDir(tmp_path)
    data_dir.config_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        data_dir.load_config()
    assert fragment in caught.value.message


@pytest.mark.parametrize(("stored", "loaded"), [
    ("https://tramites.municipalidad.gob.pe", ""),  # the old default: a site that never was
    ("https://tramites.municipalidad.gob.pe/", ""),
    ("https://tramites.cajamarca.gob.pe/", "https://tramites.cajamarca.gob.pe"),
    ("http://10.0.0.9:8480/t", "http://10.0.0.9:8480"),  # the lookup page's root
])
def test_a_version_6_public_address_is_migrated(tmp_path: Path, stored: str,
                                                 loaded: str) -> None:
    data_dir = DataDir(tmp_path)
    data_dir.config_file.write_text(
        f'config_version = 6\noffice_code = "CAJ"\noffice_name = "CAC"\n'
        f'public_url = "{stored}"\n', encoding="utf-8")
    config = data_dir.load_config()
    assert config.public_url == loaded == config.public_address
    assert config.tracking_url("7K3QD9XM2AVB8") == (f"{loaded}/t/7K3QD9XM2AVB8" if loaded
                                                     else "")


@pytest.mark.parametrize("wrong", ["tramites.cajamarca.gob.pe", "ftp://x.pe", "https://",
                                   "https://x.pe/?q=1", "https://a b.pe", "https://x.pe:99999",
                                   "https://" + "x" * 200 + ".pe"])
def test_a_wrong_public_address_is_refused_in_spanish(tmp_path: Path, wrong: str) -> None:
    data_dir = DataDir(tmp_path)
    data_dir.config_file.write_text(
        f'office_code = "CAJ"\noffice_name = "CAC"\npublic_url = "{wrong}"\n',
        encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        data_dir.load_config()
    assert "«public_url»" in caught.value.message
    assert "página de consulta de la central" in caught.value.message
