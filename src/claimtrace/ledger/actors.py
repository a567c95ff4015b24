"""Actors: the people and organisations a ledger's named sources are, across documents.

A document's entities stage already joins the forms of one name inside the document ("Putin" to
"Vladimir Putin", "he" to the nearest person); this module decides which of those entities, across
documents, are one actor. Everything here is pure: :func:`actor_name` reads one claim's source and
entity into an :class:`ActorName` (normalised name, type, middle initials, roles), and
:func:`assign` decides, for every name of one *group* (the people of one surname, or the forms of
one organisation name), which actor each belongs to. The decision depends only on the set of names
in the group, never on the order documents arrived in, so two ingests of one corpus in any order
give the same actors.

The rules, each named in an :class:`ActorName`'s ``rule``:

- ``entity``: the source is the entity the document resolved it to (a name, a pronoun or a
  description that the entities stage joined to a name);
- ``named-group``: the source names a group after the entity ("the Trump campaign", "Sanders's
  supporters", "a Clinton spokesman"): the actor is that group, never the person;
- ``source-text``: no entity (or one whose name is only a title): the source as written, typed
  ``other`` unless its head word names an organisation — it never merges with a person.

Person names merge on first and last name: titles, honorifics, party words and the words before
a title are dropped ("former Maryland Gov. Martin O'Malley" is "Martin O'Malley"), and middle
names or initials merge ("Donald J. Trump" = "Donald Trump", "Hillary Rodham Clinton" =
"Hillary Clinton") unless the group holds two different middles ("George W. Bush" and "George
H. W. Bush" stay apart, and a bare "George Bush" stays on its own). A generational suffix is part
of the name ("Donald Trump Jr." is not his father). A surname alone ("Clinton", written in a
document with no full name) joins the one full name of that surname in the ledger, and stays its
own actor when there are several ("Hillary Clinton", "Bill Clinton") or none.
An organisation merges with its forms ("The Trump campaign" = "Trump's campaign"), never with a
person: the type is part of every actor key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from typing import Final, Literal

from claimtrace.records import Claim, Entity, Extraction
from claimtrace.stages.entities import load_entity_words, load_name_genders

__all__ = [
    "ActorName",
    "ActorSummary",
    "ActorType",
    "actor_id",
    "actor_name",
    "assign",
    "document_actor_names",
    "load_actor_words",
    "summarise",
]

ActorType = Literal["person", "organisation", "other"]

#: A surname alone joins a full name only when that full name is seen in this many documents.
SURNAME_JOIN_DOCUMENTS: Final = 2

_PERSON_TYPES: Final = frozenset({"PERSON"})
_ORG_TYPES: Final = frozenset({"ORG", "GPE", "NORP", "LOC"})
#: where a source's own name ends: an apposition, a relative clause, a second coordinated name
_NAME_END: Final = re.compile(r",|\(|\s[–—-]\s|\s(?:and|&|who|which|whose|of)\s")
_POSSESSIVE: Final = re.compile(r"(?:['’]s|['’])$")
_PRONOUN_SOURCES: Final = frozenset(
    re.findall(
        r"\w+",
        "i me my we us our you he him his she her it its they them their who whom which that",
    )
)
_TITLE_CLASSES: Final = frozenset({"honorific", "title", "role"})


@lru_cache(maxsize=1)
def load_actor_words() -> dict[str, frozenset[str]]:
    """The packaged actor word classes: word -> {party, suffix, determiner, group, group-org}.

    >>> sorted(load_actor_words()["campaign"])
    ['group-org']
    """
    table: dict[str, set[str]] = defaultdict(set)
    data = files("claimtrace.ledger").joinpath("data/actor_words.tsv")
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, kind = line.split("\t")[:2]
        table[word.strip().lower()].add(kind.strip())
    return {word: frozenset(kinds) for word, kinds in table.items()}


@dataclass(frozen=True, slots=True)
class ActorName:
    """One claim's named source, normalised for matching across documents.

    ``group`` decides which names are compared with each other (a person's surname, an
    organisation's whole name); ``base`` is the name without middle names ("donald trump", or
    "clinton" for a surname alone); ``middle`` the initials of the middle names ("j", "" when
    none); ``surface`` the name as the document's entity writes it, for display.
    """

    type: ActorType
    group: str
    base: str
    middle: str
    surface: str
    roles: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    rule: str = "entity"
    document: str = ""

    @property
    def surname_only(self) -> bool:
        """Whether the name is a surname alone ("Clinton")."""
        return self.type == "person" and " " not in self.base


def _fold(word: str) -> str:
    """A word for matching: lower case, accents and dots and apostrophes dropped."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[.'’`]", "", plain)


def _words(text: str) -> list[str]:
    """The words of a name, possessive endings and edge punctuation removed."""
    found = []
    for raw in re.split(r"[\s:;]+", text):
        word = _POSSESSIVE.sub("", raw.strip(',;:!?"“”()[]'))
        if word:
            found.append(word)
    return found


def _name_part(text: str) -> str:
    """The part of a source that names it: up to an apposition, a relative clause or "and"."""
    return _NAME_END.split(f" {text} ", maxsplit=1)[0].strip()


def _is_title(word: str) -> bool:
    lowered = word.lower()
    kinds = load_entity_words().get(lowered, frozenset()) | load_entity_words().get(
        lowered.rstrip("."), frozenset()
    )
    return bool(kinds & _TITLE_CLASSES)


def _person_words(text: str) -> list[str]:
    """A person's name without what stands before it: everything up to the last title, then
    lower-case words and party words ("former Maryland Gov. Martin O'Malley" → Martin O'Malley)."""
    words = _words(text)
    titles = [i for i, word in enumerate(words) if _is_title(word)]
    if titles:
        words = words[titles[-1] + 1 :]
    actor_words = load_actor_words()
    leading = {"party", "quantifier", "determiner", "descriptor", "other"}
    while words and (
        not words[0][:1].isupper() or leading & actor_words.get(words[0].lower(), frozenset())
    ):
        words = words[1:]
    while words and "time" in actor_words.get(words[-1].lower(), frozenset()):
        words = words[:-1]  # "Clinton Friday"
    return words


def person_key(name: str) -> tuple[str, str, str] | None:
    """``(surname, base, middle)`` of a person's name, or ``None`` when what is left is no
    person's name (nothing, more than four words, or a lower-case word inside it).

    >>> person_key("Republican presidential candidate Donald J. Trump")
    ('trump', 'donald trump', 'j')
    >>> person_key("Hillary Rodham Clinton"), person_key("Clinton")
    (('clinton', 'hillary clinton', 'r'), ('clinton', 'clinton', ''))
    >>> person_key("Donald Trump Jr.")
    ('trump', 'donald trump jr', '')
    >>> person_key("Rudy Giuliani") == person_key("Rudolph Giuliani")
    True

    A title alone, or a name with a lower-case word in it, is no name:

    >>> person_key("Sen."), person_key("Canova bristled"), person_key("George H. W. Bush")
    (None, None, ('bush', 'george bush', 'hw'))
    >>> person_key("Billionaire Donald Trump"), person_key("Q")
    (('trump', 'donald trump', ''), None)
    """
    words = _person_words(name)
    suffixes: list[str] = []
    actor_words = load_actor_words()
    while len(words) > 1 and "suffix" in actor_words.get(words[-1].lower(), frozenset()):
        suffixes.insert(0, _fold(words.pop()))
    initials = [word for word in words if len(word.rstrip(".")) <= 1 or "." in word[1:-1]]
    if len(words) - len(initials) > 3 or any(
        word[:1].islower() and "particle" not in actor_words.get(word.lower(), frozenset())
        for word in words
    ):
        return None  # "Donald Trump Praises Breitbart", "Phil Bryant of Mississippi"
    if any("party" in actor_words.get(word.lower(), frozenset()) for word in words):
        return None  # "Leading Democrats": a group, not a person
    folded = [_fold(word) for word in words]
    folded = [word for word in folded if word]
    if not folded or all(word in _PRONOUN_SOURCES for word in folded):
        return None  # an entity named "Who" is no one
    if all(len(word) <= 1 for word in folded):
        return None  # initials alone: an interview's "Q:" and "A:" are no one
    surname = folded[-1]
    if len(folded) == 1:
        return surname, " ".join([surname, *suffixes]), ""
    middle = "".join(part[0] for word in folded[1:-1] for part in word.split("-") if part)
    return surname, " ".join([_first_name(folded[0]), surname, *suffixes]), middle


def _first_name(word: str) -> str:
    """A first name in its full form when the word is a short one ("rudy" → "rudolph")."""
    for kind in load_actor_words().get(word, frozenset()):
        if kind.startswith("nickname:"):
            return kind.split(":", 1)[1]
    return word


def is_first_name(word: str) -> bool:
    """Whether a lone word is a known first name ("John", "Bernie"): then it is no surname."""
    return word[:1].upper() + word[1:].lower() in load_name_genders()


def organisation_key(name: str) -> str | None:
    """An organisation's name for matching: determiners, possessives and punctuation dropped.

    >>> organisation_key("The Trump campaign") == organisation_key("Trump's campaign")
    True
    >>> organisation_key("the U.S. State Department")
    'us state department'
    """
    actor_words = load_actor_words()
    words = [_fold(word) for word in _words(name)]
    words = [re.sub(r"[^\w-]+", "", word) for word in words]
    words = [word for word in words if word]
    while words and "determiner" in actor_words.get(words[0], frozenset()):
        words = words[1:]
    if all(len(word) <= 1 for word in words):
        return None  # nothing, or initials alone ("Q:" of an interview)
    return " ".join(words)


def _named_group(source: str, entity: Entity) -> str | None:
    """The group a source names after the entity ("the Trump campaign"), else ``None``: the
    source's own name goes on past the entity's last word with more words."""
    last = _words(entity.name)
    if not last:
        return None
    target = _fold(last[-1])
    words = _words(_name_part(source))
    folded = [_fold(word) for word in words]
    if target not in folded:
        return None
    after = words[len(folded) - 1 - folded[::-1].index(target) + 1 :]
    actor_words = load_actor_words()
    skipped = {"suffix", "reflexive"}
    after = [w for w in after if not skipped & actor_words.get(w.lower(), frozenset())]
    if not after:
        return None
    return _name_part(source)


def _indefinite_person(text: str, *, named_after: bool = False) -> bool:
    """Whether a source is "a"/"an" and one of the people named after someone ("a Clinton
    spokesman"), or, with ``named_after``, anything but an organisation named after them ("a
    Donald Trump tweet"): one of many, never a record of its own."""
    words = _words(text)
    if len(words) < 2 or words[0].lower() not in ("a", "an", "one"):
        return False
    kinds = load_actor_words().get(words[-1].lower(), frozenset())
    return "group" in kinds or (named_after and "group-org" not in kinds)


def _names_a_group(name: str) -> bool:
    """Whether a name ends in an organisation or group word ("Clinton campaign")."""
    words = _words(name)
    if len(words) < 2:
        return False
    head = words[-1].lower()
    kinds = load_actor_words().get(head, frozenset())
    return "org" in load_entity_words().get(head, frozenset()) or bool(
        kinds & {"group", "group-org"}
    )


def _group_type(name: str) -> ActorType:
    """An organisation when the name's head word is one ("campaign", "ministry"), else other."""
    words = _words(name)
    if not words:
        return "other"
    head = words[-1].lower()
    if "org" in load_entity_words().get(head, frozenset()):
        return "organisation"
    if "group-org" in load_actor_words().get(head, frozenset()):
        return "organisation"
    return "other"


def _text_actor(text: str, rule: str, *, proper: bool = True) -> ActorName | None:
    """The actor a source's own words name, when no entity says who it is. With ``proper``
    (no entity at all), the words must hold a name: a capitalised word after the first ("The
    Journal", "Border Patrol agents"), not only a capital at the start of a sentence ("Many",
    "Tuesday", "Early results"); a title before a name makes it a person ("Texas Sen. Ted Cruz")."""
    words = _words(text)
    if not words or words[0].lower() in _PRONOUN_SOURCES:
        return None
    actor_words = load_actor_words()
    empty = {"time", "quantifier", "determiner"}
    if all(_is_title(word) or empty & actor_words.get(word.lower(), frozenset()) for word in words):
        return None  # "Tuesday", "Most", "Mr."
    if any(_is_title(word) for word in words[:-1]):
        key = person_key(text)
        if key is not None and " " in key[1]:
            return ActorName(
                "person", key[0], key[1], key[2], _display_person(text), rule="source-title"
            )
    if proper and not any(word[:1].isupper() for word in words[1:]):
        return None
    if _indefinite_person(text, named_after=True):
        return None  # "a senior Cruz adviser", "a Donald Trump tweet": one of many
    if proper and 2 <= len(words) <= 3 and is_first_name(words[0]) and not _names_a_group(text):
        key = person_key(text)  # "Hillary Clinton" that no entity holds: a first name leads
        if key is not None and " " in key[1]:
            return ActorName("person", key[0], key[1], key[2], text, rule="source-name")
    key_text = organisation_key(text)
    if key_text is None:
        return None
    return ActorName(_group_type(text), key_text, key_text, "", text, rule=rule)


def actor_name(claim: Claim, entity: Entity | None) -> ActorName | None:
    """The actor name of a claim's source, or ``None`` when the source names no one (an unnamed
    or unresolved source, the outlet's own assertion, a pronoun no entity resolved, or nothing
    left of a name)."""
    if claim.source_kind != "named" or claim.source is None:
        return None
    source = claim.source.text.strip()
    opening = _words(source)[:1]
    pronoun = not opening or opening[0].lower() in _PRONOUN_SOURCES
    if opening and "other" in load_actor_words().get(opening[0].lower(), frozenset()):
        return None  # "another Clinton aide": one of several, not a record
    if entity is not None and not pronoun:
        group = _named_group(source, entity)
        if group is not None:
            if _indefinite_person(group, named_after=True):
                return None  # "a senior Cruz adviser": one unnamed person, not a record
            return _text_actor(group, "named-group", proper=False)
    if entity is not None and entity.type in _PERSON_TYPES and _names_a_group(entity.name):
        return _text_actor(entity.name, "entity", proper=False)  # "Clinton campaign" as PERSON
    if entity is not None and entity.type in _PERSON_TYPES:
        written = entity.name
        key = person_key(written)
        if key is None and not pronoun:  # the entity's name is only a title ("Republican
            written = _name_part(source)  # Sen.") or more than a name: the source's own
            key = person_key(written)
        if key is None:
            return None
        surname, base, middle = key
        return ActorName(
            "person",
            surname,
            base,
            middle,
            _display_person(written),
            entity.roles,
            entity.affiliations,
        )
    if entity is not None and entity.type in _ORG_TYPES:
        key_text = organisation_key(entity.name)
        if key_text is None:
            return None
        return ActorName(
            "organisation", key_text, key_text, "", entity.name, entity.roles, entity.affiliations
        )
    if entity is not None:  # a name the entities stage could not type: as its name says
        return _text_actor(entity.name, "entity", proper=False)
    return None if pronoun else _text_actor(_name_part(source), "source-text")


def _display_person(name: str) -> str:
    """A person's name as shown: the name without the titles and words before it."""
    return " ".join(_person_words(name))


def document_actor_names(extraction: Extraction) -> dict[str, ActorName]:
    """Claim id -> actor name, for the document's claims with a named source."""
    entities = {entity.id: entity for entity in extraction.entities}
    found: dict[str, ActorName] = {}
    for claim in extraction.claims:
        entity = entities.get(claim.source_entity) if claim.source_entity else None
        name = actor_name(claim, entity)
        if name is not None:
            found[claim.id] = replace(name, document=extraction.document.id)
    return found


# --- deciding actors within one group -----------------------------------------------------------


def _person_actor(name: ActorName, split_bases: set[str]) -> str:
    if name.base in split_bases and name.middle:
        return f"person:{name.base}:{name.middle}"
    return f"person:{name.base}"


def assign(names: Mapping[str, ActorName]) -> dict[str, str]:
    """Claim id -> actor key for the names of one group (all of one type and ``group``).

    A pure function of the set of names: the same names give the same keys in any order.

    >>> def person(base, middle="", document="d1"):
    ...     return ActorName("person", base.split()[-1], base, middle, base, document=document)
    >>> keys = assign({"c1": person("donald trump", "j"), "c2": person("donald trump", "", "d2"),
    ...                "c3": person("trump")})
    >>> sorted(set(keys.values()))
    ['person:donald trump']
    >>> keys = assign({"c1": person("hillary clinton"), "c2": person("bill clinton"),
    ...                "c3": person("clinton")})
    >>> keys["c3"]
    'person:clinton'
    """
    if not names:
        return {}
    kinds = {(name.type, name.group) for name in names.values()}
    if len(kinds) != 1:
        raise ValueError(f"assign() takes one group, got {sorted(kinds)}")
    kind = next(iter(kinds))[0]
    if kind != "person":
        return {claim_id: f"{name.type}:{name.base}" for claim_id, name in names.items()}
    middles: dict[str, set[str]] = defaultdict(set)
    for name in names.values():
        if not name.surname_only and name.middle:
            middles[name.base].add(name.middle)
    split = {base for base, seen in middles.items() if len(seen) > 1}
    full = {name.base for name in names.values() if not name.surname_only}
    # a surname alone joins the one full name of that surname, unless that name is split or
    # rests on a single document ("Cheney" is not the "Cheryl Cheney" of one article)
    target = None
    if len(full) == 1 and not split:
        base = next(iter(full))
        seen_in = {n.document for n in names.values() if n.base == base and not n.surname_only}
        if len(seen_in) >= SURNAME_JOIN_DOCUMENTS:
            target = f"person:{base}"
    keys: dict[str, str] = {}
    for claim_id, name in names.items():
        if name.surname_only:
            # a lone first name ("John", "Bernie") is no surname: it joins no "Tom John"
            lone = target is None or is_first_name(name.base)
            keys[claim_id] = f"person:{name.base}" if lone or target is None else target
        else:
            keys[claim_id] = _person_actor(name, split)
    return keys


def actor_id(key: str) -> str:
    """The stable id of the actor with ``key``.

    >>> actor_id("person:donald trump")
    'a-5f7432f773cd'
    """
    return "a-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


# --- what an actor's record shows -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActorSummary:
    """An actor as a record shows it: canonical name (its most frequent form), its forms with
    counts, type, and the roles and affiliations the documents gave it."""

    id: str
    key: str
    type: ActorType
    name: str
    aliases: tuple[tuple[str, int], ...]
    roles: tuple[str, ...]
    affiliations: tuple[str, ...]


def summarise(key: str, names: Iterable[ActorName]) -> ActorSummary:
    """The record of the actor ``key`` from its claims' names.

    >>> names = [ActorName("person", "trump", "donald trump", "", "Donald Trump"),
    ...          ActorName("person", "trump", "donald trump", "j", "Donald J. Trump"),
    ...          ActorName("person", "trump", "donald trump", "", "Donald Trump")]
    >>> summary = summarise("person:donald trump", names)
    >>> summary.name, summary.aliases
    ('Donald Trump', (('Donald Trump', 2), ('Donald J. Trump', 1)))
    """
    listed = list(names)
    forms = Counter(name.surface for name in listed)
    aliases = tuple(sorted(forms.items(), key=lambda item: (-item[1], -len(item[0]), item[0])))
    # a surname alone is the canonical name only when the actor has no fuller form
    full = [(form, count) for form, count in aliases if len(form.split()) > 1]
    name = (full or list(aliases))[0][0] if aliases else key.split(":", 1)[1]
    return ActorSummary(
        actor_id(key),
        key,
        listed[0].type if listed else "other",
        name,
        aliases,
        _most_common(role for one in listed for role in one.roles),
        _most_common(item for one in listed for item in one.affiliations),
    )


def _most_common(values: Iterable[str], limit: int = 8) -> tuple[str, ...]:
    counts = Counter(value for value in values if value)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(value for value, _ in ranked[:limit])


def groups_of(names: Sequence[ActorName]) -> set[tuple[str, str]]:
    """The ``(type, group)`` pairs a set of names falls in (what must be decided again)."""
    return {(name.type, name.group) for name in names}
