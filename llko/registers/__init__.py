"""The loket's register workbook: every register brought in (and out) in one file."""
