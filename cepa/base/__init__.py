"""The ground floor: what every stage may use - safe text and the coordinator's texts in
several languages, problems and their catalogue, dates, countries, and files written whole.
It imports nothing else of cepa."""

#: cepa's version (``cepa --version``), kept here so every stage may read it.
__version__ = "0.1.0"
