"""Evidence: every figure cepa shows, computed once from the records.

``Figure`` and ``Tally`` (figures.py) - a number with what it is made of, and the one place
numbers are added up; the typed results every output is made from (results.py): the
``Summary`` (summary.py, with each kind's section from sections.py), the objective
``Coverage`` (coverage.py), the ``RollUp`` of several projects (rollup.py) and the
``Ledger`` of records; the query language of claims and targets (measures.py), reporting
periods (periods.py), and the checks on evidence with ``validate`` (checks.py). Results hold
the coordinator's texts as written and no word of cepa's: only the document speaks a
language.
"""
