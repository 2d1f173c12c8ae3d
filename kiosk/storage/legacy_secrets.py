"""Moving central's credential out of an office made before issue 14.

It sat in clear in `office_settings` (so in every backup and USB copy) and, after `cac sync
setup`, in config.toml (and config.last-good.toml). When a hub opens such an office it moves to
the private secrets.toml (a credential already there wins: it is the newer) and is erased from
the store, the backups in its folder and the config files.
"""

from __future__ import annotations

import logging

from kiosk.config import DataDir
from kiosk.storage.backup import BACKUP_SUFFIX
from kiosk.storage.scrub import scrub_backups, scrub_setting

log = logging.getLogger(__name__)

KEY = "central_credential"


def move_legacy_credential(data_dir: DataDir) -> bool:
    """True when an old credential was found (and moved, or dropped for a newer one)."""
    in_store = scrub_setting(data_dir.database, KEY)
    in_file = data_dir.take_legacy_credential()
    if in_store is None and in_file is None:
        return False
    # The store's value was in force: it overlaid config.toml.
    legacy = next((v for v in (in_store, in_file) if isinstance(v, str) and v.strip()), "")
    if legacy and not data_dir.central_credential():
        data_dir.save_central_credential(legacy)
    scrub_backups(data_dir.backups, KEY, BACKUP_SUFFIX)
    log.warning("la credencial de la central se trasladó a %s (ya no está en la base de datos, "
                "sus copias de seguridad ni config.toml)", data_dir.secrets_file)
    return True
