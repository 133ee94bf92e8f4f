"""Names vulture cannot see used: called by Typer, pydantic, PyYAML, the tests, or users of
the Python API (``python -m vulture cepa tests/vulture_whitelist.py``)."""

# ruff: noqa
from cepa.api import Evidence
from cepa.cli import _main
from cepa.commands.templates import copy, diff, docs, list_templates
from cepa.document.templates import arithmetic, manifest
from cepa.records.cache import read_entries
from cepa.records.kinds import unregister
from cepa.records.model import Gathering, Outline, OutlineEntry

Evidence.frames
Gathering._venue, OutlineEntry._one, Outline._once
_main, copy, diff, docs, list_templates, arithmetic, manifest, read_entries, unregister
from cepa.records.model import Gathering
from cepa.records.personal import personal_data_in

Evidence.frames
Gathering._venue
_main, copy, list_templates, arithmetic, read_entries, unregister, personal_data_in
from cepa.records.loader import _Composer  # PyYAML's resolver interface

_Composer.descend_resolver, _Composer.ascend_resolver
_estimates_are_given  # a pydantic model validator
_unforeseen_is_not_planned  # a pydantic model validator
