"""The providers' infopagina on Opvang.Vlaanderen: checks by the loket, declarations by the provider (R6)."""
