"""Toponym resolution: pick what each place name in a parsed document means.

Finding is :mod:`claimtrace.places.find`. Ranking. Each candidate's score adds its population
(log), its feature (country > region >
division > town for a bare name; divisions first when the mention says "region", "oblast" …),
how its name matched (own name, alternate name, romanisation variant) and the evidence of the
text: a place named right after it ("Kuschevka in Krasnodar region", "Edmonton, south of
Cairns"), the countries (the dominant one counting more) and divisions the article's *other*
names point to, the divisions its other places lie in, and closeness to the article's other
places — or to any candidate of another ambiguous name ("Edmonton" and "Enfield" are both in
north London). Every occurrence of one name in an article gets one sense: scores add up over the
occurrences. The margin between the best two scores becomes the confidence; a weak or small
match with no evidence, far from everything else the article names, stays unresolved.

Role. The preposition before the mention: from → origin; to / towards / into → destination;
in / at / near → site; through / via / across → transit.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import Final

from spacy.tokens import Doc

from claimtrace.places.find import LINK_WORDS, ROLES, Mention, find_mentions
from claimtrace.places.gazetteer import (
    ALTERNATE,
    FORM,
    NAME,
    STEM,
    Candidate,
    Gazetteer,
    distance_km,
)
from claimtrace.places.names import name_key, sound_key

__all__ = ["Mention", "Resolution", "find_mentions", "resolve_mentions"]


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a mention was resolved to (``place`` None when nothing in the gazetteer fits)."""

    mention: Mention
    place: Candidate | None
    confidence: float
    role: str | None
    evidence: tuple[str, ...]


# ---------------------------------------------------------------------------------- resolution

_FEATURE_PRIOR: Final = {
    "country": 2.5,
    "admin1": 1.0,
    "other": 1.5,
    "natural": 1.0,
    "admin2": -1.0,
    "populated_place": 0.0,
}
_KIND_PRIOR: Final = {NAME: 0.0, ALTERNATE: -0.5, FORM: 0.0, STEM: -3.0, 4: -1.5, 5: -2.5}
#: A place named right after another ("Edmonton, south of Cairns") within this is its anchor.
_ANCHOR_KM: Final = 150.0
#: Proximity to the article's other places: close (same town or county) and regional.
_CLOSE_KM: Final = 50.0
_REGIONAL_KM: Final = 250.0
#: Farther than this from every other place the article names, a weak match is not trusted.
_FAR_KM: Final = 1500.0
_SMALL_POPULATION: Final = 200_000
#: A country's capital by its own or alternate name: what news means by a bare "Paris",
#: "Havana" or "Washington" unless the text says otherwise.
_CAPITAL_PRIOR: Final = 2.5
#: Evidence specific enough to overrule the capital prior for another sense of the name
#: ("London" near St. Thomas is London, Ontario).
_SPECIFIC: Final = ("context:in:", "context:near", "context:division:", "context:members:")
#: More for the capital when the article names that country's government ("Congress").
_SEAT_PRIOR: Final = 2.0
#: A small town named like a country or first-level division ("Vermont", Wisconsin; "Jordan",
#: Minnesota) is rarely what a bare name means: only the text's own evidence makes it so.
_NAMESAKE_PENALTY: Final = 3.0
_NAMESAKE_POPULATION: Final = 100_000
#: Confidence caps: a sense with no GeoNames id (a hand-entered region), and a name matched
#: only in part ("Southern California" as California, "the Sava valley" as a region).
_IDLESS_CAP: Final = 0.6
#: For a natural feature when the name follows "the" ("crossed the Dnipro", "in the Pacific").
_ARTICLE_BONUS: Final = 6.0
_PARTIAL_CAP: Final = 0.6


@cache
def _seat_cues() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """``data/seats.tsv`` by first word: the words of each cue and its country."""
    text = (resources.files("claimtrace.places") / "data" / "seats.tsv").read_text("utf-8")
    cues: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cue, country = line.split("\t")[:2]
        words = tuple(cue.split())
        cues.setdefault(words[0], []).append((words, country.strip()))
    return cues


def seat_countries(doc: Doc) -> set[str]:
    """Countries whose national government the text names ("White House", "Kremlin")."""
    cues = _seat_cues()
    texts = [token.text for token in doc]
    found: set[str] = set()
    for i, text in enumerate(texts):
        for words, country in cues.get(text, ()):
            if tuple(texts[i : i + len(words)]) == words:
                found.add(country)
    return found


def _fuzzy(mention: Mention, gazetteer: Gazetteer) -> list[Candidate]:
    """Romanisation variants (Snezhnoye → Snizhne), kept only when the spelling is close."""
    key = name_key(mention.text)
    if len(key) < 4:
        return []
    found = []
    for candidate in gazetteer.sounds_like(mention.text):
        if SequenceMatcher(None, key, name_key(candidate.name)).ratio() >= 0.6:
            found.append(candidate)
    return found


@dataclass(slots=True)
class _Context:
    """What the article's *other* names say: countries, divisions, and where its places lie.

    Built from a first, context-free pass, once per distinct name with that name's own
    occurrences left out: a name repeated ten times is no evidence for itself.
    """

    countries: Counter[str] = field(default_factory=Counter)
    divisions: Counter[str] = field(default_factory=Counter)
    members: Counter[str] = field(default_factory=Counter)
    points: list[tuple[float, float]] = field(default_factory=list)
    places: list[tuple[float, float]] = field(default_factory=list)
    key: str = ""
    grid: dict[tuple[int, int], list[tuple[float, float, str]]] = field(default_factory=dict)
    #: countries whose government the text names (``data/seats.tsv``)
    seats: set[str] = field(default_factory=set)

    @property
    def dominant(self) -> str | None:
        """The country the article is mostly about: named at least twice, more than any other."""
        top = self.countries.most_common(2)
        if not top or top[0][1] < 2 or (len(top) > 1 and top[1][1] == top[0][1]):
            return None
        return top[0][0]

    def close_to_another_name(self, candidate: Candidate) -> bool:
        """True when some *other* name's candidate lies within the close range: two ambiguous
        names that can be neighbours ("Edmonton" and "Enfield", both in north London)
        most likely are."""
        if candidate.lat is None or candidate.lon is None:
            return False
        row, col = _cell(candidate.lat, candidate.lon)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for lat, lon, key in self.grid.get((row + dr, col + dc), ()):
                    if key != self.key and (
                        distance_km(candidate.lat, candidate.lon, lat, lon) <= _CLOSE_KM
                    ):
                        return True
        return False


def _cell(lat: float, lon: float) -> tuple[int, int]:
    """A grid cell about 55 km high, so neighbours within 50 km are in the 3×3 around it."""
    return math.floor(lat * 2), math.floor(lon * 2 * math.cos(math.radians(lat)))


def _grid(
    mentions: list[Mention], keys: list[str]
) -> dict[tuple[int, int], list[tuple[float, float, str]]]:
    grid: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
    seen: set[tuple[str, int]] = set()
    for mention, key in zip(mentions, keys, strict=True):
        for c in mention.candidates:
            if (
                c.lat is None
                or c.lon is None
                or c.kind > FORM
                or c.feature not in ("populated_place", "admin2")
                or (key, c.id) in seen
            ):
                continue
            seen.add((key, c.id))
            grid.setdefault(_cell(c.lat, c.lon), []).append((c.lat, c.lon, key))
    return grid


def _context_for(key: str, picks: list[tuple[str, Candidate | None]]) -> _Context:
    context = _Context()
    for other_key, place in picks:
        if place is None or other_key == key or _weak(place):
            continue  # a coincidence of spelling is no evidence about the article
        if place.country_code:
            context.countries[place.country_code] += 1
        if place.feature == "admin1" and place.admin1_code:
            context.divisions[place.admin1_code] += 1
        elif place.admin1_code:
            context.members[place.admin1_code] += 1
        if place.lat is not None and place.lon is not None:
            context.places.append((place.lat, place.lon))
            if place.feature in ("populated_place", "admin2"):
                context.points.append((place.lat, place.lon))
    return context


def _nearest_km(candidate: Candidate, points: list[tuple[float, float]]) -> float | None:
    if candidate.lat is None or candidate.lon is None or not points:
        return None
    return min(distance_km(candidate.lat, candidate.lon, lat, lon) for lat, lon in points)


def _bare_name_is_the_town(mention: Mention, candidate: Candidate) -> bool:
    """A bare "Donetsk" is the city, not the oblast named after it ("Donetsk region").

    Only for a sizeable town *inside* the division, or a city bigger than half the division
    ("Kiev" is the capital, not Kyiv Oblast around it): "Quebec" is the province (its capital
    holds a small share of it), and neither Bozeman (which also answers to "Missouri") nor the
    town of California, Maryland is a reason to read a state's name as anything but the state.
    """
    if candidate.feature not in ("admin1", "admin2"):
        return False
    least = max(10_000, candidate.population // 10)
    for other in mention.candidates:
        if other.feature != "populated_place" or other.country_code != candidate.country_code:
            continue
        inside = other.kind == NAME and other.admin1_code == candidate.admin1_code
        if inside and other.population >= least:
            return True
        if other.kind <= FORM and other.population >= max(100_000, candidate.population // 2):
            return True
    return False


def _namesake(mention: Mention, candidate: Candidate) -> bool:
    """A small town that shares its name with a country or division among the candidates."""
    if candidate.feature != "populated_place" or candidate.capital:
        return False
    if candidate.population >= _NAMESAKE_POPULATION:
        return False
    return any(
        other.kind == NAME
        and other.feature in ("country", "admin1")
        and other.population >= 50 * max(candidate.population, 1)
        for other in mention.candidates
    )


def _score(
    mention: Mention, candidate: Candidate, context: _Context, local: list[Candidate]
) -> tuple[float, list[str]]:
    evidence: list[str] = []
    population = candidate.population or (10_000 if candidate.feature == "admin2" else 0)
    score = math.log10(population + 10)
    score += _FEATURE_PRIOR.get(candidate.feature, 0.0)
    score += _KIND_PRIOR.get(candidate.kind, 0.0)
    if candidate.capital and candidate.kind <= ALTERNATE:
        score += _CAPITAL_PRIOR
        evidence.append("prior:capital")
        if candidate.country_code in context.seats:
            score += _SEAT_PRIOR
            evidence.append(f"context:seat:{candidate.country_code}")
    if _namesake(mention, candidate):
        score -= _NAMESAKE_PENALTY
    if candidate.feature == "natural" and mention.determiner:
        score += _ARTICLE_BONUS  # "the Dnipro" is the river; the city takes no article
        evidence.append("text:article")
    if mention.has_region_word:
        score += 4.0 if candidate.feature in ("admin1", "admin2") else -4.0
    elif _bare_name_is_the_town(mention, candidate):
        score -= 2.5
    if (
        candidate.kind == ALTERNATE
        and candidate.feature == "populated_place"
        and any(
            c.kind == NAME
            and (c.feature == "country" or c.population >= 10 * max(candidate.population, 1))
            for c in mention.candidates
        )
    ):
        # "Chile" is the country, and "Cleveland" the city of that name, not a town that also
        # answers to it (Saraland, Alabama, once called Cleveland)
        score -= 2.0
    cc, division = candidate.country_code, candidate.admin1_code
    for container in local:
        if container.id == candidate.id:
            continue
        if container.feature == "admin1" and division == container.admin1_code:
            score += 6.0
            evidence.append(f"context:in:{container.name}")
            break
        if container.feature == "country" and cc == container.country_code:
            score += 3.0
            evidence.append(f"context:in:{container.name}")
            break
        if container.feature == "other" and cc and cc == container.country_code:
            score += 2.0
            evidence.append(f"context:in:{container.name}")
            break
        if container.feature in ("populated_place", "admin2"):
            near = _nearest_km(candidate, [(container.lat or 0.0, container.lon or 0.0)])
            if container.lat is not None and near is not None and near <= _ANCHOR_KM:
                score += 4.0
                evidence.append(f"context:near:{container.name}")
                break
    if cc and context.countries[cc] > 0:
        score += 2.0
        evidence.append(f"context:country:{cc}")
        if cc == context.dominant:
            score += 1.0
    in_division = (
        candidate.feature not in ("country", "admin1")
        and division is not None
        and context.divisions[division] > 0
    )
    if in_division:
        score += 3.0
        evidence.append(f"context:division:{division}")
    if candidate.feature == "admin1" and division and context.members[division] > 0:
        score += 2.0  # "Ontario" in an article about Toronto and Ottawa
        evidence.append(f"context:members:{division}")
    if candidate.feature in ("populated_place", "admin2"):
        near = _nearest_km(candidate, context.points)
        bonus = 0.0
        if near is not None and near <= _CLOSE_KM:
            bonus = 2.5
        elif near is not None and near <= _REGIONAL_KM:
            bonus = 1.5
        if not bonus and candidate.kind <= FORM and context.close_to_another_name(candidate):
            bonus = 1.5
        if bonus:
            score += bonus / 2 if in_division else bonus
            evidence.append("context:near")
    return score, evidence


def _local_containers(
    mentions: list[Mention], doc: Doc, index: int, best: list[Candidate | None]
) -> list[Candidate]:
    """The place named right after mention ``index`` as its container ("X in Y", "X, Y")."""
    mention = mentions[index]
    if index + 1 >= len(mentions):
        return []
    following = mentions[index + 1]
    between = doc[mention.token_end : following.token_start]
    if len(between) > 8 or not all(t.lower_ in LINK_WORDS or t.is_space for t in between):
        return []
    if len(between) == 0:
        return []
    container = best[index + 1]
    found = [container] if container is not None else []
    found.extend(c for c in following.candidates if c.feature in ("admin1", "country"))
    return found


def _scored(
    mention: Mention, context: _Context, local: list[Candidate]
) -> dict[int, tuple[float, list[str], Candidate]]:
    table = {c.id: (*_score(mention, c, context, local), c) for c in mention.candidates}
    capitals = [score for score, found, _ in table.values() if "prior:capital" in found]
    if not capitals:
        return table
    # the capital prior is a default: another sense the text itself points to, and that would
    # win without the prior, wins ("London" beside St. Thomas is London, Ontario)
    bar = max(capitals) - _CAPITAL_PRIOR
    overruled = any(
        not c.capital and score >= bar and any(e.startswith(_SPECIFIC) for e in found)
        for score, found, c in table.values()
    )
    if overruled:
        for place_id, (score, found, c) in table.items():
            if "prior:capital" in found:
                table[place_id] = (score - _CAPITAL_PRIOR, found, c)
    return table


def _pick(
    mention: Mention, context: _Context, local: list[Candidate]
) -> tuple[Candidate | None, float, list[str]]:
    if not mention.candidates:
        return None, 0.0, []
    return _choose([_scored(mention, context, local)], [mention])[:3]


def _weak(place: Candidate) -> bool:
    """A match that could easily be a coincidence of spelling: a romanisation variant, a
    division's bare stem, or a small place's alternate name."""
    if place.kind >= 4 or place.kind == STEM:
        return True
    return place.kind == ALTERNATE and place.population < _SMALL_POPULATION


def _choose(
    tables: list[dict[int, tuple[float, list[str], Candidate]]], mentions: list[Mention]
) -> tuple[Candidate | None, float, list[str], float]:
    """The best candidate over every occurrence of one name (one sense per article).

    Scores add up over the occurrences, so local evidence at any of them counts for all;
    the margin per occurrence over the runner-up becomes the confidence.
    """
    totals: dict[int, float] = {}
    evidence: dict[int, list[str]] = {}
    places: dict[int, Candidate] = {}
    for table in tables:
        for place_id, (score, found, candidate) in table.items():
            totals[place_id] = totals.get(place_id, 0.0) + score
            evidence.setdefault(place_id, [])
            evidence[place_id].extend(e for e in found if e not in evidence[place_id])
            places[place_id] = candidate
    if not totals:
        return None, 0.0, [], 0.0
    ranked = sorted(
        totals,
        key=lambda i: (-totals[i], places[i].kind, -places[i].population, i),
    )
    best = places[ranked[0]]
    count = max(1, len(tables))
    runner_up = totals[ranked[1]] if len(ranked) > 1 else totals[ranked[0]] - 6.0 * count
    margin = max(0.0, totals[ranked[0]] - runner_up) / count
    confidence = 0.5 + 0.45 * (1.0 - math.exp(-margin / 2.0))
    confidence *= _support(best, evidence[ranked[0]])
    if any(m.fuzzy for m in mentions):
        confidence *= 0.75
    if best.kind == 5:
        confidence *= 0.7
    if best.geonames_id is None:
        confidence = min(confidence, _IDLESS_CAP)
    if any(m.partial for m in mentions):
        confidence = min(confidence, _PARTIAL_CAP)
    return best, round(min(confidence, 0.98), 3), evidence[ranked[0]], totals[ranked[0]] / count


def _support(place: Candidate, evidence: list[str]) -> float:
    """How much the margin can be trusted: a well-known sense by its own name, with evidence
    from the text, keeps it all; a lone small town by an alternate name keeps 60%."""
    support = 0.6
    if (
        place.feature in ("country", "admin1")
        or place.capital
        or place.population >= _NAMESAKE_POPULATION
    ):
        support += 0.2
    if place.kind in (NAME, FORM):
        support += 0.1
    if any(e.startswith("context:") for e in evidence):
        support += 0.15
    return min(1.0, support)


def _role(doc: Doc, mention: Mention) -> str | None:
    k = mention.token_start - 1
    skipped = 0
    while k >= 0 and skipped < 3:
        token = doc[k]
        if token.is_space:
            k -= 1
            continue
        lower = token.lower_
        if lower in ROLES:
            return ROLES[lower]
        if lower in ("the", "a", "an") or token.pos_ == "ADJ" or lower in LINK_WORDS:
            k -= 1
            skipped += 1
            continue
        break
    return None


def _untrusted(place: Candidate, evidence: list[str], context: _Context) -> bool:
    """A weak or small match with nothing in the text for it, far from all the article's
    other places ("the Sava valley" in a Bosnian story is not Madagascar's Sava region)."""
    if place.feature == "country" or evidence or not context.places:
        return False
    if place.feature == "natural" and place.kind <= ALTERNATE:
        return False  # a sea or a river is often far from the towns an article names
    if not (_weak(place) or place.population < _SMALL_POPULATION):
        return False
    nearest = _nearest_km(place, context.places)
    return nearest is None or nearest > _FAR_KM


def resolve_mentions(doc: Doc, mentions: list[Mention], gazetteer: Gazetteer) -> list[Resolution]:
    """Pick a place for every mention, using the document's other places as evidence."""
    for mention in mentions:
        start = mention.token_start
        mention.determiner = start > 0 and doc[start - 1].lower_ == "the"
        if not mention.candidates and mention.from_model:
            mention.candidates = _fuzzy(mention, gazetteer)
            mention.fuzzy = bool(mention.candidates)

    # first pass, without context: what the unambiguous names tell about the article
    empty = _Context()
    first = [_pick(m, empty, [])[0] for m in mentions]
    keys = [name_key(m.text) for m in mentions]

    # short colloquial forms, tried only inside a division the text names next to them
    for index, mention in enumerate(mentions):
        if not mention.from_model or (mention.candidates and not mention.fuzzy):
            continue
        for container in _local_containers(mentions, doc, index, first):
            if container.feature == "admin1" and container.admin1_code:
                length = max(5, len(sound_key(mention.text)) * 2 // 3)
                unique = {c.id: c for c in mention.candidates}
                for candidate in gazetteer.sounds_like_prefix(
                    mention.text, container.admin1_code, length
                ):
                    unique.setdefault(candidate.id, candidate)
                mention.candidates = list(unique.values())
                mention.fuzzy = bool(mention.candidates)
                break

    picks = list(zip(keys, first, strict=True))
    contexts: dict[str, _Context] = {}
    groups: dict[tuple[str, tuple[int, ...]], list[int]] = {}
    for index, mention in enumerate(mentions):
        ids = tuple(sorted(c.id for c in mention.candidates))
        groups.setdefault((keys[index], ids), []).append(index)

    grid = _grid(mentions, keys)
    seats = seat_countries(doc)
    chosen: dict[int, tuple[Candidate | None, float, list[str]]] = {}
    for (key, _), members in groups.items():
        if key not in contexts:
            contexts[key] = _context_for(key, picks)
            contexts[key].key = key
            contexts[key].grid = grid
            contexts[key].seats = seats
        context = contexts[key]
        tables = [
            _scored(mentions[i], context, _local_containers(mentions, doc, i, first))
            for i in members
        ]
        place, confidence, evidence, _ = _choose(tables, [mentions[i] for i in members])
        if place is not None and _untrusted(place, evidence, context):
            place, confidence, evidence = None, 0.15, ["gazetteer:untrusted"]
        for i in members:
            chosen[i] = (place, confidence, evidence)

    resolutions = []
    for index, mention in enumerate(mentions):
        place, confidence, evidence = chosen[index]
        role = _role(doc, mention)
        if place is None:
            reason = tuple(evidence) if evidence else ("gazetteer:none",)
            resolutions.append(
                Resolution(mention, None, min(confidence, 0.15) or 0.1, role, reason)
            )
            continue
        how = "fuzzy" if mention.fuzzy else "exact"
        resolutions.append(
            Resolution(mention, place, confidence, role, (f"gazetteer:{how}", *evidence))
        )
    return resolutions
