"""The publication plan: what each count of protected people is published as, decided so that
the decision itself gives nothing away.

The attacker this plan is made against has read cepa's code. Whatever cepa decides from the
true counts, that attacker can decide again for every set of counts they think possible,
and keep the sets that give exactly what was published. So every decision is made from what
is already published, never from a count that is not, and each count is published as the
*class* of values it falls in, chosen as follows.

**Blocks.** A project's records of one protected kind fall into blocks: the records that
lie in the same named reporting periods (all of them, when the project names none). Each
block publishes its total, then each record's total, then each record's breakdown cells
(age bands, change in risk, ...), in an order that depends on dates and ids only. Nothing
else is published from the true counts: every other figure (a kind's total for the whole
project, a table by country, the coverage matrix, a programme roll-up, ...) is *derived*:
the sum of the published figures it is made of, or 'c' when one of them is not a number.
Blocks share no record, so what is published about one tells nothing about another.

**Classes.** When a count's turn comes, its possible values - given everything its block
has published so far - are cut into classes: 0; 1 to the threshold (shown 'c'); and the
values that round to each multiple of the base. For each class the plan works out what
an attacker would know if the count were published as that class, and whether some count
of the block (a total, a record, a breakdown cell, or the part in this block of any figure
an output shows) that could be 1 to the threshold would then have fewer than ``threshold``
possible values. A class that would allow that is merged with its neighbour: into 'c'
from below, or, at the top (a record that is almost all of its total), into the class
under it, labelled with the rounded middle of the merged values. Since the classes are
worked out from what is already published, the attacker can work them out too; seeing
which class a count is in tells them that class and nothing more.

**What an attacker can know.** Within a block everything published is an interval on a
sum: the block's total, each record's total (the sum of its atoms), each breakdown cell;
and every record's breakdown adds up to its total. Over such a tree of sums the range of
every count, and of every sum of records or of one breakdown cell over records, has a
closed form (``Block._ranges``, ``Block._subset``) - exact for whole numbers, no solver.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Stands for "no upper limit": larger than any sum of counts (each is at most a billion).
INF = 10 ** 30
#: A range whose upper end is above this has no upper limit.
UNBOUNDED = INF // 2

Range = tuple[int, int]
#: Where a count stands in its block: ("T",) the block's total, ("r", i) record i's total,
#: ("a", i, breakdown, key) a cell of record i's breakdown.
Key = tuple[Any, ...]
#: A path of figures.py: ("total",) or (breakdown, key).
Path = tuple[str, ...]
TOTAL: Path = ("total",)


class PublicationError(ValueError):
    """Publication mode asked for something it cannot publish safely."""


@dataclass(frozen=True)
class Rules:
    threshold: int = 7
    base: int = 5


def round_half_up(n: int, base: int) -> int:
    """``n`` rounded to a multiple of ``base``, halves up (12.5 -> 15, not round()'s 10)."""
    return (2 * n + base) // (2 * base) * base


def rounds_to(shown: int, base: int) -> Range:
    """The whole numbers that round half up to ``shown``."""
    return shown - base // 2, shown + (base + 1) // 2 - 1


@dataclass(frozen=True)
class Label:
    """What a count is published as: ``value`` (None: 'c') and the class of values that
    label stands for, which is what an attacker who knows cepa's rules learns."""

    value: int | None
    lo: int
    hi: int

    @property
    def state(self) -> str:
        if self.value is None:
            return "suppressed"
        return "zero" if self.value == 0 and self.hi == 0 else "rounded"


@dataclass
class Record:
    """A record of a block: its id, its total, and the breakdowns of its count that add up
    to it (the others are never published, and the plan assumes nothing of them)."""

    rid: str
    total: int
    parts: dict[str, dict[str, int]] = field(default_factory=dict)


class Block:
    """The records of one protected kind in one set of reporting periods, and what has been
    published about them."""

    def __init__(self, key: tuple[Any, ...], records: Sequence[Record], rules: Rules) -> None:
        self.key = key
        self.records = list(records)
        self.rules = rules
        self.index = {r.rid: i for i, r in enumerate(self.records)}
        n = len(self.records)
        self.know_t: Range = (0, INF)
        self.know_r: list[Range] = [(0, INF)] * n
        self.know_a: list[dict[str, dict[str, Range]]] = [
            {b: {k: (0, INF) for k in keys} for b, keys in r.parts.items()}
            for r in self.records]
        #: sums of records an output shows, as (path, record numbers): checked like counts
        self.sums: set[tuple[Path, tuple[int, ...]]] = set()
        self.labels: dict[Key, Label] = {}
        #: what can still be 1 to the threshold, while planning (``_retire``)
        self._live: list[tuple[Path, tuple[int, ...]]] = []
        self._live_records: list[int] = []
        self._live_atoms: list[tuple[int, str, str]] = []

    # --- what gets published, in which order -----------------------------------------------

    def keys(self) -> list[Key]:
        """The counts the block publishes, in the order it publishes them."""
        out: list[Key] = [("T",)] if len(self.records) > 1 else []
        out += [("r", i) for i in range(len(self.records))]
        for i, r in enumerate(self.records):
            for b, keys in r.parts.items():
                out += [("a", i, b, k) for k in keys]
        return out

    def true(self, key: Key) -> int:
        if key[0] == "T":
            return sum(r.total for r in self.records)
        r = self.records[key[1]]
        return r.total if key[0] == "r" else r.parts[key[2]][key[3]]

    def label(self, key: Key) -> Label:
        if key[0] == "T" and len(self.records) == 1:
            key = ("r", 0)
        return self.labels[key]

    def plan(self, merge: bool = True) -> None:
        """Publish every count of the block in turn (``merge=False``: each in its plain class,
        what a careless gate would do; for the audit's comparison only)."""
        self._live = sorted(self.sums)
        self._live_records = list(range(len(self.records)))
        self._live_atoms = [(i, b, k) for i, r in enumerate(self.records)
                            for b, keys in r.parts.items() for k in keys]
        for key in self.keys():
            current = self.range_of(key)
            classes = self._classes(current)
            if merge:
                classes = self._merge(key, classes)
            v = self.true(key)
            chosen = next(c for c in classes if c.lo <= v <= c.hi)
            if chosen.hi >= UNBOUNDED and chosen.value:  # far above: the count's own step
                lo, hi = rounds_to(round_half_up(v, self.rules.base), self.rules.base)
                chosen = Label(round_half_up(v, self.rules.base), max(lo, chosen.lo), hi)
            self.labels[key] = chosen
            self._set(key, (chosen.lo, chosen.hi))
            self._retire()

    def _retire(self) -> None:
        """Stop checking sums and records that can no longer be 1 to the threshold: what is
        known of a count only grows, so once its least value is above the threshold (or
        its greatest is 0) it stays so."""
        t = self.rules.threshold
        js, ft, rs, sl, sh = self._ranges()
        self._live = [(path, m) for path, m in self._live
                      if (r := self._subset(path, m, js, ft, rs, sl, sh))[0] <= t
                      and r[1] >= 1]
        self._live_records = [i for i in self._live_records
                              if rs[i][0] <= t and rs[i][1] >= 1]
        live = []
        for i, b, k in self._live_atoms:
            r = self._atom(rs[i], self.know_a[i][b], k)
            if r[0] <= t and r[1] >= 1:
                live.append((i, b, k))
        self._live_atoms = live

    # --- classes ---------------------------------------------------------------------------

    def _classes(self, current: Range) -> list[Label]:
        t, base = self.rules.threshold, self.rules.base
        lo, hi = current
        out: list[Label] = []
        if lo == 0:
            out.append(Label(0, 0, 0))
        if max(lo, 1) <= min(hi, t):
            out.append(Label(None, max(lo, 1), min(hi, t)))
        v = max(lo, t + 1)
        while v <= hi:
            shown = round_half_up(v, base)
            top = min(rounds_to(shown, base)[1], hi)
            if hi >= UNBOUNDED and v > self._cap():
                top = hi  # far above every bound of the block: one class, never checked
                out.append(Label(shown, v, top))
                break
            out.append(Label(shown, v, top))
            v = top + 1
        return out

    def _cap(self) -> int:
        """Above this no class of any count can narrow another: every finite bound of the
        block, plus room."""
        bounds = [self.know_t[1], *(h for _, h in self.know_r),
                  *(h for parts in self.know_a for keys in parts.values()
                    for _, h in keys.values())]
        finite = [b for b in bounds if b < UNBOUNDED]
        return sum(finite) + 2 * (self.rules.base + self.rules.threshold)

    def _merge(self, key: Key, classes: list[Label]) -> list[Label]:
        """Merge classes that would give a count away until none does (at worst into one
        class, which tells nothing new)."""
        checked: dict[Range, bool] = {}

        def safe(c: Label) -> bool:
            span = (c.lo, c.hi)
            if span not in checked:
                if c.hi >= UNBOUNDED and c.lo > self._cap():
                    checked[span] = True
                else:
                    saved = self._get(key)
                    self._set(key, span)
                    checked[span] = self.safe()
                    self._put(key, saved)
            return checked[span]

        if len(classes) == 1:
            return classes  # its class is known already: showing it tells nothing new
        while len(classes) > 1:
            bad = self._first_unsafe(classes, safe)
            if bad is None:
                break
            classes = self._join(classes, bad)
        if len(classes) == 1:  # everything merged: it is not published at all
            only = classes[0]
            classes = [Label(None, only.lo, only.hi)]
        return classes

    #: Classes are checked from each end inwards until this many in a row are safe: what
    #: one class tells shrinks the other counts' ranges most at the ends of its own range
    #: (where the rest of its total is least free), so the middle ones are safe too.
    RUN = 3

    def _first_unsafe(self, classes: list[Label], safe: Callable[[Label], bool]) -> int | None:
        n = len(classes)
        order: list[int] = []
        for direction in (range(n), range(n - 1, -1, -1)):
            run = 0
            for i in direction:
                if i in order:
                    break
                order.append(i)
                run = run + 1 if safe(classes[i]) else 0
                if run >= self.RUN:
                    break
        unsafe = [i for i in order if not safe(classes[i])]
        return min(unsafe) if unsafe else None

    def _join(self, classes: list[Label], i: int) -> list[Label]:
        """Merge class ``i`` with the neighbour that keeps labels honest: into 'c' when it
        touches 'c' or 0, else with the class below it (the one above when it is the
        lowest); a merged class of numbers shows the rounded middle of its values, and
        one wider than three steps of rounding becomes 'c' with everything below it."""
        base = self.rules.base
        c = classes[i]
        low = {j for j, x in enumerate(classes) if x.value is None or x.hi == 0}
        j = i - 1 if i > 0 else i + 1
        if c.value is None or c.hi == 0:  # 'c' or 0 unsafe: grow 'c' upwards (0 first)
            j = i - 1 if i > 0 and classes[i - 1].hi == 0 else i + 1
        a, b = min(i, j), max(i, j)
        lo, hi = classes[a].lo, classes[b].hi
        if a in low or b in low:
            merged = Label(None, lo, hi)
        elif hi - lo + 1 > 3 * base or hi >= UNBOUNDED:
            # too wide to show as one rounded number: 'c', with every class below it
            start = next((k for k in sorted(low) if k < a), a)
            lo, a = classes[start].lo, start
            merged = Label(None, lo, hi)
        else:
            merged = Label(round_half_up((lo + hi) // 2, base), lo, hi)
        return [*classes[:a], merged, *classes[b + 1:]]

    # --- knowledge -------------------------------------------------------------------------

    def _get(self, key: Key) -> Range:
        if key[0] == "T":
            return self.know_t
        if key[0] == "r":
            return self.know_r[key[1]]
        return self.know_a[key[1]][key[2]][key[3]]

    def _put(self, key: Key, span: Range) -> None:
        if key[0] == "T":
            self.know_t = span
        elif key[0] == "r":
            self.know_r[key[1]] = span
        else:
            self.know_a[key[1]][key[2]][key[3]] = span

    def _set(self, key: Key, span: Range) -> None:
        old = self._get(key)
        self._put(key, (max(old[0], span[0]), min(old[1], span[1])))

    def _ranges(self) -> tuple[list[Range], Range, list[Range], int, int]:
        """Per record the values its knowledge allows (J), the block total's range, each
        record's range, and the sums of the J ends."""
        js: list[Range] = []
        for i, (lo, hi) in enumerate(self.know_r):
            for keys in self.know_a[i].values():
                slo = shi = 0
                for a, b in keys.values():
                    slo += a
                    shi += b
                lo, hi = max(lo, slo), min(hi, shi)
            js.append((lo, hi))
        sl = sum(j[0] for j in js)
        sh = sum(j[1] for j in js)
        ft = (max(self.know_t[0], sl), min(self.know_t[1], sh))
        rs = [(max(lo, ft[0] - (sh - hi)), min(hi, ft[1] - (sl - lo))) for lo, hi in js]
        return js, ft, rs, sl, sh

    def range_of(self, key: Key) -> Range:
        js, ft, rs, sl, sh = self._ranges()
        if key[0] == "T":
            return ft
        if key[0] == "r":
            return rs[key[1]]
        i, b, k = key[1], key[2], key[3]
        return self._atom(rs[i], self.know_a[i][b], k)

    @staticmethod
    def _atom(r: Range, keys: dict[str, Range], k: str) -> Range:
        lo, hi = keys[k]
        lb = sum(x[0] for x in keys.values())
        hb = sum(x[1] for x in keys.values())
        return max(lo, r[0] - (hb - hi)), min(hi, r[1] - (lb - lo))

    def _subset(self, path: Path, s: tuple[int, ...], js: list[Range], ft: Range,
                rs: list[Range], sl: int, sh: int) -> Range:
        if path == TOTAL:
            a = sum(js[i][0] for i in s)
            b = sum(js[i][1] for i in s)
            return max(a, ft[0] - (sh - b)), min(b, ft[1] - (sl - a))
        bd, key = path
        if any(bd not in self.know_a[i] or key not in self.know_a[i][bd] for i in s):
            return 0, INF  # a breakdown that does not add up: nothing is known of it
        a = sum(js[i][0] for i in s)
        b = sum(js[i][1] for i in s)
        low = room = high = flat = 0
        for i in s:
            keys = self.know_a[i][bd]
            al, ah = keys[key]
            others_hi = sum(x[1] for x in keys.values()) - ah
            others_lo = sum(x[0] for x in keys.values()) - al
            jl, jh = js[i]
            low += max(al, jl - others_hi)
            room += min(max(al + others_hi - jl, 0), jh - jl)
            high += min(ah, jh - others_lo)
            flat += min(max(jh - max(jl, ah + others_lo), 0), jh - jl)
        deficit = ft[0] - a - (sh - b)
        if deficit > 0:
            low += max(0, deficit - room)
        surplus = b + (sl - a) - ft[1]
        if surplus > 0:
            high -= max(0, surplus - flat)
        return low, high

    def unsafe_ranges(self) -> list[tuple[str, Range]]:
        """Every count of the block that could be 1 to the threshold and has fewer than
        ``threshold`` possible values, given what is published: what it is, and its range."""
        t = self.rules.threshold
        js, ft, rs, sl, sh = self._ranges()
        out: list[tuple[str, Range]] = []

        def check(what: str, r: Range) -> None:
            if r[0] <= t and r[1] >= 1 and r[1] - r[0] + 1 < t:
                out.append((what, r))

        if len(self.records) > 1:
            check("total", ft)
        for i, r in enumerate(rs):
            check(self.records[i].rid, r)
            for b, keys in self.know_a[i].items():
                for k in keys:
                    check(f"{self.records[i].rid} {b} {k}", self._atom(r, keys, k))
        for path, s in self.sums:
            check(f"{path} of {len(s)} records", self._subset(path, s, js, ft, rs, sl, sh))
        return out

    def safe(self) -> bool:
        t = self.rules.threshold
        js, ft, rs, sl, sh = self._ranges()

        def bad(r: Range) -> bool:
            return r[0] <= t and r[1] >= 1 and r[1] - r[0] + 1 < t

        if bad(ft):
            return False
        planning = bool(self.labels)
        for i in (self._live_records if planning else range(len(rs))):
            if bad(rs[i]):
                return False
        atoms = self._live_atoms if planning else [
            (i, b, k) for i in range(len(rs)) for b, keys in self.know_a[i].items()
            for k in keys]
        sums: dict[tuple[int, str], Range] = {}
        for i, b, k in atoms:
            keys = self.know_a[i][b]
            if (i, b) not in sums:
                sums[(i, b)] = (sum(x[0] for x in keys.values()),
                                sum(x[1] for x in keys.values()))
            lb, hb = sums[(i, b)]
            lo, hi = keys[k]
            r = rs[i]
            if bad((max(lo, r[0] - (hb - hi)), min(hi, r[1] - (lb - lo)))):
                return False
        return not any(bad(self._subset(path, s, js, ft, rs, sl, sh))
                       for path, s in (self._live if self.labels else self.sums))
