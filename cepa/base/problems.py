"""Problems found in a user's files, and the catalogue of their codes.

A problem is a small ordered value: where it is, how bad it is, what is wrong
and the code that names the rule. Nothing in cepa raises for something a user
can put in a file; it returns problems instead.

Every code lives in ``CATALOGUE`` with a title, a description and a failing
example; ``docs/problems.md`` is generated from it (``cepa codes --markdown``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cepa.base.text import escape


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    path: str
    line: int
    col: int
    level: Level
    message: str
    code: str

    def __str__(self) -> str:
        return escape(f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message} "
                      f"({self.code})")

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "level": str(self.level),
            "message": self.message,
            "code": self.code,
        }


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    level: Level
    title: str
    description: str
    example: str


CATALOGUE: dict[str, Code] = {
    c.code: c
    for c in [
        # --- reading the file --------------------------------------------------
        Code("unreadable", Level.ERROR, "File or folder cannot be read",
             "The file or folder exists but cepa could not open it (permissions, a broken "
             "link). Its records are missing until it can be read, so this is an error.",
             "(a file or a kind folder with no read permission)"),
        Code("not-a-file", Level.ERROR, "Not a regular file",
             "A named pipe (FIFO), a device, a socket, or a link to one, sits among the "
             "records. cepa never opens it: reading one could wait forever or never end. "
             "Delete it or move it out of the project.",
             "(records/seminars/pipe.yaml made with mkfifo)"),
        Code("outside-project", Level.ERROR, "Link leading outside the project",
             "A symbolic link among the records points to a file or folder outside the "
             "project folder. cepa does not follow it: copy the file into the project "
             "instead.",
             "(records/seminars/x.yaml -> /etc/passwd)"),
        Code("bad-file-name", Level.ERROR, "File name with a control character",
             "A file or folder name holds a line break, a tab, an escape or another control "
             "character (shown as \\n, \\x1b, ...). Such names forge output lines and break "
             "reports; cepa does not read the file. Rename it.",
             "(records/seminars/a<newline>b.yaml)"),
        Code("number-too-large", Level.ERROR, "Number too large",
             "A number has more than 18 digits, or a count is over 1,000,000,000 (a "
             "billion). No project counts that many; it is a typing slip or an attack on "
             "the programs that read the figures.",
             "participants:\n  total: 10000000000"),
        Code("not-utf8", Level.ERROR, "File is not UTF-8",
             "Records must be saved as UTF-8 (a byte-order mark is fine). Files saved by "
             "older Windows editors are often in Windows-1252: re-save them as UTF-8.",
             "title: Caf\\xe9 seminar   # saved as Windows-1252"),
        Code("too-large", Level.ERROR, "File is larger than the cap",
             "A record file is larger than the size cap (1 MiB unless --max-bytes says "
             "otherwise). Records are small; a huge file is a mistake or an attack.",
             "(a 5 MB file in records/seminars/)"),
        Code("control-character", Level.ERROR, "Control character in the text",
             "Characters such as NUL, form feed or escape break the Word and Excel writers. "
             "Only tab, line feed and carriage return are allowed.",
             'title: "Seminar\\x07"'),
        Code("yaml-syntax", Level.ERROR, "YAML syntax error",
             "The file is not valid YAML: a missing colon, bad indentation, an unclosed quote.",
             "title: [unclosed"),
        Code("empty-file", Level.ERROR, "Empty file",
             "The file holds no record. Fill it in or delete it.",
             "# only a comment"),
        Code("multiple-documents", Level.ERROR, "Several documents in one file",
             "One file holds one record. Split the documents after `---` into files of their own.",
             "id: a\n---\nid: b"),
        Code("not-a-mapping", Level.ERROR, "The file is not a set of fields",
             "A record is a set of `field: value` lines; this file holds a list or a single value.",
             "- id: a"),
        Code("duplicate-key", Level.ERROR, "Field given twice",
             "The same field appears twice in one mapping. YAML readers silently keep the last; "
             "cepa refuses, so no value is lost unnoticed.",
             "total: 30\ntotal: 31"),
        Code("alias", Level.ERROR, "Anchors and aliases are not allowed",
             "`&anchor` and `*alias` make one value stand in several places; they are not "
             "needed in records and can be abused to blow up memory.",
             "a: &x [1, 2]\nb: *x"),
        Code("tag", Level.ERROR, "Tags are not allowed",
             "`!!python/object` and other `!tags` ask a YAML reader to build objects. cepa "
             "reads plain values only.",
             "title: !!python/object:os.system x"),
        Code("complex-key", Level.ERROR, "A key that is not plain text",
             "Field names must be plain text, not lists or mappings.",
             "? [a, b]\n: 1"),
        Code("too-deep", Level.ERROR, "Nesting too deep",
             "Records nest a few levels at most; this file nests deeper than the cap.",
             "a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"),
        # --- the schema --------------------------------------------------------
        Code("unknown-field", Level.ERROR, "Unknown field",
             "The field is not part of this kind of record. Usually a typo: an unknown field "
             "would otherwise be dropped silently.",
             "particpants: 30"),
        Code("missing-field", Level.ERROR, "Required field missing",
             "A field every record of this kind must have is absent.",
             "(a seminar without `date:`)"),
        Code("wrong-type", Level.ERROR, "Value of the wrong type",
             "The value is not of the type the field needs: text where a number is expected, "
             "a list where text is expected. `yes`, `no`, `on` and `off` are text, not "
             "true/false or numbers.",
             "participants:\n  total: yes"),
        Code("invalid-value", Level.ERROR, "Value not allowed",
             "The value is of the right type but not one the field allows.",
             "activity: Z"),
        Code("invalid-date", Level.ERROR, "Invalid date",
             "Dates are written YYYY-MM-DD, or YYYY-MM when only the month is known, and must "
             "exist in the calendar.",
             "date: 2006-02-30"),
        Code("negative-count", Level.ERROR, "Negative count",
             "Counts of people, interviews and sessions cannot be negative.",
             "participants:\n  total: -3"),
        Code("personal-data-field", Level.ERROR, "Field that would hold personal data",
             "Records about children and service users must not hold names, dates of birth, "
             "addresses or contact details. Remove the field; use an age band and counts.",
             "name: Jane Smith   # in records/feedback/"),
        # --- across records ----------------------------------------------------
        Code("duplicate-id", Level.ERROR, "Id used twice",
             "Every record's id must be unique across the whole project.",
             "id: uk-seminar-1   # in two files"),
        Code("unknown-reference", Level.ERROR, "Reference to something that does not exist",
             "A record names an objective, partner, activity or visit that the project file "
             "(or the records) do not define.",
             "objectives: [5]   # the project has objectives 1-4"),
        Code("wrong-activity", Level.ERROR, "Record under an activity of another kind",
             "The project file says which kind of record each activity holds; this record "
             "names an activity meant for another kind.",
             "activity: A   # in a seminar; A holds visits"),
        Code("date-outside-period", Level.ERROR, "Date outside the project period",
             "The record's date falls outside the project's period in the project file.",
             "date: 2004-03   # the project ran 2005-01 to 2006-12"),
        Code("date-after-period", Level.WARNING, "Delivered after the project ended",
             "An output (a final report, a translation) dated after the project's period: "
             "usual, since such outputs are often published later; the report lists it "
             "with its date. A gathering held outside the period is an error.",
             "date: 2007-03   # the final report, three months after the end"),
        Code("not-recorded", Level.WARNING, "A fact is recorded as not known",
             "`cepa validate --final` lists every value written 'unknown' (a count, a date, a "
             "place, a convenor, a mode) and every record that names no objective: the final "
             "report shows them as 'not recorded'. Fill them in where the facts can still be "
             "found; otherwise leave them: unknown is a value, never 0.",
             "participants: {total: unknown, note: the sign-in sheet was lost}"),
        Code("date-range-reversed", Level.ERROR, "Date range ends before it starts",
             "The end of a date range comes before its start.",
             "date: {start: 2006-12, end: 2005-01}"),
        Code("breakdown-mismatch", Level.ERROR, "Breakdown does not add up",
             "The parts of a breakdown (by country, organisation, sector, ...) add up to more "
             "or less than the total. Add an `other`/`unknown` entry, or fix the figures.",
             "total: 64\nby_country: {EE: 44, UK: 9}"),
        Code("claim-contradicted", Level.ERROR, "The records contradict a claim",
             "A sentence the project file claims does not hold when computed from the records.",
             "claims:\n- text: a total of 239 participants ..."),
        Code("known-total-mismatch", Level.ERROR, "A known total does not add up",
             "A total the project file gives for a group of records (`known_totals`) differs "
             "from what those records add up to, or names records of different kinds or "
             "records without a count. Correct the records' split, or the total.",
             "known_totals:\n- {id: uk, text: 127 at three seminars, records: [a, b, c], "
             "total: 127}   # a + b + c = 126"),
        Code("claim-invalid", Level.ERROR, "A claim cannot be computed",
             "The claim names a quantity or filter cepa does not know.",
             "quantity: {measure: visitors}"),
        Code("unknown-country", Level.ERROR, "Not a country code",
             "Countries are two-letter ISO 3166 codes (EE, NL, DE, ...); the EU's own UK and EL "
             "are accepted as EU documents write them. The message names the nearest code.",
             "country: EN"),
        Code("country-twice", Level.WARNING, "One country written two ways",
             "The records write a country both as its ISO code and as the EU writes it (GR "
             "and EL for Greece, GB and UK for the United Kingdom); every table would show "
             "it twice. Use one code everywhere.",
             "by_country: {GR: 3}   # the project writes Greece EL"),
        Code("activity-status", Level.WARNING, "An activity does not say what happened",
             "A planned activity whose date (or the project) has passed has no records and no "
             "`status:`, or its status (partly implemented, moved, postponed, not "
             "implemented) has no `reason:`. The funder's final report asks for both.",
             "- {id: 4, title: Pilot training, kind: events, status: not implemented}"),
        Code("activity-unrecorded", Level.WARNING, "An activity said to have happened has "
             "no records",
             "The project file says an activity was implemented (or partly, moved, or held "
             "unforeseen), but no record belongs to it: its figures are 'not recorded' in "
             "every output, and `cepa coverage --strict` fails. Add its records, or correct "
             "its status.",
             "- {id: D, title: Feedback sessions, kind: feedback, status: implemented}"),
        Code("invalid-basis", Level.ERROR, "A basis that cannot be",
             "A `basis:` says how a figure or fact was obtained. It names a field the record "
             "or its count does not have, says `split` for what is not a count, or says a "
             "figure is a split of a known total that does not list the record. Correct the "
             "basis, or add the record to the known total's records.",
             "participants: {total: 45, basis: {total: {how: split, of: uk-seminars}}}\n"
             "# uk-seminars does not list this record"),
        Code("submitted-changed", Level.WARNING, "A submitted figure changed",
             "A figure of a period frozen with `cepa submit` differs from what the records "
             "give now, and no reason is recorded for the change: `revision:` in each record "
             "that changed, or a `revisions:` entry of the project file for the period. "
             "`cepa diff PERIOD` lists every figure that moved, with old and new values.",
             "participants: {total: 46}   # 45 when 'final' was submitted; no revision:"),
        Code("submission-invalid", Level.ERROR, "A submission file cannot be read",
             "A file of `submissions/` (written by `cepa submit`) is not one cepa wrote, or "
             "was edited by hand. Restore it from git, or submit the period again.",
             "submissions/final.json: {\"format\": \"mine\"}"),
        Code("narrative-missing", Level.WARNING, "A section of the final report is not written",
             "`cepa validate --final` names the Markdown files next to the project file that "
             "the final report needs and that do not exist yet (difficulties.md, "
             "european-added-value.md, lessons-learnt.md, dissemination.md, follow-up.md).",
             "(no difficulties.md beside cepa-project.yaml)"),
        Code("narrative-stub", Level.WARNING, "A section of the final report is no answer yet",
             "`cepa validate --final` names a section file that exists but does not answer "
             "what the funder asks: a placeholder, a line or two, the same text as another "
             "section, or a sentence saying that the sources do not describe it. The report "
             "lists it under 'Not yet written'.",
             "difficulties.md: The summary does not describe this."),
        Code("translation-missing", Level.WARNING, "A text is not given in the language asked for",
             "`cepa validate --lang nl` lists the project's own texts (titles, objectives, "
             "results, the sections of the final report) that have no Dutch version; the "
             "report uses the project's language for them. Give a text per language as "
             "`{en: ..., nl: ...}`, and a section as `difficulties.nl.md`.",
             "title: Safe Schools Together   # no nl text, for cepa validate --lang nl"),
        Code("misspelt-name", Level.WARNING, "Name looks like a misspelling",
             "An organisation name is close to, but not the same as, a registered partner's "
             "name or one of its other spellings. Use the registered spelling, or add this "
             "one to the partner's `aliases` if it is genuine.",
             "convenor: Stadee"),
        Code("personal-data-text", Level.WARNING, "Text that looks like personal data",
             "Free text in a record about children or service users holds something that "
             "looks like an e-mail address, phone number, postcode, full date or a person's "
             "name. Anonymise it before it spreads into reports.",
             "notes: Spoke to Jane Smith on 2006-03-02"),
        Code("placeholder", Level.WARNING, "Placeholder not yet replaced",
             "A value is still the placeholder that 'cepa init' or 'cepa new' wrote. Replace "
             "it with the real one before anything is reported from it.",
             "title: Title of the seminar"),
        Code("bad-ignore", Level.WARNING, "An ignore that cannot apply",
             "A `# cepa: ignore[...]` comment or an `ignore:` rule of the project file names "
             "a code that does not exist, an error, or a personal-data warning. Only "
             "warnings can be silenced, and never those about personal data: fix the "
             "problem instead.",
             "id: x   # cepa: ignore[duplicate-id]"),
        Code("stray-file", Level.WARNING, "File or folder cepa does not read",
             "A file in a record folder that is not a .yaml record, or a folder beside the "
             "project file that is not a record kind (visits, seminars, interviews, feedback, "
             "outcomes), is not read. Often a typo such as `seminar/` for `seminars/`.",
             "records/seminar/uk-1.yaml"),
        # --- the report's templates ------------------------------------------------
        Code("template-error", Level.ERROR, "A report template the report would stop at",
             "A template of the project's own (`templates/report/NAME.md.j2`) has a syntax "
             "error, a placeholder or filter that does not exist, a field its value does not "
             "have, or prints a whole object; the report stops there. `cepa validate` reads "
             "every branch and builds the report final and interim to find them all.",
             "{{ attendance.totl | fig }}   # in templates/report/claims.md.j2"),
        Code("template-stale", Level.WARNING, "A report template written for an older cepa",
             "A template of the project's own was copied from one of cepa's that has changed "
             "since, or carries no version mark (its first line, `{# cepa template 0.1.0 "
             "... #}`). `cepa templates diff NAME` shows what changed; bring it in, then set "
             "the mark to cepa's.",
             "(templates/report/claims.md.j2 copied from an older cepa)"),
        Code("template-unused", Level.WARNING, "A report template the report never uses",
             "A file in `templates/report/` that is named as none of cepa's templates (`cepa "
             "templates list`) and that no other template includes: often a misspelt name, "
             "such as `claim.md.j2` for `claims.md.j2`.",
             "(templates/report/claim.md.j2)"),
        Code("template-look", Level.WARNING, "The reference document lacks what the report uses",
             "The project's `templates/reference.docx` (or `--template`) lacks a style the "
             "report uses (cepa adds its own), names a font this machine does not have (the "
             "PDF and the contents' page numbers would use another), or holds a field in a "
             "header or footer that cepa does not fill. docs/templates.md lists the styles and "
             "fields.",
             "{{ projct.code }}   # in the header of templates/reference.docx"),
    ]
}


def problem(path: str, line: int, col: int, code: str, message: str) -> Problem:
    """A problem at a place, its level taken from the catalogue."""
    return Problem(path, line, col, Level(CATALOGUE[code].level), message, code)


def catalogue_markdown() -> str:
    """The problem-code reference, generated from ``CATALOGUE``."""
    out = [
        "# Problem codes",
        "",
        "Generated by `cepa codes --markdown` from `cepa/base/problems.py`; do not edit by hand.",
        "",
        "Each problem is printed as `path:line:col: level: message (code)`.",
        "",
    ]
    for c in CATALOGUE.values():
        out += [
            f"## `{c.code}` ({c.level}): {c.title}",
            "",
            c.description,
            "",
            "Fails:",
            "",
            "```yaml",
            c.example,
            "```",
            "",
        ]
    return "\n".join(out)
