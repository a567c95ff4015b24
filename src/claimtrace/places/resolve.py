"""Toponym resolution: find the place names in a parsed document and pick what each one means.

Finding. Two sources, merged: the language model's GPE and LOC entities, and capitalised word
sequences that are names in the gazetteer (the model's LOC recall is weak). A gazetteer-only
match must be a proper noun (when the pipeline tags), not a demonym (NORP or adjective, "Russian"),
not a piece of a longer person or organisation name, and — when it is only a small place — be
introduced like a place ("in", "from", "near" …), since "Mission" or "Over" are also words.

Also found: countries and divisions at the front of longer names ("U.S. Food and Drug
Administration", "Queensland Government"), before a hyphen ("U.S.-led"), after direction words
("Southern California"), and ambiguous state abbreviations after a place and a comma ("PARIS,
Mo."). Dropped: names the article gives a person ("Mr Paterson", a surname of a full name), unless
they are a big place. A name followed by a natural-feature word ("the Sava valley") names the
feature: it keeps only region candidates, so usually stays unresolved.

Ranking. Each candidate's score adds its population (log), its feature (country > region >
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
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Final

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimtrace.places.gazetteer import (
    ALTERNATE,
    FORM,
    NAME,
    STEM,
    Candidate,
    Gazetteer,
    distance_km,
)
from claimtrace.places.names import REGION_WORDS, name_key, sound_key

__all__ = ["Mention", "Resolution", "find_mentions", "resolve_mentions"]

_PLACE_LABELS: Final = frozenset({"GPE", "LOC"})
_BLOCKING_LABELS: Final = frozenset({"PERSON", "ORG", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
_MAX_WORDS: Final = 5
#: Lower-case words allowed inside a multi-word name ("Bosnia and Herzegovina", "Rostov-on-Don").
_CONNECTORS: Final = frozenset(
    [
        "of",
        "and",
        "on",
        "upon",
        "de",
        "del",
        "la",
        "le",
        "les",
        "du",
        "da",
        "di",
        "des",
        "der",
        "am",
        "im",
        "sur",
        "en",
        "-",
        "'",
        "’",
        "&",
        "el",
        "al",
        "the",
    ]
)
_ROLES: Final = {
    "from": "origin",
    "to": "destination",
    "towards": "destination",
    "toward": "destination",
    "into": "destination",
    "onto": "destination",
    "in": "site",
    "at": "site",
    "inside": "site",
    "near": "site",
    "within": "site",
    "outside": "site",
    "through": "transit",
    "via": "transit",
    "across": "transit",
}
#: Words before a small place that show it is a place ("born in Hinton", "north of Cairns").
_LOCATIVE: Final = frozenset({*_ROLES, "of", "around", "outside", "nearby", "between", "and"})
#: Between a place and the place that contains it: "X in (the occupied) Y", "X, a city in Y".
#: Compass words: "eastern Ukraine", "north-east of Kharkiv", "Southern California".
_COMPASS: Final = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "north-east",
        "north-west",
        "south-east",
        "south-west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
    ]
)
_LINK_WORDS: Final = _COMPASS | frozenset(
    [
        "in",
        ",",
        "the",
        "a",
        "an",
        "of",
        "near",
        "outside",
        "city",
        "town",
        "village",
        "settlement",
        "capital",
        "region",
        "province",
        "district",
        "county",
        "state",
        "occupied",
        "rural",
        "small",
        "large",
        "port",
        "coastal",
        "mining",
        "industrial",
        "border",
    ]
)
_STRONG_POPULATION: Final = 50_000


@dataclass(slots=True)
class Mention:
    """A stretch of the document that names a place, with its gazetteer candidates."""

    start: int
    end: int
    text: str
    token_start: int
    token_end: int
    from_model: bool
    candidates: list[Candidate] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def has_region_word(self) -> bool:
        words = self.text.split()
        return len(words) > 1 and words[-1].casefold() in REGION_WORDS


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a mention was resolved to (``place`` None when nothing in the gazetteer fits)."""

    mention: Mention
    place: Candidate | None
    confidence: float
    role: str | None
    evidence: tuple[str, ...]


def _capitalised(token: Token) -> bool:
    first = token.text[:1]
    return first.isupper() or (first.isdigit() is False and token.text[:2].isupper())


def _tagged(doc: Doc) -> bool:
    return doc.has_annotation("TAG") or doc.has_annotation("POS")


def _ngram_key(doc: Doc, start: int, end: int) -> str:
    return name_key(doc[start:end].text)


def _capital_text(text: str) -> bool:
    first = text[:1]
    return first.isupper() or (first.isdigit() is False and text[:2].isupper())


def _gazetteer_spans(doc: Doc, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """Longest capitalised word sequences (up to five words) that are names in the gazetteer.

    Token attributes are read once into lists: indexing a spaCy ``Doc`` builds a new ``Token``
    each time, which made this scan the stage's largest cost.
    """
    texts: list[str] = []
    lowers: list[str] = []
    spaces: list[str] = []
    starts: list[int] = []
    skip: list[bool] = []
    for token in doc:
        texts.append(token.text)
        lowers.append(token.lower_)
        spaces.append(token.whitespace_)
        starts.append(token.idx)
        skip.append(token.is_space or token.is_punct)
    capital = [_capital_text(text) for text in texts]
    whole = doc.text
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(texts)
    cache: dict[str, bool] = {}
    while i < n:
        if skip[i] or not capital[i]:
            i += 1
            continue
        best = 0
        stop = i + 1
        # how far a name could run: capitalised words, connectors between them, a region word
        while stop < n and stop - i < _MAX_WORDS:
            if texts[stop].isspace() or "\n" in spaces[stop]:
                break
            lower = lowers[stop]
            if capital[stop] or lower in REGION_WORDS or lower in _CONNECTORS:
                stop += 1
                if lower in REGION_WORDS and not capital[stop - 1]:
                    break
            else:
                break
            if "\n" in spaces[stop - 2]:
                break
        for end in range(stop, i, -1):
            if lowers[end - 1] in _CONNECTORS and end - 1 > i:
                continue
            key = name_key(whole[starts[i] : starts[end - 1] + len(texts[end - 1])])
            found = cache.get(key)
            if found is None:
                found = cache[key] = gazetteer.has_key(key)
            if found:
                best = end
                break
        if best == i + 1 and doc[i].is_stop:
            best = 0  # "But", "Say", "Of": a capitalised function word is not a place name
        if best:
            spans.append((i, best))
            i = best
        else:
            i += 1
    return spans


def _hyphen_prefixes(doc: Doc, gazetteer: Gazetteer) -> list[tuple[int, int, int]]:
    """Places written as the first part of a hyphenated word: "U.S.-led", "Kyiv-based".

    Only countries, divisions and regions qualify: a town name before a hyphen is more often
    a person's or a brand's.
    """
    found = []
    for token in doc:
        text = token.text
        cut = text.find("-")
        if cut <= 1 or not text[:1].isupper():
            continue
        prefix = text[:cut]
        if any(
            c.kind <= FORM and c.feature in ("country", "admin1", "other")
            for c in gazetteer.lookup(prefix)
        ):
            found.append((token.i, token.idx, token.idx + cut))
    return found


def _ent_at(doc: Doc) -> list[SpacySpan | None]:
    owner: list[SpacySpan | None] = [None] * len(doc)
    for ent in doc.ents:
        for k in range(ent.start, ent.end):
            owner[k] = ent
    return owner


def _strip_determiner(doc: Doc, start: int, end: int) -> int:
    while start < end - 1 and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    return start


def _extend_region_word(doc: Doc, end: int) -> int:
    if end < len(doc) and doc[end].lower_ in REGION_WORDS and doc[end - 1].whitespace_ != "":
        return end + 1
    return end


def _strong(candidates: Iterable[Candidate]) -> bool:
    return any(
        c.kind <= FORM
        and (c.feature in ("country", "admin1", "other") or c.population >= _STRONG_POPULATION)
        for c in candidates
    )


def _previous_word(doc: Doc, start: int) -> Token | None:
    k = start - 1
    while k >= 0 and (doc[k].is_space or doc[k].lower_ in ("the", "a", "an")):
        k -= 1
    return doc[k] if k >= 0 else None


def _introduced(doc: Doc, start: int) -> bool:
    previous = _previous_word(doc, start)
    return previous is not None and previous.lower_ in _LOCATIVE


def _sentence_initial(doc: Doc, start: int) -> bool:
    token = doc[start]
    if start == 0 or token.is_sent_start:
        return True
    previous = doc[start - 1]
    return previous.is_space or previous.text in ("‘", "“", '"', "'", "(", "—", "–", "-")


#: Titles before a surname: "Mr Paterson" is a person even when the model calls it a place.
_HONORIFICS: Final = frozenset(
    ["mr", "mrs", "ms", "miss", "dr", "sir", "lady", "lord", "judge", "justice", "senator", "rep"]
)
#: State and province abbreviations that are also words or names ("Mo.", "La.", "Me."): a place
#: only right after another place and a comma, as in a dateline ("PARIS, Mo. —").
_COMMA_ABBREVIATIONS: Final = {
    "mo": "US.MO",
    "miss": "US.MS",
    "la": "US.LA",
    "me": "US.ME",
    "del": "US.DE",
    "man": "CA.03",
    "tex": "US.TX",
    "ariz": "US.AZ",
}
_STRONG_FEATURES: Final = frozenset({"country", "admin1", "other"})
#: Words that place a region inside a bigger one: "Southern California", "Far North Queensland".
_DIRECTIONS: Final = _COMPASS | frozenset(["far", "upper", "lower", "mid", "greater"])


#: Natural features: "the Sava valley" names a valley, not the towns or regions called Sava.
_NATURAL: Final = frozenset(
    [
        "valley",
        "river",
        "mountains",
        "mountain",
        "hills",
        "lake",
        "sea",
        "gulf",
        "bay",
        "island",
        "islands",
        "peninsula",
        "desert",
        "basin",
        "delta",
        "coast",
        "strait",
        "canal",
        "plain",
        "plains",
        "gorge",
        "forest",
        "glacier",
    ]
)


def _natural_feature(doc: Doc, mention: Mention, gazetteer: Gazetteer) -> Mention | None:
    """ "Sava valley", "Danube river": the mention grown to the feature word, with only the
    gazetteer's regions as candidates (the gazetteer has towns and divisions, not rivers), or
    None when no feature word follows or the grown name is itself known ("Rift Valley")."""
    end = mention.token_end
    if end >= len(doc) or doc[end].lower_ not in _NATURAL or not doc[end - 1].whitespace_:
        return None
    words = doc[mention.token_start : end + 1]
    known = gazetteer.lookup(words.text)
    candidates = known or [c for c in mention.candidates if c.feature == "other"]
    return Mention(
        words.start_char,
        words.end_char,
        words.text,
        mention.token_start,
        end + 1,
        mention.from_model,
        candidates,
    )


def _big_places(candidates: Iterable[Candidate]) -> list[Candidate]:
    return [c for c in candidates if c.kind <= FORM and c.feature in _STRONG_FEATURES]


def _front_place(
    doc: Doc, start: int, end: int, gazetteer: Gazetteer
) -> tuple[int, list[Candidate]] | None:
    """The country, division or region that opens a longer name ("U.S. Food and Drug
    Administration", "Queensland Government"), as (end token, candidates); None if none does.

    Direction words alone ("Far North", "Southern") are not taken: as a prefix they belong
    to the name after them.
    """
    for stop in range(min(end - 1, start + 3), start, -1):
        if doc[stop - 1].is_punct and doc[stop - 1].text != ".":
            continue
        if all(t.lower_ in _DIRECTIONS for t in doc[start:stop]):
            break
        candidates = _big_places(gazetteer.lookup(doc[start:stop].text))
        if candidates:
            return stop, candidates
    return None


def _directional(doc: Doc, start: int, end: int, gazetteer: Gazetteer) -> list[Candidate]:
    """ "Southern California", "Northern Europe": the place after the direction words."""
    k = start
    while k < end - 1 and doc[k].lower_ in _DIRECTIONS:
        k += 1
    if k == start:
        return []
    return _big_places(gazetteer.lookup(doc[k:end].text))


#: Titles written before a person's name (checked on the word before a mention only: "Prince
#: Edward Island" and "General Santos" are places that start with one).
_TITLES: Final = frozenset(
    [
        "president", "premier", "chancellor", "minister", "governor", "gov", "mayor", "general",
        "gen", "colonel", "col", "commander", "chief", "king", "queen", "prince", "princess",
        "pope", "sheikh", "ayatollah", "secretary", "spokesman", "spokeswoman",
    ]
)  # fmt: skip


def _person_words(doc: Doc) -> set[str]:
    """Words the document uses as people's names: parts of PERSON entities, and titled names.

    A surname that is also a town ("Hickson", "Paterson") names the person throughout an
    article that once writes it in full or with a title.
    """
    words: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) > 1:
            words.update(t.lower_ for t in ent[1:] if t.text[:1].isupper())
    for token in doc[:-1]:
        if token.lower_.rstrip(".") in _HONORIFICS and token.text[:1].isupper():
            following = doc[token.i + 1]
            if following.text[:1].isupper():
                words.add(following.lower_)
    return words


def _is_person(doc: Doc, mention: Mention, person_words: set[str]) -> bool:
    """True when ``mention`` is a name the document gives a person (and no big place)."""
    words = doc[mention.token_start : mention.token_end]
    first = words[0].lower_.rstrip(".")
    if first in _HONORIFICS and len(words) > 1:
        return True
    previous = doc[mention.token_start - 1] if mention.token_start > 0 else None
    if previous is not None and previous.lower_.rstrip(".") in _HONORIFICS | _TITLES:
        return True  # "President Vladimir Putin": a name after a title is a person's
    if mention.has_region_word or not all(t.lower_ in person_words for t in words):
        return False
    return not _big_name(mention.candidates)


def _big_name(candidates: Iterable[Candidate]) -> bool:
    """A country, division or region, or a city of 100,000, by its own name or a form of it."""
    return any(
        c.kind <= FORM and (c.feature in _STRONG_FEATURES or c.population >= 100_000)
        for c in candidates
    )


def _prefix_mentions(
    doc: Doc, gazetteer: Gazetteer, taken: set[int]
) -> list[tuple[int, int, list[Candidate]]]:
    """Countries and divisions at the front of a longer name: "U.S. Food and Drug
    Administration", "Missouri State Highway Patrol", "Queensland Government".

    Only when the whole name is no place itself, and only country, division or region names:
    a town at the front of an organisation's name is more often part of the name.
    """
    found = []
    for ent in doc.ents:
        if len(ent) < 2 or ent.start in taken or ent.label_ in ("PERSON", "NORP"):
            continue
        if ent.label_ in _PLACE_LABELS and gazetteer.lookup(ent.text):
            continue
        front = _front_place(doc, ent.start, ent.end, gazetteer)
        if front is not None:
            found.append((ent.start, front[0], front[1]))
    return found


def _comma_abbreviations(doc: Doc, gazetteer: Gazetteer) -> list[tuple[int, list[Candidate]]]:
    """ "Paris, Mo.", "HOLLIDAY, Mo. —": an ambiguous state abbreviation with its full stop,
    right after a capitalised name and a comma."""
    found = []
    for token in doc[2:]:
        code = _COMMA_ABBREVIATIONS.get(token.lower_.rstrip("."))
        if code is None or not token.text[:1].isupper():
            continue
        has_stop = token.text.endswith(".") or (
            token.i + 1 < len(doc) and doc[token.i + 1].text == "."
        )
        comma, name = doc[token.i - 1], doc[token.i - 2]
        if not has_stop or comma.text != "," or not name.text[:1].isupper():
            continue
        division = gazetteer.division(code)
        if division is not None:
            found.append((token.i, [division]))
    return found


def find_mentions(doc: Doc, gazetteer: Gazetteer) -> list[Mention]:
    """Place mentions in ``doc``, each with its exact-match candidates (may be none)."""
    owner = _ent_at(doc)
    tagged = _tagged(doc)
    chosen: dict[tuple[int, int], bool] = {}

    for ent in doc.ents:
        if ent.label_ not in _PLACE_LABELS:
            continue
        start = _strip_determiner(doc, ent.start, ent.end)
        end = _extend_region_word(doc, ent.end)
        if not doc[start].text[:1].isupper():
            continue
        chosen[(start, end)] = True

    labelled: set[tuple[int, int]] = set()
    for start, end in _gazetteer_spans(doc, gazetteer):
        covered = [(s, e) for (s, e) in chosen if start < e and s < end]
        if covered:
            # the model's entity wins unless the gazetteer's span strictly covers it
            if all(start <= s and e <= end and (s, e) != (start, end) for s, e in covered):
                for pair in covered:
                    del chosen[pair]
            else:
                continue
        blocking = owner[start]
        if blocking is not None and blocking.label_ in _BLOCKING_LABELS:
            if blocking.label_ == "NORP":
                continue
            if blocking.start <= start and end <= blocking.end:
                of_place = (
                    blocking.label_ == "PERSON"
                    and start > blocking.start
                    and doc[start - 1].lower_ == "of"
                )
                if (blocking.end - blocking.start) > (end - start) and not of_place:
                    continue  # part of a longer name: "Washington" in "George Washington"
                labelled.add((start, end))
        # "Over" (ADP) is a word; "Montreal police" tagged ADJ is still the city
        if (
            tagged
            and end - start == 1
            and doc[start].pos_ not in ("PROPN", "NOUN", "X", "")
            and (doc[start].pos_ != "ADJ" or not _big_name(gazetteer.lookup(doc[start].text)))
        ):
            continue
        chosen[(start, end)] = False

    person_words = _person_words(doc)
    mentions: list[Mention] = []
    for (start, end), from_model in sorted(chosen.items()):
        words = doc[start:end]
        mention = Mention(
            start=words.start_char,
            end=words.end_char,
            text=words.text,
            token_start=start,
            token_end=end,
            from_model=from_model,
            candidates=gazetteer.lookup(words.text),
        )
        if _is_person(doc, mention, person_words):
            continue
        natural = _natural_feature(doc, mention, gazetteer)
        if natural is not None:
            mentions.append(natural)
            continue
        if from_model and not _big_places(mention.candidates):
            directional = _directional(doc, start, end, gazetteer)
            front = None if directional else _front_place(doc, start, end, gazetteer)
            if directional:
                mention.candidates = directional
            elif front is not None and not mention.candidates:
                words = doc[start : front[0]]
                mention = Mention(
                    words.start_char, words.end_char, words.text, start, front[0], True, front[1]
                )
        if not from_model:
            if (start, end) in labelled and not mention.has_region_word:
                # the model calls it a person or an organisation: only a big place overrules it
                mention.candidates = [
                    c
                    for c in mention.candidates
                    if (c.kind <= FORM and c.feature in ("country", "admin1"))
                    or (c.kind == NAME and c.population >= 100_000)
                ]
                if not mention.candidates:
                    continue
            strong = _strong(mention.candidates)
            if _sentence_initial(doc, start) and not strong:
                continue
            if not strong and not _introduced(doc, start):
                continue
        mentions.append(mention)

    taken = {k for m in mentions for k in range(m.token_start, m.token_end)}
    for start, end, candidates in _prefix_mentions(doc, gazetteer, taken):
        words = doc[start:end]
        mentions.append(
            Mention(words.start_char, words.end_char, words.text, start, end, False, candidates)
        )
        taken.update(range(start, end))
    for index, start_char, end_char in _hyphen_prefixes(doc, gazetteer):
        if index in taken:
            continue
        text = doc.text[start_char:end_char]
        candidates = [
            c for c in gazetteer.lookup(text) if c.feature in ("country", "admin1", "other")
        ]
        mentions.append(Mention(start_char, end_char, text, index, index + 1, False, candidates))
        taken.add(index)
    mentions.sort(key=lambda m: m.start)
    for index, candidates in _comma_abbreviations(doc, gazetteer):
        token = doc[index]
        end = index + 1
        if index in taken:
            mentions = [m for m in mentions if not (m.token_start <= index < m.token_end)]
        if end < len(doc) and doc[end].text == "." and not token.text.endswith("."):
            end += 1
        words = doc[index:end]
        mentions.append(
            Mention(words.start_char, words.end_char, words.text, index, end, False, candidates)
        )
    mentions.sort(key=lambda m: m.start)
    return mentions


# ---------------------------------------------------------------------------------- resolution

_FEATURE_PRIOR: Final = {
    "country": 2.5,
    "admin1": 1.0,
    "other": 1.5,
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


def _score(
    mention: Mention, candidate: Candidate, context: _Context, local: list[Candidate]
) -> tuple[float, list[str]]:
    evidence: list[str] = []
    population = candidate.population or (10_000 if candidate.feature == "admin2" else 0)
    score = math.log10(population + 10)
    score += _FEATURE_PRIOR.get(candidate.feature, 0.0)
    score += _KIND_PRIOR.get(candidate.kind, 0.0)
    if mention.has_region_word:
        score += 4.0 if candidate.feature in ("admin1", "admin2") else -4.0
    elif _bare_name_is_the_town(mention, candidate):
        score -= 2.5
    if (
        candidate.kind == ALTERNATE
        and candidate.feature == "populated_place"
        and any(c.kind == NAME and c.feature == "country" for c in mention.candidates)
    ):
        score -= 2.0  # "Chile" is the country, not a town that also answers to it
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
    if len(between) > 8 or not all(t.lower_ in _LINK_WORDS or t.is_space for t in between):
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
    return {c.id: (*_score(mention, c, context, local), c) for c in mention.candidates}


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
    if any(m.fuzzy for m in mentions):
        confidence *= 0.75
    if best.kind == 5:
        confidence *= 0.7
    return best, round(min(confidence, 0.98), 3), evidence[ranked[0]], totals[ranked[0]] / count


def _role(doc: Doc, mention: Mention) -> str | None:
    k = mention.token_start - 1
    skipped = 0
    while k >= 0 and skipped < 3:
        token = doc[k]
        if token.is_space:
            k -= 1
            continue
        lower = token.lower_
        if lower in _ROLES:
            return _ROLES[lower]
        if lower in ("the", "a", "an") or token.pos_ == "ADJ" or lower in _LINK_WORDS:
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
    if not (_weak(place) or place.population < _SMALL_POPULATION):
        return False
    nearest = _nearest_km(place, context.places)
    return nearest is None or nearest > _FAR_KM


def resolve_mentions(doc: Doc, mentions: list[Mention], gazetteer: Gazetteer) -> list[Resolution]:
    """Pick a place for every mention, using the document's other places as evidence."""
    for mention in mentions:
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
    chosen: dict[int, tuple[Candidate | None, float, list[str]]] = {}
    for (key, _), members in groups.items():
        if key not in contexts:
            contexts[key] = _context_for(key, picks)
            contexts[key].key = key
            contexts[key].grid = grid
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
