"""Rule matching cost per event with 1, 100, 1,000 and 10,000 rules.

    .venv/bin/python bench/bench_rules.py [--events 2000] [--repeat 5]

The 1-rule set is the shipped flagship rule (with the shipped lists and macros). Larger sets add generated
rules of the shapes real watch lists have: strikes on a named town, anything in a named region, fire into a
country, a killed threshold in a country, phrases about a named group. Events are a fixed mix (Golan,
Damascus, towns some generated rules watch, other countries), the same for every size. Prints time per event and the ratio to the 1-rule set; the
target is a ratio ≤ 1.5 at 10,000 rules, which the index (location/region/country/type) makes possible.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from detectors.rules import load_sources  # noqa: E402
from detectors.types import TYPE_FAMILY, Event, Location, Trigger  # noqa: E402

SHIPPED = [(str(p), p.read_text(encoding="utf-8")) for p in sorted((ROOT / "rules").glob("*.yaml"))
           if p.name in ("common.yaml", "golan.yaml")]
COUNTRIES = [f"{a}{b}{c}" for a in "ABCDEFGH" for b in "QRSTUV" for c in "XYZ"]  # 144 synthetic ISO3 codes
TYPES = sorted(TYPE_FAMILY)


def generated(n: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        shape = i % 5
        t = rnd.choice(TYPES)
        if shape == 0:
            cond = f"{{all: [{{type: {t}}}, {{location: Town{i}}}]}}"
        elif shape == 1:
            cond = f"{{all: [{{region: region_{i}}}, {{polarity: asserted}}]}}"
        elif shape == 2:
            cond = f"{{all: [{{impact_country: {rnd.choice(COUNTRIES)}}}, {{location: [Village{i}, قرية{i}]}}]}}"
        elif shape == 3:
            cond = f"{{all: [{{location: District{i}}}, {{min_killed: {rnd.randint(1, 50)}}}]}}"
        else:
            cond = f"{{all: [{{region: zone_{i}}}, {{phrase: [group{i}, جماعة{i}]}}]}}"
        out.append(f"- rule: gen-{i}\n  condition: {cond}\n  threshold: 0.1\n")
    return "".join(out)


def events(n: int, n_rules: int, seed: int = 11) -> list[Event]:
    rnd = random.Random(seed)
    golan = Location("Golan Heights", "ISR", 33.0, 35.76, ["golan_heights"])
    damascus = Location("Damascus", "SYR", 33.51, 36.29, [])
    out = []
    for i in range(n):
        k = i % 4
        if k == 0:
            locs, o, im = [golan], "SYR", "ISR"
        elif k == 1:
            locs, o, im = [damascus], "ISR", "SYR"
        elif k == 2:
            j = rnd.randrange(max(1, n_rules))
            locs, o, im = [Location(f"Town{j}", "SYR", None, None, [f"region_{j}"])], None, "SYR"
        else:
            locs, o, im = [Location(f"Village{rnd.randrange(10**6)}", rnd.choice(COUNTRIES))], None, \
                rnd.choice(COUNTRIES)
        t = rnd.choice(["shelling_artillery_missile_attack", "air_drone_strike", "armed_clash", rnd.choice(TYPES)])
        s = "A shell fired from Syria landed in the Golan Heights, witnesses said of group12 fighters."
        out.append(Event(id=f"e{i}", article_id=f"a{i}", lang="en", family=TYPE_FAMILY[t], type=t, sentence=s,
                         trigger=Trigger("shell", 2, 7), locations=locs, origin_country=o, impact_country=im,
                         cross_border=o is not None, date="2020-01-01", killed=rnd.choice([None, 0, 3, 12]),
                         confidence=0.8))
    return out


def one_pass_us(rs, evs: list[Event]) -> float:  # type: ignore[no-untyped-def]
    incident = {"sources": 2, "killed": None}
    t0 = time.perf_counter()
    for e in evs:
        rs.match(e, incident)
    return (time.perf_counter() - t0) / len(evs) * 1e6


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    evs = events(args.events, 10000)  # one event stream for every size: the same news, more rules
    sizes = (1, 100, 1000, 10000)
    sets, load_s = {}, {}
    for n in sizes:
        t0 = time.perf_counter()
        sets[n] = load_sources(SHIPPED + ([("gen.yaml", generated(n - 1))] if n > 1 else []))
        load_s[n] = time.perf_counter() - t0
    # Interleave the sizes and keep each one's best pass, so load from other processes on the machine
    # does not land on one size only.
    best = {n: float("inf") for n in sizes}
    for _ in range(args.repeat):
        for n in sizes:
            best[n] = min(best[n], one_pass_us(sets[n], evs))
    print(f"{'rules':>7} {'load s':>8} {'µs/event':>9} {'ratio':>6} {'matches/event':>14}")
    for n in sizes:
        matches = sum(len(sets[n].match(e, {"sources": 2})) for e in evs) / len(evs)
        print(f"{len(sets[n]):>7} {load_s[n]:>8.2f} {best[n]:>9.1f} {best[n] / best[1]:>6.2f} {matches:>14.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
