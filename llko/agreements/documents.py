"""The files kept with the registers: the scan of a signed agreement (PDF) and the minutes of a LOK meeting (PDF,
DOCX or ODT). A file is judged by its content, never by its name or the type the browser claims."""

import io
import zipfile
from pathlib import PurePath

MAX_BYTES = 10 * 1024 * 1024  # 10 MB
PDF, DOCX, ODT = "pdf", "docx", "odt"
MIME_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ODT: "application/vnd.oasis.opendocument.text",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class FileRefused(ValueError):
    """The file is not one the register keeps; the message says why (Dutch)."""


def kind_of(data: bytes) -> str | None:
    """pdf, docx or odt as the content shows it; None for anything else."""
    if data.startswith(b"%PDF-"):
        return PDF
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if "mimetype" in names and "content.xml" in names:
                with archive.open("mimetype") as entry:
                    if entry.read(len(ODT_MIMETYPE) + 1).strip() == ODT_MIMETYPE:
                        return ODT
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):  # damaged or encrypted
        return None
    return None


def _size(data: bytes) -> None:
    if not data:
        raise FileRefused("Het bestand is leeg.")
    if len(data) > MAX_BYTES:
        megabytes = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        raise FileRefused(f"Het bestand is {megabytes} MB; hoogstens 10 MB.")


def check_scan(data: bytes) -> str:
    """The scan of a signed agreement: a PDF of at most 10 MB. Returns 'pdf'."""
    _size(data)
    if kind_of(data) != PDF:
        raise FileRefused("Dit bestand is geen PDF (de inhoud is geen PDF-document, wat de naam ook zegt); "
                          "scan de ondertekende overeenkomst als PDF.")
    return PDF


def check_minutes(data: bytes) -> str:
    """The minutes of a LOK meeting: PDF, DOCX or ODT, at most 10 MB. Returns the kind."""
    return check_document(data, "het verslag")


def check_document(data: bytes, what: str = "het document") -> str:
    """A document kept with a register (minutes, an attachment): PDF, DOCX or ODT, at most 10 MB. Returns the kind."""
    _size(data)
    kind = kind_of(data)
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
