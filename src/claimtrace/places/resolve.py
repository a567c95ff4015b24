"""Toponym resolution: find the place names in a parsed document and pick what each one means.

Finding. Two sources, merged: the language model's GPE and LOC entities, and capitalised word
sequences that are names in the gazetteer (the model's LOC recall is weak). A gazetteer-only
match must be a proper noun (when the pipeline tags), not a demonym (NORP or adjective, "Russian"),
not a piece of a longer person or organisation name, and — when it is only a small place — be
introduced like a place ("in", "from", "near" …), since "Mission" or "Over" are also words.

Ranking. Each candidate's score adds its population (log), its feature (country > region >
division > town for a bare name; divisions first when the mention says "region", "oblast" …),
how its name matched (own name, alternate name, romanisation variant) and the evidence of the
text: a place named right after it ("Kuschevka in Krasnodar region", "Snezhnoye, a city in the
occupied Donetsk region") and the countries and divisions the rest of the article names. The
margin between the best two scores becomes the confidence.

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

from claimtrace.places.gazetteer import ALTERNATE, FORM, NAME, STEM, Candidate, Gazetteer
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
_LINK_WORDS: Final = frozenset(
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
        "eastern",
        "western",
        "northern",
        "southern",
        "central",
        "north",
        "south",
        "east",
        "west",
        "north-east",
        "north-west",
        "south-east",
        "south-west",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
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


def _gazetteer_spans(doc: Doc, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """Longest capitalised word sequences (up to five words) that are names in the gazetteer."""
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(doc)
    cache: dict[str, bool] = {}
    while i < n:
        token = doc[i]
        if token.is_space or token.is_punct or not _capitalised(token):
            i += 1
            continue
        best = 0
        stop = i + 1
        # how far a name could run: capitalised words, connectors between them, a region word
        while stop < n and stop - i < _MAX_WORDS:
            nxt = doc[stop]
            if nxt.is_space or "\n" in nxt.whitespace_:
                break
            lower = nxt.lower_
            if _capitalised(nxt) or lower in REGION_WORDS or lower in _CONNECTORS:
                stop += 1
                if lower in REGION_WORDS and not _capitalised(nxt):
                    break
            else:
                break
            if doc[stop - 2].whitespace_ and "\n" in doc[stop - 2].whitespace_:
                break
        for end in range(stop, i, -1):
            last = doc[end - 1]
            if last.lower_ in _CONNECTORS and end - 1 > i:
                continue
            key = _ngram_key(doc, i, end)
            found = cache.get(key)
            if found is None:
                found = cache[key] = gazetteer.has_key(key)
            if found:
                best = end
                break
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
                if (blocking.end - blocking.start) > (end - start):
                    continue  # part of a longer name: "Washington" in "George Washington"
                labelled.add((start, end))
        head = doc[end - 1] if doc[end - 1].lower_ not in REGION_WORDS else doc[start]
        if tagged and head.pos_ not in ("PROPN", "NOUN", "X", ""):
            continue  # "Russian" (ADJ), "Over" (ADP)
        chosen[(start, end)] = False

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
        if not from_model:
            if (start, end) in labelled:
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

    taken = {m.token_start for m in mentions}
    for index, start_char, end_char in _hyphen_prefixes(doc, gazetteer):
        if index in taken:
            continue
        text = doc.text[start_char:end_char]
        candidates = [
            c for c in gazetteer.lookup(text) if c.feature in ("country", "admin1", "other")
        ]
        mentions.append(Mention(start_char, end_char, text, index, index + 1, False, candidates))
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
    countries: Counter[str] = field(default_factory=Counter)
    divisions: Counter[str] = field(default_factory=Counter)


def _count(context: _Context, place: Candidate | None, step: int) -> None:
    if place is None:
        return
    if place.country_code:
        context.countries[place.country_code] += step
    if place.feature == "admin1" and place.admin1_code:
        context.divisions[place.admin1_code] += step


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
    elif candidate.feature in ("admin1", "admin2") and any(
        other.feature == "populated_place"
        and other.country_code == candidate.country_code
        and other.population >= 10_000
        for other in mention.candidates
    ):
        score -= 2.5  # a bare "Donetsk" is the city; the oblast is "Donetsk region"
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
    if candidate.feature != "country" and cc and context.countries[cc] > 0:
        score += 2.0
        evidence.append(f"context:country:{cc}")
    if (
        candidate.feature not in ("country", "admin1")
        and division
        and context.divisions[division] > 0
    ):
        score += 3.0
        evidence.append(f"context:division:{division}")
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


def _pick(
    mention: Mention, context: _Context, local: list[Candidate]
) -> tuple[Candidate | None, float, list[str]]:
    if not mention.candidates:
        return None, 0.0, []
    scored = sorted(
        ((*_score(mention, c, context, local), c) for c in mention.candidates),
        key=lambda item: (-item[0], item[2].kind, -item[2].population, item[2].id),
    )
    best_score, evidence, best = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else best_score - 6.0
    margin = max(0.0, best_score - runner_up)
    confidence = 0.5 + 0.45 * (1.0 - math.exp(-margin / 2.0))
    if mention.fuzzy:
        confidence *= 0.75
    if best.kind == 5:
        confidence *= 0.7
    return best, round(min(confidence, 0.98), 3), evidence


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


def resolve_mentions(doc: Doc, mentions: list[Mention], gazetteer: Gazetteer) -> list[Resolution]:
    """Pick a place for every mention, using the document's other places as evidence."""
    for mention in mentions:
        if not mention.candidates and mention.from_model:
            mention.candidates = _fuzzy(mention, gazetteer)
            mention.fuzzy = bool(mention.candidates)

    # first pass, without context: what the unambiguous names tell about the article
    empty = _Context()
    first = [_pick(m, empty, [])[0] for m in mentions]
    context = _Context()
    for place in first:
        _count(context, place, 1)

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

    resolutions = []
    best = list(first)
    for index in range(len(mentions) - 1, -1, -1):
        mention = mentions[index]
        local = _local_containers(mentions, doc, index, best)
        _count(context, first[index], -1)  # a name is no evidence for itself
        place, confidence, evidence = _pick(mention, context, local)
        _count(context, first[index], 1)
        best[index] = place
        if place is None:
            resolutions.append(
                Resolution(mention, None, 0.1, _role(doc, mention), ("gazetteer:none",))
            )
            continue
        how = "fuzzy" if mention.fuzzy else "exact"
        resolutions.append(
            Resolution(
                mention,
                place,
                confidence,
                _role(doc, mention),
                (f"gazetteer:{how}", *evidence),
            )
        )
    resolutions.reverse()
    return resolutions
