"""What kind of file an upload is, judged by its content (never its name), and the reading of an OpenDocument
spreadsheet (.ods, LibreOffice's own format) into rows of cells. The Excel reader lives with the importer; this
module gives both importers (requests and the register workbook) the same answer for ODS and for the old .xls."""

import io
import zipfile

CSV, XLSX, ODS, XLS = "csv", "xlsx", "ods", "xls"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of Excel 97-2003 (.xls) and other old Office files
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

MSG_XLS = ("Dit is een Excel 97-2003-bestand (.xls), een ouder formaat dat de import niet leest. Open het in Excel "
           "of LibreOffice en bewaar het als Excel-werkmap (.xlsx), als OpenDocument-rekenblad (.ods) of als CSV, "
           "en kies dan dat bestand.")
UPLOAD_TYPES = ["csv", "txt", "xlsx", "ods", "xls"]  # what the pages let a user pick (.xls to explain the refusal)


def kind_of(data: bytes) -> str:
    """csv, xlsx, ods or xls as the content shows it (a zip that is no spreadsheet counts as xlsx, whose reader
    then says it cannot read it)."""
    if data.startswith(_OLE2):
        return XLS
    if data[:2] != b"PK":
        return CSV
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "mimetype" in archive.namelist():
                with archive.open("mimetype") as entry:
                    if entry.read(len(_ODS_MIMETYPE) + 1).strip() == _ODS_MIMETYPE:
                        return ODS
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError):
        pass
    return XLSX


def ods_sheets(data: bytes, first_only: bool = False) -> dict[str, list[list]]:
    """{sheet name: rows of cell values} of an ODS: dates as datetime (whatever their display format), numbers as
    int/float, text as str, empty cells None; trailing empty cells and rows dropped. Raises ValueError when the
    file cannot be read as a spreadsheet."""
    import pandas as pd

    try:
        frames = pd.read_excel(io.BytesIO(data), engine="odf", header=None, dtype=object,
                               sheet_name=0 if first_only else None)
    except Exception as exc:  # damaged, encrypted, no spreadsheet inside
        raise ValueError("unreadable ODS") from exc
    if first_only:
        frames = {"0": frames}
    sheets = {}
    for name, frame in frames.items():
        rows = []
        for values in frame.itertuples(index=False, name=None):
            cells = [None if _empty(v) else (v.to_pydatetime() if isinstance(v, pd.Timestamp) else v) for v in values]
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(cells)
        while rows and not rows[-1]:
            rows.pop()
        sheets[str(name)] = rows
    return sheets


def _empty(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN / NaT
    except (TypeError, ValueError):
        return False
