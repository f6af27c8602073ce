"""The export's columns: the canonical names, the aliases other exports use, what the Import page says of each."""

from __future__ import annotations

import re

COLUMNS = (
    "aanvraag_id", "kind_id", "opvang_id", "opvang_naam", "datum_aanvraag", "gewenste_startdatum",
    "status", "datum_status", "datum_antwoord", "kwetsbaar_gezin", "dagen_per_week",
)


REQUIRED = ("aanvraag_id", "kind_id", "opvang_id", "datum_aanvraag", "status", "datum_status")


ID_COLUMNS = ("aanvraag_id", "kind_id", "opvang_id")


DATE_COLUMNS = ("datum_aanvraag", "gewenste_startdatum", "datum_status", "datum_antwoord")


ID_MAX_LENGTH = 64  # requests.id, child_id, provider_id


NAME_MAX_LENGTH = 200  # providers.name


DAYS_MIN, DAYS_MAX = 0.5, 7.0


_ALIAS_LIST = {
    "aanvraag_id": (
        "aanvraagid", "aanvraag_nr", "aanvraagnummer", "aanvraag_nummer", "id_aanvraag",
        "nummer_aanvraag", "opvangvraag_id", "id_opvangvraag", "vraag_id",
    ),
    "kind_id": ("kind", "kindid", "id_kind", "kindnummer", "kind_nummer", "gezin_id", "id_gezin"),
    "opvang_id": (
        "opvangid", "id_opvang", "dossiernummer", "dossier_nummer", "dossiernr", "dossier_nr",
        "opvang_dossiernummer", "dossiernummer_opvang", "opvanglocatie_id", "locatie_id",
    ),
    "opvang_naam": (
        "opvang", "naam_opvang", "opvangnaam", "opvanglocatie", "naam_opvanglocatie",
        "kinderopvang", "naam_kinderopvang", "naam_locatie",
    ),
    "datum_aanvraag": (
        "aanvraagdatum", "aanvraag_datum", "datum_van_aanvraag", "datum_ontvangst",
        "ontvangen_op", "ingediend_op", "datum_ingediend",
    ),
    "gewenste_startdatum": (
        "startdatum", "gewenste_start", "gewenste_begindatum", "begindatum", "start_opvang",
        "gewenste_startdatum_opvang",
    ),
    "status": ("status_aanvraag", "aanvraagstatus", "huidige_status"),
    "datum_status": (
        "statusdatum", "status_datum", "datum_laatste_status", "datum_statuswijziging",
        "laatste_statuswijziging",
    ),
    "datum_antwoord": ("antwoorddatum", "antwoord_datum", "datum_eerste_antwoord", "beantwoord_op"),
    "kwetsbaar_gezin": ("kwetsbaar", "kwetsbaar_gezin_ja_nee", "gezin_kwetsbaar", "kwetsbare_gezin"),
    "dagen_per_week": (
        "dagen", "dagen_week", "aantal_dagen", "aantal_dagen_per_week", "gewenste_dagen_per_week",
    ),
}


# normalized header alias -> canonical column name (canonical names map onto themselves)
ALIASES: dict[str, str] = {
    **{c: c for c in COLUMNS},
    **{alias: canon for canon, aliases in _ALIAS_LIST.items() for alias in aliases},
}


_HEADER_JUNK = re.compile(r"[^0-9a-zà-ÿ]+")


def normalize_header(name: str) -> str:
    """'  Datum Aanvraag ' -> 'datum_aanvraag' (lower case; spaces, hyphens and punctuation -> '_')."""
    return _HEADER_JUNK.sub("_", str(name).replace("\ufeff", "").replace("ï»¿", "").lower()).strip("_")


# What the Import page says about each column, in the order of COLUMNS.
COLUMN_HELP = {
    "aanvraag_id": "id van de aanvraag (één kind bij één opvang)",
    "kind_id": "gepseudonimiseerd id van het kind, hetzelfde bij elke opvang",
    "opvang_id": "dossiernummer van de opvang",
    "opvang_naam": "naam van de opvang",
    "datum_aanvraag": "datum waarop de aanvraag binnenkwam",
    "gewenste_startdatum": "gewenste startdatum",
    "status": "een status van Opvang.Vlaanderen (bv. in behandeling)",
    "datum_status": "datum van de huidige status",
    "datum_antwoord": "datum van het antwoord; leeg: afgeleid uit de momentopnames",
    "kwetsbaar_gezin": "ja/nee (of j/n, 1/0)",
    "dagen_per_week": "gevraagde dagen per week (0,5 tot 7)",
}


EXAMPLE_CSV = (
    "aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;gewenste_startdatum;status;datum_status;"
    "datum_antwoord;kwetsbaar_gezin;dagen_per_week\r\n"
    "A-0001;K-0001;KO-100001;Kinderdagverblijf Voorbeeld;03/11/2026;01/03/2027;in behandeling;10/11/2026;"
    "10/11/2026;nee;4\r\n"
    "A-0002;K-0002;KO-100001;Kinderdagverblijf Voorbeeld;05/11/2026;01/02/2027;nieuw;05/11/2026;;ja;2,5\r\n"
)
