"""Toponym detection and resolution on news with gold toponyms, the example article, and cost.

    python -m bench.places [--limit N] [--model NAME] [--corpus trnews|geovirus|news|all]

Corpora (measure only, GPL-3.0 as data; nothing derived from them ships): ``TR-News.xml`` (gold
phrases with GeoNames coordinates) and ``GeoVirus.xml`` (gold with Wikipedia coordinates) in
../shared/data/geo. A gold toponym is *found* when a predicted place mention overlaps it;
precision counts predicted mentions that overlap a gold toponym (with or without coordinates);
acc@161 is the share of found toponyms with predicted coordinates within 161 km of gold.
TR-News also marks adjectives ("Russian", "Turkish") as toponyms, which the output contract
treats as NORP, not places: recall is printed with and without them.

The news set (``bench/data/places_news.jsonl``, labelled for this project; see
``bench/data/README.md``): war reporting in the style of the example article and stretches of
PolNeAR's US political news, scored per split — ``tune`` (rules may be read against it) and
``held-out`` (never tuned on). In a PolNeAR row only the labelled stretch is scored, but the
whole article is parsed, so the rest of it is context, as in use.

Cost: gazetteer build time (a fresh build into a temporary folder), its size on disk, resident
memory added by opening it, and words/s of the language pipeline with and without the stage.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.tokens import Doc

from bench import SHARED
from claimtrace.nlp import load_pipeline
from claimtrace.places.gazetteer import distance_km, open_gazetteer
from claimtrace.records import DocumentRecord, Place
from claimtrace.stages import places as places_stage
from claimtrace.stages.context import StageContext

GEO = SHARED / "data" / "geo"
EXAMPLE = SHARED / "examples" / "women-prisoners-front-line.txt"
_DEMONYM = re.compile(r"(?:an|ans|ese|ish|ic|i|is)$")


@dataclass(frozen=True, slots=True)
class Gold:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None
    adjectival: bool


@dataclass(frozen=True, slots=True)
class Article:
    text: str
    gold: tuple[Gold, ...]
    #: the labelled stretch of ``text`` (None: all of it); predictions outside it are not scored
    window: tuple[int, int] | None = None
    split: str = ""


def _locate(text: str, phrase: str, start: int) -> int | None:
    """Where ``phrase`` really starts: TR-News offsets drift by a few characters in places."""
    if text[start : start + len(phrase)] == phrase:
        return start
    best: int | None = None
    for match in re.finditer(re.escape(phrase), text):
        if best is None or abs(match.start() - start) < abs(best - start):
            best = match.start()
    return best


def _float(node: ET.Element | None) -> float | None:
    return float(node.text) if node is not None and node.text else None


def _adjectival(phrase: str, name: str) -> bool:
    return phrase != name and bool(_DEMONYM.search(phrase)) and not phrase.isupper()


def load_trnews(path: Path) -> list[Article]:
    """TR-News articles with their gold toponyms (offsets repaired where they drift)."""
    articles = []
    for node in ET.parse(path).getroot().iter("article"):
        text = node.findtext("text") or ""
        gold = []
        for toponym in node.iter("toponym"):
            phrase = toponym.findtext("phrase") or ""
            start = _locate(text, phrase, int(toponym.findtext("start") or 0))
            if start is None or not phrase:
                continue
            tag = toponym.find("gaztag")
            lat = _float(tag.find("lat")) if tag is not None else None
            lon = _float(tag.find("lon")) if tag is not None else None
            name = tag.findtext("name") or "" if tag is not None else ""
            gold.append(
                Gold(start, start + len(phrase), phrase, lat, lon, _adjectival(phrase, name))
            )
        articles.append(Article(text, tuple(gold)))
    return articles


def load_geovirus(path: Path) -> list[Article]:
    """GeoVirus articles with their gold locations."""
    articles = []
    for node in ET.parse(path).getroot().iter("article"):
        text = node.findtext("text") or ""
        gold = []
        for location in node.iter("location"):
            phrase = location.findtext("name") or ""
            start = _locate(text, phrase, int(location.findtext("start") or 0))
            if start is None or not phrase:
                continue
            gold.append(
                Gold(
                    start,
                    start + len(phrase),
                    phrase,
                    _float(location.find("lat")),
                    _float(location.find("lon")),
                    False,
                )
            )
        articles.append(Article(text, tuple(gold)))
    return articles


NEWS = Path(__file__).parent / "data" / "places_news.jsonl"
POLNEAR = SHARED / "data" / "attribution" / "polnear"


def load_news(path: Path = NEWS, polnear: Path = POLNEAR) -> list[Article]:
    """The hand-labelled news set (``bench/data/places_news.jsonl``): war reporting written for
    it, and labelled stretches of PolNeAR articles, read in place (PolNeAR ships no licence, so
    the file holds references: the article's file and offsets). A PolNeAR row is skipped when
    the corpus is missing."""
    articles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "file" in row:
            source = polnear / row["file"]
            if not source.is_file():
                continue
            text = source.read_text(encoding="utf-8")
            window: tuple[int, int] | None = (int(row["window"][0]), int(row["window"][1]))
        else:
            text, window = row["text"], None
        gold = []
        for toponym in row["toponyms"]:
            start, end = int(toponym["start"]), int(toponym["end"])
            if text[start:end] != toponym["text"]:
                raise ValueError(f"{row['id']}: {toponym['text']!r} is not at {start}")
            gold.append(Gold(start, end, toponym["text"], toponym["lat"], toponym["lon"], False))
        articles.append(Article(text, tuple(gold), window, row["split"]))
    return articles


def _document(text: str) -> DocumentRecord:
    return DocumentRecord(id="0" * 64, text=text, input="bench", encoding="utf-8", raw_sha256="0")


def places_of(doc: Doc, text: str) -> tuple[Place, ...]:
    """The places stage's output for one parsed text."""
    return places_stage.run(doc, StageContext(document=_document(text))).places


@dataclass(slots=True)
class Scores:
    gold: int = 0
    gold_plain: int = 0
    found: int = 0
    found_plain: int = 0
    predicted: int = 0
    correct_predicted: int = 0
    resolved: int = 0
    within: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def recall_plain(self) -> float:
        return self.found_plain / self.gold_plain if self.gold_plain else 0.0

    @property
    def precision(self) -> float:
        return self.correct_predicted / self.predicted if self.predicted else 0.0

    @property
    def accuracy(self) -> float:
        return self.within / self.resolved if self.resolved else 0.0


def score_article(article: Article, predicted: Sequence[Place], scores: Scores) -> None:
    """Add one article's counts to ``scores``."""
    if article.window is not None:
        low, high = article.window
        predicted = [p for p in predicted if low <= p.mention.start < high]
    for place in predicted:
        scores.predicted += 1
        if any(g.start < place.mention.end and place.mention.start < g.end for g in article.gold):
            scores.correct_predicted += 1
        else:
            scores.extra.append(place.mention.text)
    for gold in article.gold:
        if gold.lat is None or gold.lon is None:
            continue
        scores.gold += 1
        scores.gold_plain += not gold.adjectival
        hits = [p for p in predicted if p.mention.start < gold.end and gold.start < p.mention.end]
        if not hits:
            scores.misses.append(gold.phrase)
            continue
        scores.found += 1
        scores.found_plain += not gold.adjectival
        place = hits[0]
        if place.lat is None or place.lon is None:
            continue
        scores.resolved += 1
        km = distance_km(place.lat, place.lon, gold.lat, gold.lon)
        if km <= 161:
            scores.within += 1
        else:
            scores.wrong.append(f"{gold.phrase} → {place.name} ({place.country_code}) {km:.0f} km")


def evaluate(articles: Sequence[Article], nlp: Language) -> tuple[Scores, float, float, int]:
    """Scores, parse seconds, stage seconds and words over ``articles``."""
    scores = Scores()
    texts = [a.text for a in articles]
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=8))
    parse_seconds = time.perf_counter() - start
    open_gazetteer()
    stage_seconds = 0.0
    for article, doc in zip(articles, docs, strict=True):
        start = time.perf_counter()
        predicted = places_of(doc, article.text)
        stage_seconds += time.perf_counter() - start
        score_article(article, predicted, scores)
    words = sum(len(t.split()) for t in texts)
    return scores, parse_seconds, stage_seconds, words


def check_example(nlp: Language) -> list[str]:
    """Problems with the example article's places against its ``.expected.yaml``."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("Â", "")
    expected = yaml.safe_load(EXAMPLE.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
    found = places_of(nlp(text), text)
    problems = []
    for mention, want in expected["places"].items():
        hits = [p for p in found if p.mention.text == mention]
        if not hits:
            problems.append(f"{mention}: not found")
            continue
        for place in hits:
            problems.extend(_differences(mention, place, want))
    return problems


def _differences(mention: str, place: Place, want: dict[str, object]) -> Iterator[str]:
    if "country_code" in want and place.country_code != want["country_code"]:
        yield f"{mention}: country {place.country_code} != {want['country_code']}"
    if "feature" in want and place.feature != want["feature"]:
        yield f"{mention}: feature {place.feature} != {want['feature']}"
    if "admin1_contains" in want and str(want["admin1_contains"]) not in (place.admin1 or ""):
        yield f"{mention}: admin1 {place.admin1} lacks {want['admin1_contains']}"
    accept = want.get("name_accept")
    if isinstance(accept, list) and place.name not in accept:
        yield f"{mention}: name {place.name} not in {accept}"
    if "lat" in want and "lon" in want:
        lat, lon = float(str(want["lat"])), float(str(want["lon"]))
        limit = float(str(want.get("within_km", 25)))
        if place.lat is None or place.lon is None:
            yield f"{mention}: no coordinates"
        elif distance_km(place.lat, place.lon, lat, lon) > limit:
            yield f"{mention}: {distance_km(place.lat, place.lon, lat, lon):.0f} km off"


def _resident_kib() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def bench_gazetteer() -> None:
    """Build time, size, and resident memory of opening and querying the gazetteer."""
    from claimtrace.places.gazetteer import Gazetteer, build

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gazetteer.sqlite3"
        start = time.perf_counter()
        build(path)
        built = time.perf_counter() - start
        size = path.stat().st_size / 2**20
        before = _resident_kib() if sys.platform.startswith("linux") else 0
        start = time.perf_counter()
        gazetteer = Gazetteer(path)
        for name in ("Kyiv", "Snezhnoye", "Edmonton", "Donetsk region", "London"):
            gazetteer.lookup(name)
        opened = time.perf_counter() - start
        after = _resident_kib() if sys.platform.startswith("linux") else 0
        places = gazetteer.meta("places")
        gazetteer.close()
    print(f"gazetteer: {places} places, built in {built:.1f} s, {size:.1f} MiB on disk")
    print(
        f"  open + 5 lookups: {opened * 1000:.1f} ms,"
        f" resident memory added {(after - before) / 1024:.1f} MiB"
    )


def _report(name: str, scores: Scores, parse: float, stage: float, words: int) -> None:
    print(f"{name}: {scores.gold} gold toponyms with coordinates")
    print(f"  recall {scores.recall:.3f}  (without adjectival gold: {scores.recall_plain:.3f})")
    print(f"  precision {scores.precision:.3f}  ({scores.correct_predicted}/{scores.predicted})")
    print(f"  acc@161 km {scores.accuracy:.3f}  ({scores.within}/{scores.resolved} resolved)")
    print(
        f"  words/s: parse only {words / parse:,.0f}, parse + places {words / (parse + stage):,.0f}"
        f"  (places = {100 * stage / parse:.1f}% of parse time)"
    )


def _common(items: Iterable[str], n: int = 15) -> str:
    from collections import Counter

    return ", ".join(f"{k} ×{v}" for k, v in Counter(items).most_common(n))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: embedded)")
    parser.add_argument("--corpus", choices=("trnews", "geovirus", "news", "all"), default="all")
    parser.add_argument("--errors", action="store_true", help="list the commonest misses")
    parser.add_argument("--no-build", action="store_true", help="skip the fresh build timing")
    args = parser.parse_args(argv)
    if not GEO.is_dir():
        print(f"needs {GEO} (the shared data folder beside the repository)", file=sys.stderr)
        return 2
    if not args.no_build:
        bench_gazetteer()
    nlp = load_pipeline(args.model)
    corpora = {"trnews": ("TR-News", load_trnews), "geovirus": ("GeoVirus", load_geovirus)}
    for key, (name, loader) in corpora.items():
        if args.corpus not in (key, "all"):
            continue
        articles = loader(GEO / f"{name}.xml")[: args.limit]
        scores, parse, stage, words = evaluate(articles, nlp)
        _report(name, scores, parse, stage, words)
        if args.errors:
            print(f"  missed: {_common(scores.misses)}")
            print(f"  wrong: {_common(scores.wrong)}")
            print(f"  extra: {_common(scores.extra)}")
    if args.corpus in ("news", "all"):
        news = load_news()
        for split in ("tune", "held-out", None):
            chosen = [a for a in news if split is None or a.split == split]
            scores, parse, stage, words = evaluate(chosen, nlp)
            _report(f"news ({split or 'all'})", scores, parse, stage, words)
            if args.errors and split is not None:
                print(f"  missed: {_common(scores.misses)}")
                print(f"  wrong: {_common(scores.wrong)}")
                print(f"  extra: {_common(scores.extra)}")
    if EXAMPLE.is_file():
        problems = check_example(nlp)
        print(f"example article: {'all places right' if not problems else '; '.join(problems)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
