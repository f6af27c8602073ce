"""The signed cooperation agreements and the Lokaal Overleg Kinderopvang (R10)."""
