"""Attachments are judged by their structure, not their first bytes (issue 22, item 5): the scan of an agreement,
the minutes of a LOK meeting and the attachments of a compliance file (llko/files/documents.py). A PDF must open
as a PDF (pypdf, strict: no repairs), a DOCX or ODT must be a sound zip with the parts of its kind, whose unpacked size
and compression its zip directory shows within bounds before anything is unpacked. Every file is built here."""

import io
import time
import zipfile
import zlib

import pytest
from pypdf import PdfWriter

from llko.files import documents

NOT_A_PDF = ("Dit bestand is geen PDF (de inhoud is geen PDF-document, wat de naam ook zegt); scan de ondertekende "
             "overeenkomst als PDF.")
UNREADABLE_PDF = ("Dit PDF-bestand kan niet gelezen worden: het begint als een PDF, maar is beschadigd, onvolledig of "
                  "iets anders.")
NONE_OF_THEM = ("Dit bestand is geen PDF-, Word- (DOCX) of OpenDocument-tekst (ODT); de inhoud telt, niet de naam. "
                "Bewaar het verslag in een van die vormen.")
AGAIN = "Bewaar het verslag opnieuw als PDF, DOCX of ODT."
CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                 b'"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                 b'document.main+xml"/></Types>')
DOCUMENT = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Verslag LOK</w:t></w:r></w:p></w:body></w:document>')
ODT_CONTENT = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               b'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               b'office:version="1.2"><office:body><office:text><text:p>Verslag LOK</text:p></office:text>'
               b'</office:body></office:document-content>')


def real_pdf() -> bytes:
    """A real PDF of one blank page, as pypdf writes it (also the fixture of the tests that upload a scan)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zipped(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": DOCUMENT})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": ODT_CONTENT})


def docx_bomb() -> bytes:
    """A DOCX of 2 MB whose word/document.xml unpacks to 2 GiB of zeros: one deflated block of 16 MiB of zeros
    repeated 128 times (each ends with a full flush, so every copy stands alone), with the right sizes and CRC in
    its headers: a sound zip, only a huge one."""
    zeros = bytes(16 * 2**20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    stream = block * 128 + zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # the last, empty, final block
    crc = 0
    for _ in range(128):
        crc = zlib.crc32(zeros, crc)
    data = bytearray(zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": stream}, zipfile.ZIP_STORED))
    # word/document.xml is the last part: its local header is the last, and so is its entry in the directory
    for header, method in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = data.rindex(header)
        data[at + method:at + method + 2] = (8).to_bytes(2, "little")  # deflated, not stored
        data[at + method + 6:at + method + 10] = crc.to_bytes(4, "little")
        data[at + method + 14:at + method + 18] = (2**31).to_bytes(4, "little")  # unpacked size
    return bytes(data)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return docx_bomb()


def refusal(check, data: bytes) -> str:
    with pytest.raises(documents.FileRefused) as refused:
        check(data)
    return str(refused.value)


# --- PDF ----------------------------------------------------------------------------------------------------


def test_a_real_pdf_is_kept():
    from weasyprint import HTML  # the app's own letters are made with it

    for pdf in (real_pdf(), HTML(string="<h1>Overeenkomst</h1><p>Getekend.</p>").write_pdf()):
        assert documents.kind_of(pdf) == "pdf"
        assert documents.check_scan(pdf) == "pdf" and documents.check_minutes(pdf) == "pdf"


def test_a_pdf_header_before_html_is_refused():
    polyglot = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"
    assert documents.kind_of(polyglot) is None
    assert refusal(documents.check_scan, polyglot) == (
        f"{UNREADABLE_PDF} Scan de ondertekende overeenkomst opnieuw als PDF.")
    assert refusal(documents.check_minutes, polyglot) == f"{UNREADABLE_PDF} {AGAIN}"


def test_html_that_a_lenient_reader_would_repair_into_a_pdf_is_refused():
    """Objects of a page inside HTML, and a pointer to a cross-reference table that is not there: pypdf's lenient
    mode rebuilds the table and finds a page; the strict mode refuses it."""
    polyglot = (b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script>\n"
                b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 9 9]>>endobj\n</body></html>\n"
                b"trailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n")
    assert refusal(documents.check_scan, polyglot).startswith(UNREADABLE_PDF)


def test_a_truncated_pdf_and_the_old_fake_ones_are_refused():
    pdf = real_pdf()
    for data in (pdf[: len(pdf) // 2], pdf[:-7], b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
                 b"%PDF-1.7 getekend"):
        assert refusal(documents.check_scan, data).startswith(UNREADABLE_PDF), data[-20:]


# --- DOCX and ODT -------------------------------------------------------------------------------------------


def test_a_sound_docx_and_odt_are_kept():
    assert [documents.kind_of(d) for d in (DOCX, ODT)] == ["docx", "odt"]
    assert documents.check_minutes(DOCX) == "docx" and documents.check_document(ODT, "de bijlage") == "odt"
    assert refusal(documents.check_scan, DOCX) == NOT_A_PDF


def test_a_docx_that_unpacks_to_2_gb_is_refused_from_its_directory(bomb):
    assert len(bomb) < 2.1 * 2**20
    [part] = [p for p in zipfile.ZipFile(io.BytesIO(bomb)).infolist() if p.filename == "word/document.xml"]
    assert part.file_size == 2**31 and part.compress_type == zipfile.ZIP_DEFLATED
    start = time.perf_counter()
    message = refusal(documents.check_minutes, bomb)
    assert time.perf_counter() - start < 0.5  # nothing unpacked
    assert message == f"Dit Word-bestand (DOCX) is uitgepakt groter dan 50 MB; een document is dat nooit. {AGAIN}"
    assert documents.kind_of(bomb) is None


def test_the_bomb_is_a_sound_zip_that_unpacks_to_what_its_directory_says(bomb):
    """The bomb is no damaged zip that any check refuses: its first 64 MiB unpack to zeros, as it claims."""
    with zipfile.ZipFile(io.BytesIO(bomb)).open("word/document.xml") as part:
        assert part.read(64 * 2**20) == bytes(64 * 2**20)


def test_a_docx_packed_more_than_100_to_1_is_refused():
    tight = zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": DOCUMENT + bytes(40 * 2**20)})
    assert len(tight) < 100_000
    assert refusal(documents.check_minutes, tight) == (
        "Dit Word-bestand (DOCX) is ongewoon sterk gecomprimeerd: uitgepakt is een deel meer dan 100 keer zo groot. "
        f"Een gewoon document is dat nooit. {AGAIN}")


def test_a_zip_without_the_parts_of_its_kind_is_no_document():
    for data in (zipped({"[Content_Types].xml": CONTENT_TYPES, "word/other.xml": DOCUMENT}),  # no word/document.xml
                 zipped({"mimetype": b"application/vnd.oasis.opendocument.text"}),  # no content.xml
                 zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": ODT_CONTENT}),
                 b"PK\x03\x04 geen zip"):
        assert documents.kind_of(data) is None
        assert refusal(documents.check_minutes, data) == NONE_OF_THEM


def test_a_damaged_docx_is_refused():
    stored = bytearray(zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": DOCUMENT},
                              zipfile.ZIP_STORED))
    at = stored.index(b"Verslag LOK")
    stored[at] ^= 0xFF  # the part no longer matches its checksum
    assert refusal(documents.check_minutes, bytes(stored)) == (
        f"Dit Word-bestand (DOCX) is beschadigd of versleuteld en kan niet gelezen worden. {AGAIN}")


def test_a_zip_of_ten_thousand_parts_is_refused_before_its_directory_is_read():
    entries = {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": DOCUMENT}
    entries.update({f"word/media/{i}.xml": b"" for i in range(10_000)})
    assert refusal(documents.check_minutes, zipped(entries)) == (
        f"Dit bestand bevat meer dan 10.000 delen; een document heeft er veel minder. {AGAIN}")
