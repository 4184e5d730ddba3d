"""What the host client and simulator may write to a log about a request: masked, no secrets."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kiosk.core.masking import scrub

# Beyond kiosk.core.masking.SECRET_KEYS: fields of the host API that are secrets too.
# A mistyped password lands in staff_number; a customer's own words (feedback_text) are filed, never logged.
_WITHHELD = frozenset({"code", "key", "staff_token", "staff_number", "feedback_text"})


def safe_payload(payload: Mapping[str, Any]) -> str:
    """One line of JSON: PIN blocks, passwords, staff tokens and SMS codes withheld, ID and card numbers and names masked."""
    scrubbed = scrub(dict(payload))
    for key in _WITHHELD & scrubbed.keys():
        scrubbed[key] = "[withheld]"
    return json.dumps(scrubbed, ensure_ascii=False, sort_keys=True)
