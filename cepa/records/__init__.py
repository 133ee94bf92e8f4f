"""Records: read and check a project's files.

The record model (model.py) and one module per kind of record (kinds/, each described by a
``Kind``, kind.py), the YAML loader and its parse cache (loader.py, cache.py), the
workspace that finds and loads a project (workspace.py), the checks across records
(checks.py), the personal-data scan (personal.py), a kind's sheet columns (columns.py),
the coordinator's own report sections (narrative.py) and the blank files ``cepa init``
and ``cepa new`` write (blank.py). Nothing here computes a figure or speaks a language;
it imports only the ground floor (cepa/base/).
"""
