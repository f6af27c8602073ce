"""The documents kept with the registers: the scan of a signed agreement (PDF), the minutes of a LOK meeting and the
attachments of a compliance file (PDF, DOCX or ODT). A file is judged by its structure, never by its name, the type
the browser claims or its first bytes alone: a PDF must open as a PDF (pypdf, strict), a DOCX or ODT must be a sound
zip with the parts of its kind, whose unpacked size and compression its zip directory shows within bounds before
anything is unpacked (a 2 MB 'zip bomb' that unpacks to 2 GB is refused in milliseconds)."""

import io
import zipfile
import zlib
from pathlib import PurePath

from llko import dutch
from llko.files import archive
from llko.refusals import Refused

MAX_BYTES = 10 * 1024 * 1024  # 10 MB
MAX_UNPACKED_MB = 50  # a DOCX or ODT unpacked, all its parts together (a long report with photos: a few MB)
MAX_RATIO = 100  # unpacked / packed size of one part of a DOCX or ODT (above 1 MB unpacked)
MAX_PARTS = 10_000  # files in a DOCX or ODT (a long report has a few hundred)
PDF, DOCX, ODT = "pdf", "docx", "odt"
MIME_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ODT: "application/vnd.oasis.opendocument.text",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_LABELS = {PDF: "Dit PDF-bestand", DOCX: "Dit Word-bestand (DOCX)", ODT: "Dit OpenDocument-tekstbestand (ODT)"}
_CENTRAL_HEADER = b"PK\x01\x02"  # one per file in a zip's directory
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError, ValueError)


class FileRefused(Refused):
    """The file is not one the register keeps; the message says why (Dutch)."""


class _Unsound(Exception):
    """A file that claims a kind (its first bytes, its parts) but is not a sound one; the Dutch reason."""


def kind_of(data: bytes) -> str | None:
    """pdf, docx or odt as the structure shows it; None for anything else, also a damaged file or a zip bomb."""
    try:
        return _judged(data)
    except _Unsound:
        return None


def _judged(data: bytes) -> str | None:
    """pdf, docx or odt; None for a file that claims none of them; raises _Unsound for one that claims a kind but
    is not a sound one."""
    if data.startswith(b"%PDF-"):
        if not _opens_as_pdf(data):
            raise _Unsound(f"{_LABELS[PDF]} kan niet gelezen worden: het begint als een PDF, maar is beschadigd, "
                           "onvolledig of iets anders.")
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def _opens_as_pdf(data: bytes) -> bool:
    """The data opens as a PDF with at least one page, read strictly (pypdf's strict mode: no repairs)."""
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(data), strict=True).pages) > 0
    except Exception:  # pypdf's own errors, and the ValueError, KeyError ... of a file that only starts as a PDF
        return False


def _zip_kind(data: bytes) -> str | None:
    """docx or odt for a sound zip with the parts of that kind; None for another zip."""
    if data.count(_CENTRAL_HEADER) > MAX_PARTS:  # before the directory is read into memory
        raise _Unsound(f"Dit bestand bevat meer dan {dutch.whole(MAX_PARTS)} delen; een document heeft er veel "
                       "minder.")
    kind = None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            kind = _claimed(archive)
            if kind is not None:
                _check_sizes(archive.infolist(), _LABELS[kind])
                if archive.testzip() is not None:  # unpacks within the sizes just checked, and checks each part
                    raise zipfile.BadZipFile("a damaged part")
    except _ZIP_ERRORS:
        if kind is None:
            return None
        raise _Unsound(f"{_LABELS[kind]} is beschadigd of versleuteld en kan niet gelezen worden.") from None
    return kind


def _claimed(archive: zipfile.ZipFile) -> str | None:
    """docx or odt as the names of its parts (and an ODT's mimetype) say; None for another zip."""
    names = set(archive.namelist())
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    if "mimetype" in names and "content.xml" in names:
        with archive.open("mimetype") as entry:
            if entry.read(len(ODT_MIMETYPE) + 1).strip() == ODT_MIMETYPE:
                return ODT
    return None


def _check_sizes(listed: list[zipfile.ZipInfo], label: str) -> None:
    """Raise _Unsound for a zip that unpacks to more than MAX_UNPACKED_MB, or with a part packed more than MAX_RATIO
    to 1 (llko.files.archive)."""
    found = archive.oversize(listed, MAX_UNPACKED_MB, MAX_RATIO)
    if found == archive.UNPACKED:
        raise _Unsound(f"{label} is uitgepakt groter dan {MAX_UNPACKED_MB} MB; een document is dat nooit.")
    if found == archive.RATIO:
        raise _Unsound(f"{label} is ongewoon sterk gecomprimeerd: uitgepakt is een deel meer dan {MAX_RATIO} keer zo "
                       "groot. Een gewoon document is dat nooit.")


def _size(data: bytes) -> None:
    if not data:
        raise FileRefused("Het bestand is leeg.")
    if len(data) > MAX_BYTES:
        megabytes = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        raise FileRefused(f"Het bestand is {megabytes} MB; hoogstens 10 MB.")


def _judged_or_refused(data: bytes, advice: str) -> str | None:
    """The kind of a file (None when it claims none), refused with the reason and `advice` when it is not sound."""
    try:
        return _judged(data)
    except _Unsound as unsound:
        raise FileRefused(f"{unsound} {advice}") from None


def check_scan(data: bytes) -> str:
    """The scan of a signed agreement: a PDF of at most 10 MB that opens as one. Returns 'pdf'."""
    _size(data)
    if not data.startswith(b"%PDF-"):
        raise FileRefused("Dit bestand is geen PDF (de inhoud is geen PDF-document, wat de naam ook zegt); "
                          "scan de ondertekende overeenkomst als PDF.")
    return _judged_or_refused(data, "Scan de ondertekende overeenkomst opnieuw als PDF.")


def check_minutes(data: bytes) -> str:
    """The minutes of a LOK meeting: PDF, DOCX or ODT, at most 10 MB. Returns the kind."""
    return check_document(data, "het verslag")


def check_document(data: bytes, what: str = "het document") -> str:
    """A document kept with a register (minutes, an attachment): PDF, DOCX or ODT of at most 10 MB, sound as its
    kind. Returns the kind."""
    _size(data)
    kind = _judged_or_refused(data, f"Bewaar {what} opnieuw als PDF, DOCX of ODT.")
    if kind is None:
        raise FileRefused("Dit bestand is geen PDF-, Word- (DOCX) of OpenDocument-tekst (ODT); de inhoud telt, niet "
                          f"de naam. Bewaar {what} in een van die vormen.")
    return kind


def file_name(name: str | None, kind: str) -> str:
    """The name a file is kept and downloaded under: no folders, at most 255 characters, the extension of what it
    is (a PDF called verslag.doc is kept as verslag.pdf)."""
    stem = PurePath((name or "").replace("\\", "/")).name.strip()
    stem = stem[: -len(PurePath(stem).suffix)] if PurePath(stem).suffix else stem
    stem = "".join(c for c in stem if c.isprintable()).strip(" .") or "document"
    return f"{stem[:250 - len(kind)]}.{kind}"
