# %% [markdown]
# # A programme of projects in pandas
#
# The tables a funder's evaluator builds for a programme, from `cepa.open(...)`: people by
# country, kind and year; activities implemented against planned; outputs by language.
# Run it as a script (`python docs/programme.py records other-project ...`) or open it as
# a notebook (Jupyter and VS Code read the `# %%` cells). The frames' columns and dtypes
# are in [frames.md](frames.md); every figure is one the project's own outputs show, for
# the audience asked for (`audience="evaluator"`: exact, with no record about children
# row by row).

# %%
from __future__ import annotations

import sys

import pandas as pd

import cepa


def programme_tables(*paths: str, audience: str | None = None) -> dict[str, pd.DataFrame]:
    """The programme's tables, by name."""
    frames = cepa.open(*paths).frames(audience=audience)
    records = frames.records
    counted = records[records["count"].notna()]

    # People by the country where records took place and by kind: one code per country
    # (a project writing GR and another EL are both Greece, EL).
    by_country = counted.pivot_table(index="country", columns="kind", values="count",
                                     aggfunc="sum", observed=True).astype("Int64")

    # People by year and kind: a record spanning years counts in its first year; records
    # whose date is not recorded are left out (their year is NaT).
    dated = counted[counted["start"].notna()]
    by_year = dated.assign(year=dated["start"].dt.year).pivot_table(
        index="year", columns="kind", values="count", aggfunc="sum",
        observed=True).astype("Int64")

    # Activities: planned, and of those implemented (their status says they happened),
    # not implemented; and unforeseen ones, by project.
    a = frames.activities
    activities = pd.DataFrame({
        "planned": a[a["planned"]].groupby("project").size(),
        "implemented": a[a["planned"] & a["implemented"]].groupby("project").size(),
        "not implemented": a[a["planned"] & ~a["implemented"]].groupby("project").size(),
        "unforeseen": a[~a["planned"]].groupby("project").size(),
        "implemented without records": a[a["implemented"] & (a["records"] == 0)]
        .groupby("project").size(),
    }).fillna(0).astype("Int64")

    # Outputs by language: an output in three languages counts once in each.
    outputs = frames.outputs.explode("languages")
    by_language = outputs.pivot_table(index="languages", columns="project", values="id",
                                      aggfunc="count").fillna(0).astype("Int64")
    by_language.index.name = "language"
    return {"people by country": by_country, "people by year": by_year,
            "activities": activities, "outputs by language": by_language}


# %%
if __name__ == "__main__":
    for name, table in programme_tables(*(sys.argv[1:] or ["records"])).items():
        print(f"\n{name}\n{table.to_string()}")
