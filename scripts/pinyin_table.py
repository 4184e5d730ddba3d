"""Write assets/pinyin/initials.json: the pinyin initials of every Chinese service title the home screen
can show (the catalog's flow titles and the preview's sample catalogue), for the initials search.

    pip install pypinyin   # only to run this script; the kiosk reads the table
    .venv/bin/python scripts/pinyin_table.py [--check]

pypinyin reads each title as words (银行 -> yin hang), so polyphonic characters come out right."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.core import i18n  # noqa: E402
from kiosk.core.pinyin import TABLE  # noqa: E402
from kiosk.ui.samples import SAMPLE_SERVICES  # noqa: E402


def titles() -> list[str]:
    catalog = i18n.catalog("zh_CN")
    found = {text for key, text in catalog.items() if key.startswith("flow.") and key.endswith(".title")
             and key.count(".") == 2}
    return sorted(found | {s.zh for s in SAMPLE_SERVICES})


# Words pypinyin reads wrongly in these titles, with their reading here.
PHRASES = {"重置": [["chóng"], ["zhì"]]}


def build() -> dict[str, str]:
    from pypinyin import Style, lazy_pinyin, load_phrases_dict

    load_phrases_dict(PHRASES)

    return {title: "".join(p[0] for p in lazy_pinyin(title, style=Style.FIRST_LETTER) if p).upper()
            for title in titles()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when the table is not current")
    args = parser.parse_args()
    table = build()
    text = json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if args.check:
        current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
        return 0 if current == text else 1
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text(text, encoding="utf-8")
    sys.stderr.write(f"{len(table)} titles -> {TABLE.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
