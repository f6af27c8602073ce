"""LLKO dashboard: rules, queries, importer and CLI of the Lokaal Loket Kinderopvang Ninove."""
