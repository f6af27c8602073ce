"""The sizes a zip (XLSX, ODS, DOCX, ODT) claims in its directory, judged before anything is unpacked: a 'zip bomb'
of a few KB that unpacks to gigabytes is refused in milliseconds (zipfile never unpacks more than those sizes)."""

import io
import zipfile

UNPACKED, RATIO = "unpacked", "ratio"  # what `oversize` found
_BIG_PART = 1024 * 1024  # a part below 1 MB unpacked may pack as tightly as it likes


def parts(data: bytes) -> list[zipfile.ZipInfo] | None:
    """The parts listed in a zip's directory; None for data that is no zip."""
    try:
        return zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError):
        return None


def oversize(listed: list[zipfile.ZipInfo], max_unpacked_mb: int, max_ratio: int) -> str | None:
    """UNPACKED when the parts together unpack to more than max_unpacked_mb, RATIO when a part above 1 MB unpacked
    is packed more than max_ratio to 1; None within bounds."""
    if sum(part.file_size for part in listed) > max_unpacked_mb * 1024 * 1024:
        return UNPACKED
    if any(part.file_size > _BIG_PART and part.file_size > max_ratio * part.compress_size for part in listed):
        return RATIO
    return None
