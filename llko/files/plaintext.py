"""Text files as the loket receives them (CSV exports, a register sheet saved as CSV): one decoding and one CSV
dialect for both importers."""

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class NotText(ValueError):
    """The data is no text file (binary data, or bytes neither UTF-8 nor Windows-1252)."""


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel writes it in Belgium; binary data raises NotText."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise NotText from exc
    if "\x00" in text or len(_CONTROL.findall(text)) > len(text) // 100:
        raise NotText
    return text


def separator(header: str) -> str:
    """The CSV's field separator, judged by its header line: ';' when it holds more semicolons than commas (as Excel
    writes CSV in Belgium), else ','."""
    return ";" if header.count(";") > header.count(",") else ","
