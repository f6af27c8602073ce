"""Files people hand the loket (exports, register workbooks, scans, minutes, attachments): what kind a file is, by
its content; reading it within limits, in a process of its own when it is a workbook; the one text decoding and CSV
dialect both importers use. The Dutch refusals of a file are worded by the feature that reads it."""
