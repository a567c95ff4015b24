"""Entities: who and what a document names, grouped into canonical entities with roles.

Mentions come from the language model's NER (PERSON, ORG, GPE, LOC, NORP), from the noun
phrases used as claim sources ("The Ukrainian army", "Wagner chief Yevgeny Prigozhin") and from
capitalised names the NER missed where the text says what they are (a title before: "local MP
Vyacheslav Wegner"). The NER of a small model mistypes names, so words around a name overrule it
(``data/entity_words.tsv``): an organisation noun after it ("the Wagner private army", "… Behind
Bars foundation") makes it an ORG, a role noun after it ("Wagner chief") or "head of" before it
makes it the organisation of that role, a place noun after it ("Donetsk region") a GPE, a title
before it ("President", "Mr") a PERSON. Per entity, the votes of its mentions decide the type.

Mentions group by their normalised name ("the Ukrainian general staff" = "Ukrainian General
Staff") and by surname ("Putin" joins "Vladimir Putin"). Person pronouns join the nearest earlier
person of their gender where a title or first name shows it (``data/name_genders.tsv``);
pronoun and description sources ("It", "the ministry", "his group", "I" in a quote) join the
entity the attribution stage resolved them to (``antecedent:RULE:START-END`` in the claim's
evidence), and "his group" joins the organisation of the person "his" refers to. A bare
pronoun source that joins no entity is ``source_kind: unresolved``, never a named source.
Titles and roles before a name ("Wagner chief", "local MP", "President") or in an apposition
after it (", head of Wagner") go to ``roles``; the organisations or places named in them, in
"X, of Y" or in "Y's X", to ``affiliations``. Each claim gets ``source_entity`` (its source
resolved) and ``entities`` (the entities mentioned in its content). Ids are
``stable_id("e", document id, canonical key)``.

>>> from claimtrace import Extractor, Settings
>>> from claimtrace.stages.context import StageContext
>>> extractor = Extractor(Settings(model="rules"))
>>> result = extractor.extract_text("The Ukrainian army said that it advanced. It added: ‘Yes.’")
>>> found = run(extractor.nlp(result.document.text), StageContext(document=result.document,
...     found=Findings(sentences=result.sentences, claims=result.claims)))
>>> [(e.name, e.type, len(e.mentions)) for e in found.entities]
[('Ukrainian Army', 'ORG', 2)]
>>> {c.source_entity for c in found.claims if c.source} == {found.entities[0].id}
True
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.resources import files
from typing import Final

from spacy.tokens import Doc, Token

from claimtrace.records import Claim, Entity, EntityType, Span, stable_id
from claimtrace.stages.attribution_lexicon import word_set
from claimtrace.stages.context import Findings, StageContext

__all__ = ["FEMALE_WORDS", "MALE_WORDS", "load_entity_words", "load_name_genders", "run"]

_NER_TYPES: Final = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})
_PERSON_PRONOUNS: Final = word_set("he him his himself she her hers herself")
_GROUP_PRONOUNS: Final = word_set("it its they them their")
_MALE_PRONOUNS: Final = word_set("he him his himself")
#: words in or just before a name that give the person's gender ("Mrs. Clinton", "spokeswoman")
MALE_WORDS: Final = word_set(
    "mr mr. sir lord king prince congressman spokesman businessman father husband son brother"
)
FEMALE_WORDS: Final = word_set(
    "mrs mrs. ms ms. miss madam dame lady queen princess congresswoman spokeswoman chairwoman "
    "businesswoman mother wife daughter sister"
)
_POSSESSIVES: Final = word_set("his her their its")
#: a source that is one of these alone is a named source only through its antecedent
_PRONOUNS: Final = (
    _PERSON_PRONOUNS
    | _GROUP_PRONOUNS
    | word_set("i me my mine myself we us our ours ourselves you your yours itself themselves who")
)
_DETERMINERS: Final = word_set("the a an this that these those")
_APOSTROPHE_S: Final = ("'s", "’s", "'", "’")
_NAME_LINKS: Final = word_set("of de la le von van der al bin")
_FUNCTION_WORDS: Final = word_set("of and for the in on at de to by von van der la le al bin")
#: words that end an apposition's noun phrase: its head is the word before them
_APPOSITION_ENDS: Final = frozenset(["of", "for", "at", "in", "with", "who", "which", "and"])
#: "head of Wagner", "spokesman for the Kremlin": the name after these is an organisation
_ROLE_PREPOSITIONS: Final = word_set("of for at")
#: "in Donetsk", "towards Kyiv": a single name the NER called a person is a place here
_PLACE_PREPOSITIONS: Final = word_set("in near towards toward outside across inside")
_CLAUSE_STOPS: Final = word_set(', . ; : ( ) – — ― ‘ ’ “ ” " who which that said says')
#: strength of a type vote: the NER's guess, a weak cue, a strong cue in the text
_NER, _WEAK, _STRONG = 1, 2, 3
_ANTECEDENT: Final = re.compile(r"^antecedent:([a-z]+):(\d+)-(\d+)$")


@lru_cache(maxsize=1)
def load_entity_words() -> dict[str, frozenset[str]]:
    """The packaged word classes: word -> {honorific, title, role, role-modifier, org, place}.

    >>> sorted(load_entity_words()["chief"])
    ['role', 'role-modifier']
    """
    table: dict[str, set[str]] = {}
    data = files("claimtrace.stages").joinpath("data/entity_words.tsv")
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, kind = line.split("\t")[:2]
        table.setdefault(word.strip().lower(), set()).add(kind.strip())
    return {word: frozenset(kinds) for word, kinds in table.items()}


@lru_cache(maxsize=1)
def load_name_genders() -> dict[str, str]:
    """First names whose gender the shared data shows (``m`` or ``f``), from
    ``data/name_genders.tsv``, built by ``python -m bench.entities --build-names``.

    >>> load_name_genders()["Hillary"], load_name_genders()["Donald"]
    ('f', 'm')
    """
    table: dict[str, str] = {}
    data = files("claimtrace.stages").joinpath("data/name_genders.tsv")
    for line in data.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, gender = line.split("\t")[:2]
            table[name.strip()] = gender.strip()
    return table


@dataclass(slots=True)
class _Mention:
    """One mention under construction: tokens ``first..last`` and what is known about it."""

    start: int
    end: int
    first: int
    last: int
    type: str
    strength: int
    kind: str = "name"  # name | pronoun | description
    roles: list[str] = field(default_factory=list)
    affiliations: list[int] = field(default_factory=list)
    cluster: int = -1
    evidence: str = "ner"
    name_start: int = -1  # where the name begins after a title kept in the span ("President")


@dataclass(slots=True)
class _Cluster:
    """One canonical entity: its mentions, by index, in document order."""

    key: str
    mentions: list[int]
    words: list[str]


def normalise_name(name: str) -> str:
    """The key a name is grouped by: no leading article or trailing 's, lower case, one space.

    >>> normalise_name("the Ukrainian  General staff’s")
    'ukrainian general staff'
    """
    words = name.replace("’", "'").split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    return " ".join(w.strip(".,;:\"'()") for w in words).strip().lower()


def organisation_name(name: str) -> str:
    """An organisation's canonical form: no leading article, capitalised words, as news writes it.

    >>> organisation_name("the Ukrainian general staff")
    'Ukrainian General Staff'
    >>> organisation_name("Russia Behind Bars")
    'Russia Behind Bars'
    """
    words = name.split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    out = []
    for k, word in enumerate(words):
        if word.islower() and word.isalpha() and (k == 0 or word not in _FUNCTION_WORDS):
            word = word[:1].upper() + word[1:]
        out.append(word)
    return " ".join(out)


class _Document:
    """The parsed document, its word classes and the mentions found so far."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc = doc
        self.text = text
        self.words = load_entity_words()
        self.tags = doc.has_annotation("POS")
        self.syntax = doc.has_annotation("DEP")
        self.mentions: list[_Mention] = []
        self.owner: dict[int, int] = {}  # token -> index of the name mention covering it
        self.sent_start: list[int] = []
        starts = [s.start for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
        self.sent_start = starts or [0]

    def classes(self, token: Token) -> frozenset[str]:
        return self.words.get(token.lower_, frozenset())

    def sentence_of(self, i: int) -> tuple[int, int]:
        """Token range ``[start, end)`` of the sentence holding token ``i``."""
        k = bisect_right(self.sent_start, i) - 1
        start = self.sent_start[max(k, 0)]
        end = self.sent_start[k + 1] if k + 1 < len(self.sent_start) else len(self.doc)
        return start, end

    def name_token(self, token: Token) -> bool:
        """A word that can be part of a name: capitalised and not a function word or pronoun."""
        text = token.text
        if not text[:1].isupper() or not any(c.isalpha() for c in text):
            return False
        if self.tags and token.pos_ in ("PRON", "DET", "CCONJ", "SCONJ", "AUX", "VERB", "PUNCT"):
            return False
        return token.lower_ not in _DETERMINERS and token.lower_ not in _POSSESSIVES

    def add(self, mention: _Mention) -> int:
        """Add a name mention unless one already covers its tokens; its index either way."""
        for i in range(mention.first, mention.last + 1):
            if i in self.owner:
                return self.owner[i]
        index = len(self.mentions)
        self.mentions.append(mention)
        if mention.kind == "name":
            for i in range(mention.first, mention.last + 1):
                self.owner[i] = index
        return index

    def mention_of(self, first: int, last: int, type_: str, strength: int, why: str) -> _Mention:
        doc = self.doc
        return _Mention(
            start=doc[first].idx,
            end=doc[last].idx + len(doc[last].text),
            first=first,
            last=last,
            type=type_,
            strength=strength,
            evidence=why,
        )

    def surface(self, m: _Mention) -> str:
        """The name of a mention, without a title the span keeps."""
        return self.text[max(m.start, m.name_start) : m.end]

    def titled(self, index: int) -> None:
        """Widen a person's mention over the capitalised titles just before it
        ("President Vladimir Putin", "Mr Smith"); its name stays without them."""
        m = self.mentions[index]
        sent_start, _ = self.sentence_of(m.first)
        first = m.first
        while (
            first - 1 >= sent_start
            and first - 1 not in self.owner
            and self.doc[first - 1].text[:1].isupper()
            and self.classes(self.doc[first - 1]) & {"title", "honorific"}
        ):
            first -= 1
        if first - 1 >= sent_start and (
            self.name_token(self.doc[first - 1])
            or self.classes(self.doc[first - 1]) & {"role-modifier", "role"}
        ):
            return  # "local MP Wegner", "Russian President Putin": the title is in a role
        if first < m.first:
            m.name_start = m.start
            m.start = self.doc[first].idx


def _skip_modifiers(d: _Document, i: int, limit: int) -> int:
    """The first token from ``i`` that is not a lower-case modifier ("private", "general")."""
    steps = 0
    while i < limit and steps < 2:
        token = d.doc[i]
        if not token.text.islower() or "org" in d.classes(token) or "place" in d.classes(token):
            break
        if d.tags and token.pos_ not in ("ADJ", "NOUN", "PROPN"):
            break
        if not d.tags:
            break
        i += 1
        steps += 1
    return i


def _context_type(d: _Document, first: int, last: int, label: str) -> tuple[str, int, str]:
    """The type the words around a name give it (and how strongly), else the NER's label."""
    doc = d.doc
    sent_start, sent_end = d.sentence_of(first)
    name_words = [d.classes(doc[i]) for i in range(first, last + 1)]
    if label != "NORP":
        if name_words and "org" in name_words[-1] and last > first:
            return "ORG", _STRONG, "type:org-word"
        if name_words and "place" in name_words[-1] and last > first:
            return "GPE", _STRONG, "type:place-word"
        if last == first + 1 and doc[last].lower_ == "federation":  # "Russian Federation"
            return "GPE", _STRONG, "type:federation"
        after = _skip_modifiers(d, last + 1, sent_end)
        if after < sent_end and doc[after].text.islower():
            classes = d.classes(doc[after])
            if "org" in classes:
                return "ORG", _STRONG, "type:org-word-after"
            if "place" in classes and after == last + 1:
                return ("LOC" if label == "LOC" else "GPE"), _STRONG, "type:place-word-after"
            if "role" in classes and after == last + 1 and label in ("PERSON", "ORG", ""):
                return "ORG", _STRONG, "type:role-after"
    apposition = last + 2 if last + 1 < sent_end and doc[last + 1].text == "," else sent_end
    if apposition < sent_end and doc[apposition].lower_ in ("a", "an", "the"):
        apposition += 1
    # ", the union's regional secretary": the apposition's head noun (before "of", "for", a comma)
    head = apposition
    while (
        head + 1 < sent_end
        and head + 1 - apposition < 6
        and not doc[head + 1].is_punct
        and doc[head + 1].lower_ not in _APPOSITION_ENDS
    ):
        head += 1
    if (
        apposition < sent_end
        and d.classes(doc[head]) & {"role", "title"}
        and label in ("", "PERSON", "ORG")
        and not (label == "ORG" and first == last)
    ):
        return "PERSON", _STRONG, "type:role-apposition"
    before = first - 1
    if before >= sent_start:
        classes = d.classes(doc[before])
        if classes & {"honorific", "title"} and label != "NORP":
            return "PERSON", _STRONG, "type:title-before"
        if "role" in classes and label in ("", "PERSON"):
            return "PERSON", _STRONG, "type:role-before"
        if (
            doc[before].lower_ in _ROLE_PREPOSITIONS
            and before - 1 >= sent_start
            and "role" in d.classes(doc[before - 1])
            and label in ("", "PERSON", "ORG")
        ):
            return "ORG", _STRONG, "type:role-of"
        if (
            doc[before].lower_ in _PLACE_PREPOSITIONS
            and label == "PERSON"
            and first == last
            and d.tags
            and doc[first].pos_ == "PROPN"
        ):
            return "GPE", _WEAK, "type:place-preposition"
    if label:
        return label, _NER, "ner"
    return "OTHER", 0, "name"


def _strip_titles(d: _Document, first: int, last: int) -> int:
    """The first token of a name after its leading titles ("President Vladimir Putin")."""
    while first < last and d.classes(d.doc[first]) & {"honorific", "title"}:
        first += 1
    return first


def _ner_mentions(d: _Document) -> None:
    doc = d.doc
    if not doc.has_annotation("ENT_IOB"):
        return
    for ent in doc.ents:
        if ent.label_ not in _NER_TYPES:
            continue
        first, last = ent.start, ent.end - 1
        while first <= last and (doc[first].lower_ in _DETERMINERS or doc[first].is_punct):
            first += 1
        while last >= first and (doc[last].text in _APOSTROPHE_S or doc[last].is_punct):
            last -= 1
        if first > last:
            continue
        first = _strip_titles(d, first, last)
        if ent.label_ == "NORP":
            _norp_mention(d, first, last)
            continue
        type_, strength, why = _context_type(d, first, last, ent.label_)
        d.add(d.mention_of(first, last, type_, strength, why))


def _norp_mention(d: _Document, first: int, last: int) -> None:
    """A nationality; with an organisation noun after it, the organisation it names
    ("the Ukrainian army", "the Russian defence ministry")."""
    doc = d.doc
    _, sent_end = d.sentence_of(first)
    k = last + 1
    steps = 0
    while k < sent_end and steps < 3 and doc[k].text.islower() and doc[k].is_alpha:
        if "org" in d.classes(doc[k]):
            if k + 1 < sent_end and doc[k + 1].text.islower() and "org" in d.classes(doc[k + 1]):
                k += 1  # "general staff", "defence ministry" already stepped; "army group"
            d.add(d.mention_of(first, k, "ORG", _WEAK, "type:nationality-org"))
            return
        if d.tags and doc[k].pos_ not in ("ADJ", "NOUN"):
            break
        k += 1
        steps += 1
    d.add(d.mention_of(first, last, "NORP", _NER, "ner"))


def _name_run(d: _Document, i: int, limit: int) -> int:
    """The last token of the capitalised name that starts at ``i`` (``i - 1`` if none)."""
    last = i - 1
    k = i
    while k < limit:
        token = d.doc[k]
        if d.name_token(token) and k not in d.owner:
            last = k
        elif (
            token.lower_ in _NAME_LINKS
            and k + 1 < limit
            and d.name_token(d.doc[k + 1])
            and last >= i
        ):
            pass
        else:
            break
        k += 1
    return last


def _titled_names(d: _Document) -> None:
    """Names the NER missed after a title or role ("local MP Vyacheslav Wegner")."""
    doc = d.doc
    for token in doc:
        classes = d.classes(token)
        if not classes & {"honorific", "title", "role"} or token.i + 1 >= len(doc):
            continue
        _, sent_end = d.sentence_of(token.i)
        first = token.i + 1
        if first in d.owner or not d.name_token(doc[first]):
            continue
        first = _strip_titles(d, first, min(first + 3, sent_end - 1))
        last = _name_run(d, first, sent_end)
        if last < first or last - first > 3:
            continue
        if "org" in d.classes(doc[last]) or "place" in d.classes(doc[last]):
            continue
        # one word after a common role noun ("chief Prigozhin") must be tagged a name: it
        # could be a sentence's next subject
        lone = "role" in classes and not classes & {"title", "honorific"} and first == last
        if lone and d.tags and doc[first].pos_ != "PROPN":
            continue
        d.add(d.mention_of(first, last, "PERSON", _STRONG, "type:title-before"))


def _described_names(d: _Document) -> None:
    """Names the NER missed before an organisation noun ("the Wagner private army")."""
    doc = d.doc
    for token in doc:
        if "org" not in d.classes(token) or not token.text.islower() or token.i in d.owner:
            continue
        sent_start, _ = d.sentence_of(token.i)
        k = token.i - 1
        while k > sent_start and k > token.i - 3 and doc[k].text.islower() and doc[k].is_alpha:
            k -= 1
        last = k
        first = last
        while first - 1 >= sent_start and d.name_token(doc[first - 1]):
            first -= 1
        if last < sent_start or not d.name_token(doc[last]) or last in d.owner:
            continue
        if any(i in d.owner for i in range(first, last + 1)) or first == sent_start == last:
            continue
        d.add(d.mention_of(first, last, "ORG", _STRONG, "type:org-word-after"))


def _repeated_names(d: _Document, clusters: list[_Cluster], types: list[str]) -> None:
    """Later mentions of a known name that the NER missed ("Prigozhin", "Wagner" again)."""
    keys = {c.key: k for k, c in enumerate(clusters)}
    surnames = {c.words[-1]: k for k, c in enumerate(clusters) if types[k] == "PERSON"}
    doc = d.doc
    i = 0
    while i < len(doc):
        if i in d.owner or not d.name_token(doc[i]) or d.classes(doc[i]):
            i += 1
            continue
        _, sent_end = d.sentence_of(i)
        last = _name_run(d, i, min(sent_end, i + 4))
        key = normalise_name(d.text[doc[i].idx : doc[last].idx + len(doc[last].text)])
        cluster = keys.get(key, surnames.get(key, -1) if last == i else -1)
        if cluster >= 0:
            m = d.mention_of(i, last, types[cluster], _NER, "repeated-name")
            d.add(m)
        i = last + 1


def _source_mention(d: _Document, claim: Claim) -> int | None:
    """The name mention a claim's source phrase is about, added if new ("The Ukrainian army")."""
    if claim.source is None or claim.source_kind != "named":
        return None
    tokens = d.doc.char_span(claim.source.start, claim.source.end, alignment_mode="expand")
    if tokens is None or len(tokens) == 0:
        return None
    first, end = tokens.start, tokens.end
    for k in range(first, end):  # "X, head of Y": the head is before the apposition
        if d.doc[k].text == "," and k > first:
            if any(d.name_token(d.doc[j]) or j in d.owner for j in range(first, k)):
                end = k
            else:  # "A spokesman, Marko Ilić": the name is the apposition
                first = k + 1
            break
    while first < end and (d.doc[first].lower_ in _DETERMINERS or d.doc[first].is_punct):
        first += 1
    last = end - 1
    while last >= first and (d.doc[last].is_punct or d.doc[last].text in _APOSTROPHE_S):
        last -= 1
    if first > last or d.doc[first].lower_ in _POSSESSIVES | _PRONOUNS:
        return None
    if d.syntax:  # the phrase's head, unless a misparse made a role noun of it
        root = d.doc[first : last + 1].root
        if root.i != last and not d.classes(root) & {"title", "role", "honorific"}:
            if root.i in d.owner:
                return d.owner[root.i]
            if not d.name_token(root):
                return None
            last = _name_run(d, root.i, last + 1) if root.i not in d.owner else root.i
    if last in d.owner:
        return d.owner[last]
    head = d.doc[last]
    if d.name_token(head):
        start = last
        while start - 1 >= first and d.name_token(d.doc[start - 1]) and start - 1 not in d.owner:
            start -= 1
        start = _strip_titles(d, start, last)
        type_, strength, why = _context_type(d, start, last, "")
        if type_ == "OTHER" and last - start >= 1:
            plural = d.tags and d.doc[last].tag_ in ("NNPS", "NNS")  # "Harbourside Terminals"
            type_, strength, why = (
                ("ORG", _WEAK, "type:plural-name")
                if plural
                else (
                    "PERSON",
                    _WEAK,
                    "type:source-name",
                )
            )
        return d.add(d.mention_of(start, last, type_, strength, f"source:{why}"))
    # "the Ukrainian army": a described organisation, named by its modifiers
    if (
        "org" in d.classes(head)
        and last > first
        and any(d.name_token(d.doc[k]) or k in d.owner for k in range(first, last))
    ):
        for k in range(first, last):
            d.owner.pop(k, None)  # a nationality inside the name is part of it
        mention = d.mention_of(first, last, "ORG", _WEAK, "source:org-description")
        index = len(d.mentions)
        d.mentions.append(mention)
        for k in range(first, last + 1):
            d.owner[k] = index
        return index
    return None


def _roles(d: _Document, index: int) -> None:
    """Roles and affiliations of a person: a title before the name, an apposition after it."""
    doc = d.doc
    m = d.mentions[index]
    sent_start, sent_end = d.sentence_of(m.first)
    # before: "Wagner chief", "local MP", "Russian President", "Wagner's founder"
    k = m.first - 1
    role_first = -1
    while k >= sent_start:
        token = doc[k]
        classes = d.classes(token)
        if classes & {"title", "role"}:
            role_first = k
        elif (
            classes & {"role-modifier"}
            or token.text in _APOSTROPHE_S
            or (d.name_token(token) and not classes & {"honorific"})
        ):
            pass
        elif classes & {"honorific"}:
            if role_first < 0:
                k -= 1
                continue
            break
        else:
            break
        k -= 1
    if role_first >= 0:
        role_first = max(k + 1, sent_start)
        while role_first < m.first and (
            doc[role_first].text in _APOSTROPHE_S
            or (
                d.classes(doc[role_first]) & {"honorific"}
                and not d.classes(doc[role_first]) & {"title", "role"}
            )
        ):
            role_first += 1
        role_last = m.first - 1
        while role_last >= role_first and d.classes(doc[role_last]) & {"honorific"}:
            role_last -= 1
        if role_last >= role_first:
            _add_role(d, m, role_first, role_last)
    # after: ", head of Wagner,", ", a spokesman for the Kremlin", ", of Russia Behind Bars"
    k = m.last + 1
    if k + 1 < sent_end and doc[k].text == ",":
        k += 1
        if doc[k].lower_ in ("a", "an", "the"):
            k += 1
        start = k
        while k < sent_end and k - start < 10:
            token = doc[k]
            if token.text in _CLAUSE_STOPS or token.lower_ in _CLAUSE_STOPS:
                break
            if d.tags and token.pos_ in ("VERB", "AUX") and not d.classes(token):
                break
            k += 1
        if k > start:
            words = [d.classes(doc[i]) for i in range(start, k)]
            if doc[start].lower_ == "of":
                _affiliate(d, m, start + 1, k - 1)
            elif any(w & {"title", "role"} for w in words) and all(
                (w & {"title", "role", "role-modifier"})
                or doc[i].lower_ in _ROLE_PREPOSITIONS | _DETERMINERS
                or d.name_token(doc[i])
                or doc[i].text in _APOSTROPHE_S
                or doc[i].text.islower()
                for i, w in zip(range(start, k), words, strict=True)
            ):
                _add_role(d, m, start, k - 1)


def _add_role(d: _Document, m: _Mention, first: int, last: int) -> None:
    text = d.text[d.doc[first].idx : d.doc[last].idx + len(d.doc[last].text)]
    if text and text.lower() not in (r.lower() for r in m.roles):
        m.roles.append(text)
    _affiliate(d, m, first, last)


def _affiliate(d: _Document, m: _Mention, first: int, last: int) -> None:
    """Organisations and places named in ``first..last`` become the mention's affiliations."""
    doc = d.doc
    _merge_run(d, first, last)
    k = first
    while k <= last:
        owner = d.owner.get(k)
        if owner is not None and d.mentions[owner] is not m:
            other = d.mentions[owner]
            if other.type == "PERSON" and other.strength <= _NER:
                other.type, other.strength, other.evidence = "ORG", _STRONG, "type:affiliation"
            if other.type in ("ORG", "GPE", "LOC") and owner not in m.affiliations:
                m.affiliations.append(owner)
            k = other.last + 1
            continue
        if d.name_token(doc[k]) and not d.classes(doc[k]) & {"title", "role", "honorific"}:
            run_last = _name_run(d, k, last + 1)
            if run_last >= k:
                type_, strength, why = _context_type(d, k, run_last, "")
                if type_ in ("OTHER", "PERSON"):
                    type_, strength, why = "ORG", _WEAK, "type:affiliation"
                index = d.add(d.mention_of(k, run_last, type_, strength, why))
                if index not in m.affiliations and d.mentions[index] is not m:
                    m.affiliations.append(index)
                k = run_last + 1
                continue
        k += 1


def _merge_run(d: _Document, first: int, last: int) -> None:
    """One organisation for a capitalised run the NER cut in pieces ("Russia Behind Bars"
    as GPE + person): the pieces are dropped for the whole run."""
    doc = d.doc
    k = first
    while k <= last and not d.name_token(doc[k]):
        k += 1
    run_last = k - 1
    while run_last + 1 <= last and (
        d.name_token(doc[run_last + 1]) or doc[run_last + 1].lower_ in _NAME_LINKS
    ):
        run_last += 1
    while run_last >= k and not d.name_token(doc[run_last]):
        run_last -= 1
    if run_last <= k:
        return
    owners = {d.owner.get(i) for i in range(k, run_last + 1)}
    if len(owners) < 2:
        return
    for owner in owners - {None}:
        assert owner is not None
        other = d.mentions[owner]
        if other.first < k or other.last > run_last:
            return  # a mention reaching out of the run: leave the NER's reading
    for owner in owners - {None}:
        assert owner is not None
        d.mentions[owner].kind = "merged"
    for i in range(k, run_last + 1):
        d.owner.pop(i, None)
    type_, strength, why = _context_type(d, k, run_last, "")
    if type_ in ("OTHER", "PERSON"):
        type_, strength, why = "ORG", _WEAK, "type:affiliation"
    d.add(d.mention_of(k, run_last, type_, strength, why))


def _cluster(d: _Document) -> list[_Cluster]:
    """Group name mentions: the same normalised name, or a surname of an earlier person."""
    clusters: list[_Cluster] = []
    by_key: dict[str, int] = {}
    for m in d.mentions:
        if m.kind == "merged":
            m.cluster = -1
    order = sorted(
        (i for i, m in enumerate(d.mentions) if m.kind == "name"),
        key=lambda i: d.mentions[i].start,
    )
    for i in order:
        m = d.mentions[i]
        key = normalise_name(d.surface(m))
        if not key:
            continue
        words = key.split()
        target = by_key.get(key)
        personal = m.type in ("PERSON", "OTHER") or m.strength <= _NER
        if target is None and personal:
            for c in range(len(clusters) - 1, -1, -1):
                cluster = clusters[c]
                first = d.mentions[cluster.mentions[0]]
                if first.type != "PERSON" and m.type != "PERSON":
                    continue
                if (
                    len(words) <= 2
                    and len(cluster.words) > len(words)
                    and cluster.words[-len(words) :] == words
                ):
                    target = c
                    break
                if len(cluster.words) == 1 and len(words) > 1 and words[-1] == cluster.words[0]:
                    target = c
                    cluster.words = words
                    break
        if target is None:
            target = len(clusters)
            clusters.append(_Cluster(key=key, mentions=[], words=words))
        by_key.setdefault(key, target)
        clusters[target].mentions.append(i)
        m.cluster = target
    return clusters


def _cluster_type(d: _Document, cluster: _Cluster) -> str:
    votes: Counter[str] = Counter()
    for i in cluster.mentions:
        m = d.mentions[i]
        if m.kind == "name":
            votes[m.type] += m.strength
    if not votes:
        return "OTHER"
    best = max(votes.values())
    for i in cluster.mentions:  # ties go to the earliest mention's type
        if votes[d.mentions[i].type] == best:
            return d.mentions[i].type
    return "OTHER"


def _attach(d: _Document, start: int, end: int, cluster: int, kind: str) -> int:
    """A pronoun or description mention of ``cluster`` (kept once per span)."""
    for i, m in enumerate(d.mentions):
        if m.start == start and m.end == end:
            return i
    tokens = d.doc.char_span(start, end, alignment_mode="expand")
    first = tokens.start if tokens is not None else 0
    last = tokens.end - 1 if tokens is not None and len(tokens) else first
    mention = _Mention(start, end, first, last, "OTHER", 0, kind=kind, cluster=cluster)
    d.mentions.append(mention)
    return len(d.mentions) - 1


def _cluster_genders(d: _Document, types: list[str]) -> dict[int, str]:
    """The gender of person entities where a mention shows it and none contradicts it: a
    title in or just before the name ("Mrs. Clinton") or a known first name ("Hillary")."""
    names = load_name_genders()
    seen: dict[int, set[str]] = {}
    for m in d.mentions:
        if m.kind != "name" or m.cluster < 0 or types[m.cluster] != "PERSON":
            continue
        words = d.text[m.start : m.end].split()
        before = [d.doc[m.first - 1].lower_] if m.first > 0 else []
        gender = next(
            (
                "m" if w in MALE_WORDS else "f"
                for w in [*before, *(w.lower() for w in words)]
                if w in MALE_WORDS or w in FEMALE_WORDS
            ),
            None,
        )
        name = [w for w in d.surface(m).split() if not d.words.get(w.lower())]
        if gender is None and len(name) >= 2:
            gender = names.get(name[0])
        if gender is not None:
            seen.setdefault(m.cluster, set()).add(gender)
    return {c: next(iter(g)) for c, g in seen.items() if len(g) == 1}


def _pronouns(d: _Document, types: list[str]) -> None:
    """Person pronouns join the nearest earlier person in the same or the previous sentences
    ("he" not a woman, "she" not a man, where a title or first name shows it); "his group"
    joins that person's organisation."""
    persons = sorted(
        (m.start, m.cluster)
        for m in d.mentions
        if m.kind == "name" and m.cluster >= 0 and types[m.cluster] == "PERSON"
    )
    starts = [s for s, _ in persons]
    genders = _cluster_genders(d, types)
    doc = d.doc
    for token in doc:
        if token.lower_ not in _PERSON_PRONOUNS:
            continue
        k = bisect_left(starts, token.idx) - 1
        wanted = "m" if token.lower_ in _MALE_PRONOUNS else "f"
        while k >= 0 and genders.get(persons[k][1], wanted) != wanted:
            k -= 1
        if k < 0 or token.idx - starts[k] > 600:
            continue
        cluster = persons[k][1]
        _attach(d, token.idx, token.idx + len(token.text), cluster, "pronoun")
        if token.lower_ in ("his", "her"):
            _possessed_group(d, token, cluster, types)


def _possessed_group(d: _Document, token: Token, person: int, types: list[str]) -> None:
    """ "his group", "her party": the organisation the person is affiliated with."""
    doc = d.doc
    _, sent_end = d.sentence_of(token.i)
    k = _skip_modifiers(d, token.i + 1, sent_end)
    if k >= sent_end or "org" not in d.classes(doc[k]) or not doc[k].text.islower():
        return
    affiliations = [
        d.mentions[a].cluster
        for i, m in enumerate(d.mentions)
        if m.cluster == person and m.kind == "name"
        for a in m.affiliations
        if d.mentions[a].cluster >= 0 and types[d.mentions[a].cluster] in ("ORG", "GPE")
    ]
    if affiliations:
        end = doc[k].idx + len(doc[k].text)
        _attach(d, token.idx, end, affiliations[-1], "description")


def _antecedent(claim: Claim) -> tuple[int, int] | None:
    for item in claim.evidence:
        match = _ANTECEDENT.match(item)
        if match:
            return int(match.group(2)), int(match.group(3))
    return None


def _compatible(d: _Document, claim: Claim, cluster: _Cluster, type_: str) -> bool:
    """Whether a pronoun or description source can be this entity: person pronouns a person,
    "it"/"they" a group or place, "the ministry" an organisation or one with that word."""
    assert claim.source is not None
    words = claim.source.text.lower().split()
    if not words:
        return False
    if len(words) == 1 and words[0] in _PERSON_PRONOUNS:
        return type_ == "PERSON"
    if len(words) == 1 and words[0] in _GROUP_PRONOUNS:
        return type_ in ("ORG", "GPE", "LOC", "NORP", "OTHER") or words[0] in ("they", "their")
    if words[0] in _DETERMINERS:
        noun = words[-1]
        classes = d.words.get(noun, frozenset())
        return noun in cluster.key.split() or ("org" in classes and type_ in ("ORG", "GPE"))
    return True


def _clusters_at(d: _Document, start: int, end: int, main: dict[tuple[int, int], int]) -> list[int]:
    """The entities the mention at ``[start, end)`` may be: a source's own mention, else the
    name mentions overlapping it, the most overlapping first ("Johnnie Wilson, of Springfield"
    is Wilson before Springfield)."""
    if (start, end) in main:
        return [d.mentions[main[(start, end)]].cluster]
    overlaps: dict[int, int] = {}
    for m in d.mentions:
        overlap = min(end, m.end) - max(start, m.start)
        if m.cluster >= 0 and overlap > 0:
            overlaps[m.cluster] = max(overlaps.get(m.cluster, 0), overlap)
    return sorted(overlaps, key=lambda c: (-overlaps[c], c))


def run(doc: Doc, ctx: StageContext) -> Findings:
    """Canonical entities of ``doc``; claims get ``source_entity`` and ``entities``."""
    text = ctx.document.text
    d = _Document(doc, text)
    _ner_mentions(d)
    main: dict[tuple[int, int], int] = {}
    for claim in ctx.found.claims:
        if claim.source is None:
            continue
        rule = _antecedent(claim)
        if rule is not None and not d.text[claim.source.start : claim.source.end][:1].isupper():
            continue
        index = _source_mention(d, claim)
        if index is not None:
            main[(claim.source.start, claim.source.end)] = index
    _titled_names(d)
    _described_names(d)
    clusters = _cluster(d)
    types = [_cluster_type(d, c) for c in clusters]
    _repeated_names(d, clusters, types)
    for index in range(len(d.mentions)):
        m = d.mentions[index]
        if m.kind == "name" and m.cluster >= 0 and types[m.cluster] == "PERSON":
            _roles(d, index)
    for index in range(len(d.mentions)):
        m = d.mentions[index]
        if m.kind == "name" and m.cluster >= 0 and types[m.cluster] == "PERSON":
            d.titled(index)
    clusters = _cluster(d)  # again: the roles named organisations the NER missed
    types = [_cluster_type(d, c) for c in clusters]
    _pronouns(d, types)

    # sources resolved by the attribution stage: "It" → the army, "the ministry" → …
    source_cluster: dict[str, int] = {}
    for claim in ctx.found.claims:
        if claim.source is None:
            continue
        span = (claim.source.start, claim.source.end)
        if span in main and d.mentions[main[span]].cluster >= 0:
            source_cluster[claim.id] = d.mentions[main[span]].cluster
            continue
        antecedent = _antecedent(claim)
        if antecedent is None:
            continue
        fitting = [
            c
            for c in _clusters_at(d, *antecedent, main)
            if c >= 0 and _compatible(d, claim, clusters[c], types[c])
        ]
        if not fitting:
            continue
        cluster = fitting[0]
        source_cluster[claim.id] = cluster
        pronoun = claim.source.text.split()[:1] == [claim.source.text]
        _attach(d, *span, cluster, "pronoun" if pronoun else "description")

    ids, entities = _entities(d, clusters, types, ctx.document.id)
    claims = _link_claims(d, ctx.found.claims, source_cluster, ids)
    return replace(ctx.found, claims=tuple(claims), entities=tuple(entities))


def _entities(
    d: _Document, clusters: list[_Cluster], types: list[str], document_id: str
) -> tuple[list[str], list[Entity]]:
    """Entity records in order of first mention, and the id of each cluster."""
    members: list[list[_Mention]] = [[] for _ in clusters]
    for m in d.mentions:
        if m.cluster >= 0:
            members[m.cluster].append(m)
    names: list[str] = []
    for c in range(len(clusters)):
        named = [m for m in members[c] if m.kind == "name"]
        if types[c] == "PERSON":
            chosen = max(named, key=lambda m: (len(d.surface(m).split()), -m.start))
            name = " ".join(d.surface(chosen).split())
        else:
            chosen = min(named, key=lambda m: m.start)
            name = " ".join(d.surface(chosen).split())
            if types[c] == "ORG":
                name = organisation_name(name)
        names.append(name.removesuffix("’s").removesuffix("'s"))
    ids: list[str] = []
    seen: dict[str, int] = {}
    for c in range(len(clusters)):
        key = normalise_name(names[c]) or clusters[c].key
        ident = stable_id("e", document_id, key)
        if ident in seen:  # two groups ended with one name: one entity
            ident = stable_id("e", document_id, key, types[c], c)
        seen[ident] = c
        ids.append(ident)
    entities: list[Entity] = []
    text = d.text
    for c in sorted(range(len(clusters)), key=lambda c: min(m.start for m in members[c])):
        mentions = sorted({(m.start, m.end) for m in members[c]})
        roles: list[str] = []
        affiliations: list[str] = []
        for m in sorted(members[c], key=lambda m: m.start):
            for role in m.roles:
                if role.lower() not in (r.lower() for r in roles):
                    roles.append(role)
            for a in m.affiliations:
                target = d.mentions[a].cluster
                if target >= 0 and target != c and ids[target] not in affiliations:
                    affiliations.append(ids[target])
        type_: EntityType = _entity_type(types[c])
        entities.append(
            Entity(
                id=ids[c],
                name=names[c],
                type=type_,
                mentions=tuple(Span.of(text, s, e) for s, e in mentions),
                roles=tuple(roles),
                affiliations=tuple(affiliations),
            )
        )
    return ids, entities


def _entity_type(name: str) -> EntityType:
    if name == "PERSON":
        return "PERSON"
    if name == "ORG":
        return "ORG"
    if name == "GPE":
        return "GPE"
    if name == "LOC":
        return "LOC"
    if name == "NORP":
        return "NORP"
    return "OTHER"


def _link_claims(
    d: _Document, claims: tuple[Claim, ...], source_cluster: dict[str, int], ids: list[str]
) -> list[Claim]:
    spans = sorted((m.start, m.end, m.cluster) for m in d.mentions if m.cluster >= 0)
    starts = [s for s, _, _ in spans]
    linked: list[Claim] = []
    for claim in claims:
        found: list[str] = []
        for part in claim.content:
            k = bisect_left(starts, part.start)
            while k < len(spans) and spans[k][0] < part.end:
                _, end, member = spans[k]
                if end <= part.end and ids[member] not in found:
                    found.append(ids[member])
                k += 1
        cluster = source_cluster.get(claim.id)
        update: dict[str, object] = {"entities": tuple(found)}
        if cluster is not None:
            update["source_entity"] = ids[cluster]
            update["evidence"] = (*claim.evidence, f"source-entity:{ids[cluster]}")
        elif (
            claim.source is not None
            and claim.source_kind == "named"
            and claim.source.text.strip().lower() in _PRONOUNS
        ):  # "he" whose antecedent is no entity: nobody the record can name
            update["source_kind"] = "unresolved"
            update["evidence"] = (*claim.evidence, "source:unresolved-pronoun")
        linked.append(claim.model_copy(update=update))
    return linked
