"""Requests from Opvang.Vlaanderen: statuses and rules R1-R5, their SQL, the importer, what the pages read."""
