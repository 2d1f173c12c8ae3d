"""The kiosk's languages: Spanish in the code, the others through Qt's translation system.

Sources are `assets/i18n/kiosk_<lang>.ts` (edit them with Qt Linguist or by hand); the
compiled `.qm` files beside them are what Qt loads. `tests/ui/test_kiosk_i18n.py` checks that
every text of the kiosk is translated and that the `.qm` files are up to date.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QTranslator

from ui.assets import I18N


@dataclass(frozen=True)
class Language:
    code: str
    label: str  # the language's own name, never translated


LANGUAGES = (
    Language("es", "Español"),
    Language("qu", "Runasimi"),
    Language("ay", "Aymar aru"),
    Language("en", "English"),
)
SOURCE_LANGUAGE = "es"


def qm_path(code: str) -> str:
    return str(I18N / f"kiosk_{code}.qm")


class LanguageSwitcher:
    """Installs one translator at a time; Qt then sends LanguageChange to every widget."""

    def __init__(self) -> None:
        self._translator: QTranslator | None = None
        self.current = SOURCE_LANGUAGE

    def switch(self, code: str) -> bool:
        if code == self.current:
            return True
        app = QCoreApplication.instance()
        if app is None:
            return False
        if self._translator is not None:
            QCoreApplication.removeTranslator(self._translator)
            self._translator = None
        if code != SOURCE_LANGUAGE:
            translator = QTranslator(app)
            if not translator.load(qm_path(code)):
                self.current = SOURCE_LANGUAGE
                return False
            QCoreApplication.installTranslator(translator)
            self._translator = translator
        self.current = code
        return True
