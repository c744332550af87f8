"""Fill a .po catalog from a JSON file of {msgid: msgstr} (plural entries: {msgid: [form0, ...]}).

Used by contributors to add translations in bulk; `tests/test_translations.py` checks that every zh_Hans
catalog is complete. Usage: python tools/po_fill.py path/to/django.po translations.json
"""

import json
import sys

import polib


def fill(po_path: str, mapping: dict) -> int:
    po = polib.pofile(po_path)
    filled = 0
    for entry in po:
        if entry.obsolete or entry.msgid not in mapping:
            continue
        value = mapping[entry.msgid]
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value]
            entry.msgstr_plural = {i: forms[min(i, len(forms) - 1)] for i in range(max(1, len(entry.msgstr_plural)))}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    po.save()
    return filled


if __name__ == "__main__":
    with open(sys.argv[2], encoding="utf-8") as fh:
        print(fill(sys.argv[1], json.load(fh)))
