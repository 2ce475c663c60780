"""Compile the gettext catalogue (`.po` -> `.mo`), like GNU msgfmt, with the standard library only.

Run as `python -m ucj_cli.i18n.msgfmt` (`make catalogue`). The output is deterministic (entries
sorted by msgid), so the committed `.mo` can be checked against its `.po` in the tests.
"""

from __future__ import annotations

import ast
import re
import struct
import sys
from pathlib import Path

from ucj_cli.i18n import DOMAIN, LOCALEDIR


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr of a .po file (no contexts: ucj does not use them). A plural entry
    (`msgid_plural`, `msgstr[0]`...) is keyed `singular\\0plural` with its forms joined by `\\0`, as
    in a .mo file. Fuzzy and empty translations are left out, so gettext falls back to the English."""
    entries: dict[str, str] = {}
    current: dict[str, list[str]] = {}
    field = None
    fuzzy = False

    def flush() -> None:
        nonlocal fuzzy
        forms = sorted(key for key in current if key.startswith("msgstr["))
        if "msgid_plural" in current and forms:
            current["msgid"] = ["".join(current["msgid"]), "\0", *current["msgid_plural"]]
            current["msgstr"] = ["\0".join("".join(current[key]) for key in forms)]
        if "msgid" in current and "msgstr" in current:
            msgid, msgstr = "".join(current["msgid"]), "".join(current["msgstr"])
            if (msgstr or not msgid) and not fuzzy:
                entries[msgid] = msgstr
        current.clear()
        fuzzy = False

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        if not line or line.startswith("#"):
            continue
        if re.match(r"(msgid|msgid_plural|msgstr|msgstr\[[0-9]\]) ", line):
            field, _, rest = line.partition(" ")
            if field == "msgid" and any(key.startswith("msgstr") for key in current):
                flush()
            current[field] = [ast.literal_eval(rest)]
        elif line.startswith('"') and field:
            current[field].append(ast.literal_eval(line))
        else:
            raise ValueError(f"line {number}: cannot read {raw!r}")
    flush()
    return entries


def compile_mo(entries: dict[str, str]) -> bytes:
    keys = sorted(entries)
    ids = [key.encode("utf-8") for key in keys]
    strs = [entries[key].encode("utf-8") for key in keys]
    header_size = 7 * 4
    start_ids = header_size
    start_strs = start_ids + 8 * len(keys)
    data_start = start_strs + 8 * len(keys)
    offsets_ids, offsets_strs, blob = [], [], b""
    for item in ids:
        offsets_ids.append((len(item), data_start + len(blob)))
        blob += item + b"\0"
    for item in strs:
        offsets_strs.append((len(item), data_start + len(blob)))
        blob += item + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, len(keys), start_ids, start_strs, 0, 0)
    out += b"".join(struct.pack("<2I", *pair) for pair in offsets_ids)
    out += b"".join(struct.pack("<2I", *pair) for pair in offsets_strs)
    return out + blob


def catalogues() -> list[Path]:
    return sorted(Path(LOCALEDIR).glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def main() -> None:
    for po in catalogues():
        po.with_suffix(".mo").write_bytes(compile_mo(parse_po(po.read_text(encoding="utf-8"))))
        print(f"compiled {po.with_suffix('.mo')}", file=sys.stderr)


if __name__ == "__main__":
    main()
