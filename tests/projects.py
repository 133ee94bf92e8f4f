"""Projects that are not the shipped one, kept as dicts of files for the tests.

YOUTH_NET: a Justice programme project with small counts of children among large counts
of adult professionals, over two reporting periods: what an attacker of the publication
gate would try first. Its figures, by hand:

* seminar participants: 40 (2021) + 55 (2022) = 95, all adults;
* young people heard: 3 (2021-03, LV) + 20 (2021-09, LV) + 25 (2022-05, LT) = 48;
  interim (2021): 23; by age band 13-15: 2 + 9 + 12 = 23, 16-17: 1 + 11 + 13 = 25;
* children monitored: 12 (Riga drop-in, 2021; risk reduced 9, unchanged 3)
  + 4 (Kaunas outreach, 2022; risk reduced 4) = 16; interim 12;
* coverage of objective 1: 95 adults, 64 children, never added together.
"""

from __future__ import annotations

YOUTH_NET: dict[str, str] = {
    "cepa-project.yaml": """\
code: JUST/2021/YOUTH/007
title: Safer together against online grooming
programme: Justice Programme (European Commission)
period: {start: 2021-01, end: 2022-12}
lead: saule
countries: {LV: Latvia, LT: Lithuania}
partners:
  - {id: saule, name: Saule Family Support, country: LV, type: NGO, role: lead}
  - {id: viltis, name: Viltis Child Rights, country: LT, type: NGO}
objectives:
  - {id: 1, short: Train professionals, text: Train professionals to recognise grooming}
  - {id: 2, short: Hear young people, text: Hear young people who were groomed online}
activities:
  - {id: S, title: Training seminars, kind: seminars, objectives: [1, 2]}
  - {id: F, title: Feedback sessions with young people, kind: feedback, objectives: [1, 2]}
  - {id: O, title: Outcome monitoring, kind: outcomes, objectives: [1, 2]}
reporting_periods:
  interim: {start: 2021-01, end: 2021-12}
claims:
  - id: small-session
    text: Three young people took part in the first session
    quantity: {measure: young_people, where: {id: fb-2021-03}}
    value: 3
  - id: trained
    text: 95 professionals trained
    quantity: {measure: seminar_participants}
    value: 95
targets:
  - {id: heard, text: Young people heard, quantity: {measure: young_people}, target: 40}
""",
    "seminars/sem-2021.yaml": """\
id: sem-2021
activity: S
objectives: [1, 2]
title: Recognising online grooming
date: 2021-05-12
city: Riga
country: LV
convenor: saule
participants: {total: 40, by_country: {LV: 30, LT: 10}}
""",
    "seminars/sem-2022.yaml": """\
id: sem-2022
activity: S
objectives: [1, 2]
title: Working with platforms
date: 2022-06-09
city: Vilnius
country: LT
convenor: viltis
participants: {total: 55}
""",
    "feedback/fb-2021-03.yaml": """\
id: fb-2021-03
activity: F
objectives: [1, 2]
title: Session at the Ilguciems youth club
date: 2021-03
country: LV
host: Ilguciems youth club
young_people: {total: 3, by_age_band: {"13-15": 2, "16-17": 1}}
themes: [The club leader noticed first]
notes: Small group; held in the club's back room.
publishable: false
""",
    "feedback/fb-2021-09.yaml": """\
id: fb-2021-09
activity: F
objectives: [1, 2]
title: Autumn session in Riga
date: 2021-09
country: LV
host: Saule Family Support
young_people: {total: 20, by_age_band: {"13-15": 9, "16-17": 11}}
themes: [Adults online pretended to be other teenagers]
publishable: true
""",
    "feedback/fb-2022-05.yaml": """\
id: fb-2022-05
activity: F
objectives: [1, 2]
title: Spring session in Vilnius
date: 2022-05
country: LT
host: Viltis Child Rights
young_people: {total: 25, by_age_band: {"13-15": 12, "16-17": 13}}
themes: [Reporting buttons were hard to find]
publishable: true
""",
    "outcomes/out-a.yaml": """\
id: out-a
activity: O
objectives: [1, 2]
title: Outcomes at the Riga drop-in
date: {start: 2021-01, end: 2021-12}
service: Riga drop-in
partner: saule
country: LV
children: {total: 12}
risk: {reduced: 9, unchanged: 3}
publishable: true
""",
    "outcomes/out-b.yaml": """\
id: out-b
activity: O
objectives: [1, 2]
title: Outcomes at the Zaliakalnis outreach team
date: {start: 2022-01, end: 2022-12}
service: Zaliakalnis outreach team
partner: viltis
country: LT
children: {total: 4}
risk: {reduced: 4}
notes: Four girls referred by their school.
""",
}

#: Free text of YOUTH_NET's unpublishable records about children: never in a public output.
YOUTH_NET_PRIVATE = ("fb-2021-03", "Ilguciems", "club leader", "back room", "out-b",
                     "Zaliakalnis", "Four girls")
