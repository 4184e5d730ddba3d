"""The UI's own words (buttons, statuses, the sim panel) come from the same catalogs as the engine's."""

from __future__ import annotations

from typing import Any

from kiosk.core import i18n

DEFAULT_LANG = "zh_CN"


def ui_text(lang: str, key: str, **params: Any) -> str:
    """Catalog text for a ``ui.``/``button.`` key in ``lang`` (Chinese when ``lang`` is unknown)."""
    return i18n.text(lang if lang in i18n.LANGUAGES else DEFAULT_LANG, key, **params)
