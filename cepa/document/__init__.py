"""The document: what the gated results say, in one language, built once.

A report (report.py) or a workbook (book.py) is a tree of nodes (nodes.py): headings,
paragraphs, lists, tables of cells, charts, facts - every word translated (language.py,
words.py), every figure written as it is shown, from results that went through the
publication gate. The tables (tables.py) and charts (charts.py) are made here for every
output; the report's words come from templates a writer may replace by name
(templates.py), Markdown is parsed (markdown.py). Writers (cepa/writers/) lay a document
out; nothing here writes a file.
"""
