"""Write a valid synthetic cepa project of N records, for the benchmark.

    python benchmarks/generate.py N OUT
    python benchmarks/generate.py --programme P N OUT

The second form writes a funder's programme: P projects of N records each, in
``OUT/p0001``, ``OUT/p0002``, ... (each with its own code, ``BENCH/N/0001``, and its own
seed), for ``cepa summarize`` of all of them at once (a roll-up).

Deterministic (seeded by N): the same N gives the same files. OUT gets a
``cepa-project.yaml`` (3-6 partners, 4 objectives, activities A-F, targets,
claims that hold, reporting periods) and N records across the five kinds in
the proportions of a real project, shaped like the shipped AGIS records:
breakdowns that add up, ``estimated`` markers, notes, hosts, the schema
comment line. Kind folders hold at most 1,000 files each; above that the
records go into numbered subfolders (``seminars/0003/...``).

Free text in feedback and outcomes holds no run of two capitalised words (the
validator would take it for a person's name), and no organisation name is
close to a partner's, so ``cepa validate OUT`` is clean.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

#: Share of the records of each kind (visits are rare, interviews and outcomes common).
SHARES = {"visits": 0.04, "seminars": 0.22, "interviews": 0.34, "feedback": 0.10,
          "outcomes": 0.30}
SINGULAR = {"visits": "visit", "seminars": "seminar", "interviews": "interview",
            "feedback": "feedback", "outcomes": "outcome"}
PER_FOLDER = 1000

PARTNERS = [
    ("northbridge", "Northbridge Children's Trust", "UK", ["Northbridge Trust"]),
    ("kompas", "Stichting Kompas", "NL", ["Kompas NL"]),
    ("lootus", "Lootus Child Centre", "EE", ["Lootus Child Center"]),
    ("aurinko", "Aurinko Youth Services", "FI", []),
    ("saule", "Saule Family Support", "LV", []),
    ("viltis", "Viltis Child Rights", "LT", []),
]
COUNTRY_NAMES = {"UK": "United Kingdom", "NL": "Netherlands", "EE": "Estonia",
                 "FI": "Finland", "LV": "Latvia", "LT": "Lithuania"}
CITIES = {
    "UK": ["London", "Leeds", "Bristol", "Glasgow", "Cardiff", "Middlesbrough"],
    "NL": ["Amsterdam", "Utrecht", "Rotterdam", "Groningen", "Zeist"],
    "EE": ["Tallinn", "Tartu", "Narva", "Viljandi"],
    "FI": ["Helsinki", "Oulu", "Kuopio"],
    "LV": ["Riga", "Daugavpils", "Jelgava"],
    "LT": ["Vilnius", "Kaunas", "Klaipeda"],
}
SECTORS = ["child protection", "criminal justice", "health", "education", "social work"]
HOST_TYPES = [("police", "police child protection unit"), ("NGO", "youth outreach project"),
              ("statutory", "children's services department"),
              ("residential treatment", "residential treatment centre"),
              ("NGO", "drop-in centre for young people"), ("school", "secondary school team")]
THEMES = [
    "being believed by the first adult they told made the difference",
    "workers who kept appointments and did not give up on them",
    "wanting more say in the plans made about them",
    "feeling judged by some professionals when reporting abuse",
    "help with housing and money mattered as much as counselling",
    "group work with other young people reduced isolation",
    "online contact with exploiters started well before any meeting",
]
QUOTES = [
    "they listened and did not rush me",
    "i could call the worker at night when things got bad",
    "nobody asked me what i wanted until this service",
    "it helped that it was the same worker every week",
]
TITLES = {
    "seminars": ["expert seminar on inter-agency working", "expert seminar on prevention",
                 "expert seminar on trafficking and organised crime",
                 "expert seminar on legislation and criminal justice"],
    "interviews": ["Interviews with inter-agency professionals and stakeholders",
                   "Interviews with NGO child protection practitioners"],
}
SEMINAR_NOTES = [
    "Best practice approaches and effective inter-agency working between NGOs and statutory "
    "professionals.",
    "Case studies from each partner country, followed by workshops on referral pathways.",
    "Presentations on grooming techniques used by exploiters and on early identification.",
]
OUTCOME_NOTES = (
    "The outcome monitoring tool applied to under-18s who had experienced sexual\n"
    "  exploitation through prostitution or were at risk of doing so; figures are taken\n"
    "  from the service's quarterly returns."
)
FEEDBACK_NOTES = (
    "Feedback given to visiting staff. These young people have all experienced sexual\n"
    "  exploitation and been supported to recovery by the services concerned."
)
START_YEAR, YEARS = 2020, 4


def _month(rng: random.Random) -> str:
    return f"{START_YEAR + rng.randrange(YEARS)}-{rng.randint(1, 12):02d}"


def _date(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.45:
        return _month(rng)
    if r < 0.75:
        return f"{_month(rng)}-{rng.randint(1, 28):02d}"
    a, b = sorted((_month(rng), _month(rng)))
    return f"{{start: {a}, end: {b}}}"


def _split(rng: random.Random, total: int, keys: list[str]) -> dict[str, int]:
    """``total`` split across ``keys`` (in order), each part >= 0, adding up exactly."""
    cuts = sorted(rng.randint(0, total) for _ in range(len(keys) - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    return dict(zip(keys, parts, strict=True))


def _flow(d: dict[str, int]) -> str:
    return "{" + ", ".join(f"{k}: {v}" if k[0].isalpha() else f'"{k}": {v}'
                           for k, v in d.items()) + "}"


def _block(key: str, d: dict[str, int], indent: str) -> list[str]:
    out = [f"{indent}{key}:"]
    out += [f"{indent}  {k}: {v}" if k[0].isalpha() else f'{indent}  "{k}": {v}'
            for k, v in d.items()]
    return out


def _head(kind: str, rid: str, activity: str, objectives: list[int], title: str, date: str,
          depth: int) -> list[str]:
    up = "../" * depth
    return [f"# yaml-language-server: $schema={up}schemas/{SINGULAR[kind]}.json",
            f"id: {rid}", f"activity: {activity}",
            f"objectives: [{', '.join(map(str, objectives))}]", f"title: {title}",
            f"date: {date}"]


class Generator:
    def __init__(self, n: int, seed: int = 0, code: str | None = None) -> None:
        self.n = n
        self.code = code or f"BENCH/{n}"
        self.rng = random.Random(20050143 + n + 7919 * seed)
        rng = self.rng
        self.partners = PARTNERS[: rng.randint(3, 6)]
        self.countries = [p[2] for p in self.partners]
        self.counts = self._kind_counts()
        self.visit_ids = [f"visit-{i:06d}" for i in range(1, self.counts["visits"] + 1)]
        # What the claims will say, accumulated as records are written.
        self.seminars_b = 0
        self.participants_b = 0
        self.children = 0
        self.inter_agency = 0
        self.services: set[str] = set()

    def _kind_counts(self) -> dict[str, int]:
        counts = {k: max(1, int(self.n * s)) for k, s in SHARES.items()}
        counts["interviews"] += self.n - sum(counts.values())
        return counts

    def _objectives(self) -> list[int]:
        k = self.rng.randint(1, 4)
        return sorted(self.rng.sample([1, 2, 3, 4], k))

    def _partner(self) -> tuple[str, str, str, list[str]]:
        return self.rng.choice(self.partners)

    def _city(self, country: str) -> str:
        return self.rng.choice(CITIES[country])

    # --- one record of each kind -------------------------------------------------------

    def visit(self, i: int, depth: int) -> str:
        rng = self.rng
        rid = self.visit_ids[i]
        country = rng.choice(self.countries)
        travellers_from = [p for p in self.partners if p[2] != country] or self.partners
        frm = rng.sample(travellers_from, rng.randint(1, min(2, len(travellers_from))))
        names = " and ".join(p[1] for p in frm)
        lines = _head("visits", rid, "A", self._objectives(),
                      f"{names} study visit to {COUNTRY_NAMES[country]}", _date(rng), depth)
        lines.append(f"from_partners: [{', '.join(p[0] for p in frm)}]")
        lines.append(f"country: {country}")
        lines.append("hosts:")
        for _ in range(rng.randint(2, 5)):
            city = self._city(country)
            htype, what = rng.choice(HOST_TYPES)
            if rng.random() < 0.5:
                lines.append(f"  - {{name: {city} {what}, city: {city}, type: {htype}}}")
            else:
                lines += [f"  - name: {city} {what}", f"    type: {htype}",
                          "    notes: works with young people at risk and their families"]
        total = rng.randint(2, 9)
        lines += ["travellers:", f"  total: {total}"]
        lines += _block("by_country", _split(rng, total, [p[2] for p in frm]), "  ")
        lines += ["notes: >-", "  The visit programme was agreed with the hosts beforehand; "
                  "travel costs were", "  met from the grant.",
                  "sources: [project-final-report.pdf, activity A]"]
        return "\n".join(lines) + "\n"

    def seminar(self, i: int, depth: int) -> str:
        rng = self.rng
        final = i == 0
        convenor = self._partner()
        country = convenor[2]
        city = self._city(country)
        activity = "F" if final else "B"
        title = ("Final international expert seminar" if final else
                 f"{COUNTRY_NAMES[country]} {rng.choice(TITLES['seminars'])}")
        lines = _head("seminars", f"seminar-{i + 1:06d}", activity, self._objectives(), title,
                      _date(rng), depth)
        lines += [f"city: {city}", f"country: {country}", f"convenor: {convenor[0]}"]
        others = [p[0] for p in self.partners if p[0] != convenor[0]]
        if rng.random() < 0.3 and others:
            lines.append(f"co_organisers: [{', '.join(rng.sample(others, 1))}]")
        total = rng.randint(20, 80)
        sectors = rng.sample(SECTORS, rng.randint(2, 4))
        lines += ["participants:", f"  total: {total}"]
        lines += _block("by_sector", _split(rng, total, sectors), "  ")
        if rng.random() < 0.3:
            lines.append(f"  by_country: {_flow(_split(rng, total, self.countries))}")
        if rng.random() < 0.6:
            lines += ["  # The report gives a total for the series; the split between seminars",
                      "  # and sectors is an estimate.", "  estimated: [total, by_sector]"]
        lines.append(f"notes: {rng.choice(SEMINAR_NOTES)}")
        lines.append(f"sources: [project-final-report.pdf, activity {activity}]")
        if not final:
            self.seminars_b += 1
            self.participants_b += total
        return "\n".join(lines) + "\n"

    def interview(self, i: int, depth: int) -> str:
        rng = self.rng
        p = self._partner()
        inter = rng.random() < 0.55
        group = "inter-agency" if inter else "practitioner"
        title = TITLES["interviews"][0 if inter else 1] + f" in {COUNTRY_NAMES[p[2]]}"
        lines = _head("interviews", f"interviews-{i + 1:06d}", "C",
                      sorted(rng.sample([1, 2, 3], rng.randint(1, 3))), title, _date(rng), depth)
        lines += [f"group: {group}", f"conducted_by: {p[0]}", f"country: {p[2]}"]
        total = rng.randint(1, 30)
        lines += ["interviews:", f"  total: {total}"]
        lines += _block("by_sector", _split(rng, total, rng.sample(SECTORS, 2)), "  ")
        if rng.random() < 0.4:
            lines += ["  # Only the total across countries is known; the split is an estimate.",
                      "  estimated: [total, by_sector]"]
        lines.append("sources: [project-final-report.pdf, activity C]")
        if inter:
            self.inter_agency += total
        return "\n".join(lines) + "\n"

    def feedback(self, i: int, depth: int) -> str:
        rng = self.rng
        p = self._partner()
        city = self._city(p[2])
        lines = _head("feedback", f"feedback-{i + 1:06d}", "D", [2],
                      f"Service-user feedback session in {city}", _date(rng), depth)
        lines += [f"country: {p[2]}", f"city: {city}",
                  f"host: {city} drop-in centre for young people"]
        if self.visit_ids and rng.random() < 0.3:
            lines.append(f"visit: {rng.choice(self.visit_ids)}")
        if rng.random() < 0.7:
            total = rng.randint(3, 15)
            bands = _split(rng, total, ["13-15", "16-17"])
            lines.append(f"young_people: {{total: {total}, by_age_band: {_flow(bands)}}}")
        else:
            lines += ["# young_people: no count of the young people heard was kept."]
        lines.append("themes:")
        lines += [f"  - {t.capitalize()}" for t in rng.sample(THEMES, rng.randint(1, 3))]
        if rng.random() < 0.5:
            lines.append("quotes:")
            for q in rng.sample(QUOTES, rng.randint(1, 2)):
                lines += [f"  - text: {q.capitalize()}", "    publishable: false"]
        lines += [f"publishable: {'true' if rng.random() < 0.5 else 'false'}",
                  "notes: >-", f"  {FEEDBACK_NOTES}",
                  "sources: [project-final-report.pdf, activity D]"]
        return "\n".join(lines) + "\n"

    def outcome(self, i: int, depth: int) -> str:
        rng = self.rng
        p = self._partner()
        service = f"{p[0]} specialist service {i % 400 + 1}"
        lines = _head("outcomes", f"outcomes-{i + 1:06d}", "E", [2],
                      f"Outcome monitoring in {service}", _date(rng), depth)
        lines += [f"service: {service}", f"partner: {p[0]}", f"country: {p[2]}"]
        if rng.random() < 0.5:
            lines.append(f"city: {self._city(p[2])}")
        total = rng.randint(5, 40)
        lines += ["children:", f"  total: {total}"]
        if rng.random() < 0.6:
            lines.append(f"  by_age_band: {_flow(_split(rng, total, ['11-12', '13-15', '16-17']))}")
        if rng.random() < 0.5:
            lines += ["  # The report gives a total across services; the split is an estimate.",
                      "  estimated: [total]"]
        if rng.random() < 0.5:
            risk = _split(rng, total, ["reduced", "unchanged", "increased", "not_known"])
            lines.append(f"risk: {_flow(risk)}")
        lines += ["notes: >-", f"  {OUTCOME_NOTES}",
                  "sources: [project-final-report.pdf, activity E]"]
        self.children += total
        self.services.add(service)
        return "\n".join(lines) + "\n"

    # --- the project file ------------------------------------------------------------

    def project(self) -> str:
        rng = self.rng
        c = self.counts
        lines = ["# yaml-language-server: $schema=../schemas/project.json",
                 "#", f"# A synthetic project of {self.n} records, written by "
                 "benchmarks/generate.py.",
                 f"code: {self.code}", "title: Synthetic benchmark project on preventing "
                 "the sexual exploitation of children",
                 "programme: Benchmark programme",
                 f"period: {{start: {START_YEAR}-01, end: {START_YEAR + YEARS - 1}-12}}",
                 f"lead: {self.partners[0][0]}",
                 "summary: >-", "  Practitioners from several countries shared practice through "
                 "exchange visits,", "  expert seminars, interviews, service-user feedback and "
                 "outcome monitoring.", "", "countries:"]
        lines += [f"  {k}: {COUNTRY_NAMES[k]}" for k in dict.fromkeys(self.countries)]
        lines += ["", "partners:"]
        for j, (pid, name, country, aliases) in enumerate(self.partners):
            lines += [f"  - id: {pid}", f"    name: {name}", f"    country: {country}",
                      "    type: NGO"]
            if j == 0:
                lines.append("    role: lead")
            if aliases:
                lines.append(f"    aliases: [{', '.join(aliases)}]")
            lines += [f"    primary_participants: {rng.randint(4, 16)}",
                      "    primary_participants_description: child protection professionals"]
        lines += ["", "objectives:",
                  "  - id: 1", "    short: Inter-agency co-operation",
                  "    text: Priorities and training needs for inter-agency co-operation",
                  "  - id: 2", "    short: Prevention and victim protection",
                  "    text: A best practice model of prevention and victim protection",
                  "  - id: 3", "    short: Legislation, justice and culture",
                  "    text: The impact of legislative frameworks and criminal justice contexts",
                  "  - id: 4", "    short: Trafficking and organised crime",
                  "    text: The impact of trafficking and organised crime on children",
                  "", "activities:",
                  "  - id: A", "    title: Practice and information sharing visits",
                  "    kind: visits", "    objectives: [1, 2, 3, 4]",
                  f"    planned_events: {c['visits']}",
                  "  - id: B", "    title: Expert seminars in each member country",
                  "    kind: seminars", "    objectives: [1, 2, 3, 4]",
                  f"    planned_events: {self.seminars_b}",
                  "  - id: C", "    title: Interviews with practitioners and stakeholders",
                  "    kind: interviews", "    objectives: [1, 2, 3]",
                  "  - id: D", "    title: Collation of service user feedback",
                  "    kind: feedback", "    objectives: [2]",
                  "  - id: E", "    title: Outcome monitoring of NGO service provision",
                  "    kind: outcomes", "    objectives: [2]",
                  "  - id: F", "    title: Final international expert seminar",
                  "    kind: seminars", "    objectives: [1, 2, 3, 4]",
                  "    planned_events: 1",
                  "", "reporting_periods:",
                  f"  interim: {{start: {START_YEAR}-01, end: {START_YEAR + 1}-12}}",
                  f"  final: {{start: {START_YEAR}-01, end: {START_YEAR + YEARS - 1}-12}}",
                  "", "coverage:", "  min_records: 3", "  min_kinds: 2",
                  "", "disclosure:", "  threshold: 7", "  base: 5",
                  "", "targets:",
                  "  - id: stakeholders", "    text: Stakeholder participants in the seminars",
                  "    quantity: {measure: seminar_participants}",
                  f"    target: {self.participants_b}",
                  "  - id: monitored", "    text: Children whose outcomes are monitored",
                  "    quantity: {measure: children_monitored}",
                  f"    target: {self.children}",
                  "", "claims:",
                  "  - id: visits-total", f"    text: total {c['visits']} visits",
                  "    quantity: {measure: visits}", f"    value: {c['visits']}",
                  "  - id: seminar-count", f"    text: {self.seminars_b} national seminars",
                  "    quantity: {measure: seminars, where: {activity: B}}",
                  f"    value: {self.seminars_b}",
                  "  - id: participants",
                  f"    text: {self.participants_b} professionals took part in the seminars",
                  "    quantity: {measure: seminar_participants, where: {activity: B}}",
                  f"    value: {self.participants_b}",
                  "  - id: each-seminar", "    text: at least 20 participants at each seminar",
                  "    quantity: {measure: seminar_participants, aggregate: min}",
                  '    op: ">="', "    value: 20",
                  "  - id: inter-agency",
                  f"    text: the views of {self.inter_agency} inter-agency professionals",
                  "    quantity: {measure: interviews, where: {group: inter-agency}}",
                  f"    value: {self.inter_agency}",
                  "  - id: children-monitored",
                  f"    text: outcomes monitored for {self.children} children",
                  "    quantity: {measure: children_monitored}", f"    value: {self.children}",
                  "  - id: services", f"    text: applied in {len(self.services)} services",
                  "    quantity: {measure: services}", f"    value: {len(self.services)}"]
        return "\n".join(lines) + "\n"

    def write(self, out: Path) -> None:
        makers = {"visits": self.visit, "seminars": self.seminar, "interviews": self.interview,
                  "feedback": self.feedback, "outcomes": self.outcome}
        for kind, maker in makers.items():
            count = self.counts[kind]
            nested = count > PER_FOLDER
            for i in range(count):
                folder = out / kind / f"{i // PER_FOLDER:04d}" if nested else out / kind
                if i % PER_FOLDER == 0:
                    folder.mkdir(parents=True, exist_ok=True)
                text = maker(i, 3 if nested else 2)
                (folder / f"{SINGULAR[kind]}-{i + 1:06d}.yaml").write_text(text,
                                                                            encoding="utf-8")
        (out / "cepa-project.yaml").write_text(self.project(), encoding="utf-8")


def generate(n: int, out: Path, *, seed: int = 0, code: str | None = None) -> Path:
    """Write a project of ``n`` records into ``out`` (which must not hold one yet)."""
    if n < 5:
        raise ValueError("N must be at least 5: one record of each kind")
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    Generator(n, seed, code).write(out)
    return out


def programme(projects: int, n: int, out: Path) -> list[Path]:
    """Write ``projects`` projects of ``n`` records each into ``out/p0001``, ...: a funder's
    programme, each project with its own code and records."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    return [generate(n, out / f"p{i:04d}", seed=i, code=f"BENCH/{n}/{i:04d}")
            for i in range(1, projects + 1)]


def main(argv: list[str]) -> int:
    usage = "usage: generate.py N OUT, or generate.py --programme P N OUT"
    try:
        if len(argv) == 4 and argv[0] == "--programme" and argv[1].isdigit() \
                and argv[2].isdigit():
            programme(int(argv[1]), int(argv[2]), Path(argv[3]))
        elif len(argv) == 2 and argv[0].isdigit():
            generate(int(argv[0]), Path(argv[1]))
        else:
            print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
            print(usage, file=sys.stderr)
            return 2
    except (ValueError, FileExistsError) as e:
        print(f"generate.py: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
