"""Intake: what writes records. Sign-in sheets counted into a seminar's record (sheets.py,
attendance.py), a workbook's edited rows back into the records (roundtrip.py), and new
projects, records and template copies (scaffold.py). Every write is checked by the records
stage before it happens, and goes through a temporary file."""
