"""Toponym finding: the stretches of a parsed document that name places, with their candidates.

Two sources, merged: the language model's GPE and LOC entities, and capitalised word
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
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Final

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimtrace.places.gazetteer import ALTERNATE, FORM, Candidate, Gazetteer
from claimtrace.places.names import REGION_WORDS, demonym_bases, name_key

__all__ = ["LINK_WORDS", "ROLES", "Mention", "find_mentions"]

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
ROLES: Final = {
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
_LOCATIVE: Final = frozenset({*ROLES, "of", "around", "outside", "nearby", "between", "and"})
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
LINK_WORDS: Final = _COMPASS | frozenset(
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
    #: candidates come from part of the name ("Southern California" as California)
    partial: bool = False
    #: the word before is "the" (rivers and seas take it; towns do not)
    determiner: bool = False

    @property
    def has_region_word(self) -> bool:
        words = self.text.split()
        return len(words) > 1 and words[-1].casefold() in REGION_WORDS


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
        if _big_places(gazetteer.lookup(prefix)):
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
    candidates = known or [c for c in mention.candidates if c.feature in ("other", "natural")]
    return Mention(
        words.start_char,
        words.end_char,
        words.text,
        mention.token_start,
        end + 1,
        mention.from_model,
        candidates,
        partial=not known,
    )


def _big_places(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Countries, divisions, regions and national capitals by their own names or forms."""
    return [
        c for c in candidates if c.kind <= FORM and (c.feature in _STRONG_FEATURES or c.capital)
    ]


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
        if doc[stop].lower_ == "of":
            continue  # "Gulf of Finland", "Bank of England": the front word heads the name
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


#: Words after a place name that make it a newspaper's name ("Washington Post", "Toronto Star"):
#: the paper is an organisation, and the place in its name is not a place the article names.
_PAPER_WORDS: Final = frozenset(
    [
        "Post", "Times", "Journal", "Herald", "Tribune", "Gazette", "Examiner", "Chronicle",
        "Inquirer", "Observer", "Telegraph", "Globe", "Courier", "Register", "Dispatch", "Star",
        "Sun", "Bee", "Enquirer", "Free", "Daily", "Post-Gazette", "Star-Tribune", "Democrat",
    ]
)  # fmt: skip
_COORDINATORS: Final = frozenset({"and", "&", ",", "or"})


def _paper_name(doc: Doc, end: int) -> bool:
    return end < len(doc) and doc[end].text in _PAPER_WORDS


def _coordinated_parts(
    doc: Doc, ent: SpacySpan, gazetteer: Gazetteer
) -> list[tuple[int, int]] | None:
    """ "Tallinn and Helsinki", "Kharkiv, Sumy and Chernihiv" tagged as one entity: its parts
    (token ranges), when each is a big place by itself and the whole is no place ("Bosnia and
    Herzegovina", "Trinidad and Tobago" stay whole); None otherwise."""
    if len(ent) < 3 or not any(t.lower_ in _COORDINATORS for t in ent):
        return None
    if gazetteer.lookup(ent.text):
        return None
    parts: list[tuple[int, int]] = []
    start = ent.start
    for k in range(ent.start, ent.end + 1):
        if k == ent.end or doc[k].lower_ in _COORDINATORS:
            if k > start:
                parts.append((_strip_determiner(doc, start, k), k))
            start = k + 1
    if len(parts) < 2:
        return None
    for s, e in parts:
        if not doc[s].text[:1].isupper() or not _strong(gazetteer.lookup(doc[s:e].text)):
            return None
    return parts


#: Endings of demonyms and other adjectives of places ("Russian", "Chinese", "Turkish", "Iraqi").
_DEMONYM_SHAPE: Final = re.compile(r"(?:an|ans|ese|ish|i|is|ic|ch)$")
#: Words before a name that put it somewhere, enough to overrule the model calling it a person.
_PLACING: Final = frozenset(
    ["in", "near", "around", "outside", "towards", "toward", "into", "inside", "across"]
)


def _spelling_of(text: str, name: str) -> bool:
    """ "Nikolaev" for Mykolayiv, "Zaporozhye" for Zaporizhzhya: another spelling of the name,
    not a translation ("White House" is also Casablanca)."""
    return SequenceMatcher(None, name_key(text), name_key(name)).ratio() >= 0.5


def _bounds(span: SpacySpan) -> tuple[int, int]:
    return span.start, span.end


def _placed(doc: Doc, start: int) -> bool:
    """ "in Enerhodar", "around Chasiv Yar"; not "in the White House" (towns take no article)."""
    return start > 0 and doc[start - 1].lower_ in _PLACING


def _demonym(text: str, gazetteer: Gazetteer) -> bool:
    """ "Russian", "Puerto Rican", "English": the adjective of a country, division or region
    (NORP in the output contract), not a place."""
    return any(_big_places(gazetteer.lookup(base)) for base in demonym_bases(text))


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
        if front is not None and not _paper_name(doc, front[0]):
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

    # coordinated places tagged as one name ("Tallinn and Helsinki" as an ORG): each part
    split: set[int] = set()
    for ent in doc.ents:
        if ent.label_ in ("PERSON", "NORP"):
            continue
        parts = _coordinated_parts(doc, ent, gazetteer)
        if parts is None:
            continue
        for part in parts:
            chosen[part] = True
        for k in range(ent.start, ent.end):
            owner[k] = None
        split.add(ent.start)

    for ent in doc.ents:
        if ent.label_ not in _PLACE_LABELS or ent.start in split:
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
            if blocking.label_ == "NORP" and (
                _DEMONYM_SHAPE.search(doc[start:end].text) or (start, end) != _bounds(blocking)
            ):
                continue  # "Russian"; but "Horlivka" tagged NORP is a city's name
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
        if _is_person(doc, mention, person_words) or _paper_name(doc, end):
            continue
        if not _big_name(mention.candidates) and _demonym(mention.text, gazetteer):
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
                mention.partial = True
            elif front is not None and not mention.candidates:
                if _paper_name(doc, front[0]):
                    continue  # "Washington Post" tagged as a place: a newspaper
                words = doc[start : front[0]]
                mention = Mention(
                    words.start_char, words.end_char, words.text, start, front[0], True, front[1]
                )
        if not from_model:
            if (start, end) in labelled and not mention.has_region_word:
                # the model calls it a person or an organisation: only a big place overrules
                # it, or a town the sentence puts somewhere ("in Enerhodar", "near Donetsk")
                placed = _placed(doc, start) and not ({t.lower_ for t in words} & person_words)
                mention.candidates = [
                    c
                    for c in mention.candidates
                    if (c.kind <= FORM and c.feature in ("country", "admin1"))
                    or (
                        c.kind <= ALTERNATE
                        and c.population >= 100_000
                        and _spelling_of(mention.text, c.name)
                    )
                    or (placed and c.kind <= FORM and c.feature == "populated_place")
                    or (len(words) > 1 and c.kind <= ALTERNATE and c.feature == "natural")
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
        candidates = _big_places(gazetteer.lookup(text))
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
