"""Writers: lay a document out as a file or on a terminal, and nothing more.

Word (docx.py, charts drawn by charts.py), PDF through LibreOffice (pdf.py), a workbook as
xlsx, CSV or JSON (book.py, xlsx.py, flat.py), tables for a terminal, Markdown and CSV
(terminal.py), and ``cepa validate``'s reporters (problems.py). A writer receives a
document (cepa/document/nodes.py) and no record, figure or result: what it shows was
decided before it was called.
"""
