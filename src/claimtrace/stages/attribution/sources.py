"""Source resolution: pronoun, description and surname sources resolved to the last speaker or
the nearest compatible earlier mention (with gender where the text shows it), "I" and "we" in a
quote to its speaker, and each source's kind (named, unnamed, unresolved)."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable
from functools import lru_cache
from typing import Final

from spacy.tokens import Token

from claimtrace.records import SourceKind
from claimtrace.stages.attribution.content import _quote_kind
from claimtrace.stages.attribution.document import _Document, _Found, _is_name
from claimtrace.stages.attribution.lexicon import (
    _BARE_PRONOUNS,
    _DETERMINERS,
    _FEMALE_PRONOUNS,
    _FIRST_PERSON,
    _GROUP_PRONOUNS,
    _MALE_PRONOUNS,
    _PERSON_PRONOUNS,
    _UNNAMED_HEADS,
)
from claimtrace.stages.entities import (
    FEMALE_WORDS,
    MALE_WORDS,
    load_entity_words,
    load_name_genders,
)

_MENTION_PERSON: Final = "person"
_MENTION_GROUP: Final = "group"


class _Genders:
    """The gender of person mentions where the text shows it: a title or gendered noun in or
    just before the name ("Mrs. Clinton", "spokeswoman Ann Lee"), a first name of
    ``data/name_genders.tsv``, or a surname that a gendered mention of the document ends with."""

    def __init__(self, d: _Document, mentions: list[tuple[int, int, str]]) -> None:
        self.d = d
        self.names = load_name_genders()
        self.titles = _title_words()
        self.surnames: dict[str, str | None] = {}
        self._seen: dict[tuple[int, int], str | None] = {}
        for start, end, kind in mentions:
            gender = self.own(start, end) if kind == _MENTION_PERSON else None
            words = d.text[start:end].split()
            if gender is not None and len(words) >= 1:
                surname = _surname(words[-1])
                known = self.surnames.get(surname, gender)
                self.surnames[surname] = gender if known == gender else None

    def own(self, start: int, end: int) -> str | None:
        text = self.d.text
        before = text[max(0, start - 12) : start].split()[-1:]
        words = [*before, *text[start:end].split()]
        for word in words:
            lower = word.lower()
            if lower in MALE_WORDS:
                return "m"
            if lower in FEMALE_WORDS:
                return "f"
        # the first name: the first word after any titles, of a name of two words or more
        words = [w for w in text[start:end].split() if w.lower() not in self.titles]
        if len(words) >= 2 and words[0] in self.names:
            return self.names[words[0]]
        return None

    def of(self, start: int, end: int) -> str | None:
        if (start, end) in self._seen:
            return self._seen[(start, end)]
        gender = self.own(start, end)
        if gender is None:
            words = self.d.text[start:end].split()
            if words:
                gender = self.surnames.get(_surname(words[-1]))
        self._seen[(start, end)] = gender
        return gender


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """Words that stand before a first name without being one ("Senator", "chief")."""
    return frozenset(
        word
        for word, kinds in load_entity_words().items()
        if kinds & {"title", "honorific", "role", "role-modifier"}
    )


def _surname(word: str) -> str:
    """A name's last word without punctuation or a possessive: "Clinton’s" → "Clinton".

    >>> _surname("Clinton’s,"), _surname("Jones")
    ('Clinton', 'Jones')
    """
    word = word.strip('.,;:"“”()')
    return word.removesuffix("’s").removesuffix("'s").strip("'’")


def _pronoun_gender(word: str) -> str | None:
    return "m" if word in _MALE_PRONOUNS else "f" if word in _FEMALE_PRONOUNS else None


def _resolve(
    d: _Document,
    source: tuple[int, int],
    mentions: list[tuple[int, int, str]],
    speaker: tuple[int, int, str] | None = None,
    genders: _Genders | None = None,
    unnamed: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset(),
) -> tuple[tuple[int, int] | None, str, float]:
    """The antecedent of a pronoun/description/surname source, the rule that found it and how
    sure it is.

    A pronoun that opens a sentence after a reported one ("It added: …") continues the last
    compatible speaker when that speaker is near; otherwise the nearest compatible mention.
    "he" and "she" skip persons of the other gender where the text shows it (a title, a first
    name, a surname of a titled mention); an antecedent is less sure when it is far or another
    compatible person stands near it. "the ministry" is not an unnamed source ("officials")
    just because both are groups.
    """
    text = d.text
    words = text[source[0] : source[1]].split()
    if not words:
        return None, "", 0.0
    first = words[0].lower().strip(",")
    gender = _pronoun_gender(first) if len(words) == 1 else None

    def fits(start: int, end: int) -> bool:
        return gender is None or genders is None or genders.of(start, end) in (None, gender)

    def known(start: int, end: int) -> bool:
        return gender is not None and genders is not None and genders.of(start, end) == gender

    wanted = _wanted_mention(words, first)
    if (
        wanted in (_MENTION_PERSON, _MENTION_GROUP)
        and first != "who"
        and speaker is not None
        and speaker[2] == wanted
        and 0 < source[0] - speaker[1] < 400
        and fits(speaker[0], speaker[1])
    ):
        sure = 0.9 if known(speaker[0], speaker[1]) or gender is None else 0.85
        return (speaker[0], speaker[1]), "antecedent:speaker", sure
    k = bisect_left(mentions, (source[0],))
    candidates = mentions[max(0, k - 40) : k]
    if wanted == "description":
        return _description_antecedent(text, source, words, candidates, unnamed)
    if wanted is not None:
        return _pronoun_antecedent(text, source, first, wanted, candidates, fits, known)
    return _surname_antecedent(d, source, candidates)


def _wanted_mention(words: list[str], first: str) -> str | None:
    """What the antecedent of a source of ``words`` must be: a person or a group mention (a
    pronoun), an earlier mention of the same noun (``description``: "the group"), or None."""
    if len(words) == 1 and first in _PERSON_PRONOUNS - {"i", "me", "we", "us", "you"}:
        return _MENTION_PERSON
    if len(words) == 1 and first in _GROUP_PRONOUNS | {"which"}:
        return _MENTION_GROUP
    if len(words) == 1 and first == "who":
        return _MENTION_PERSON
    if first in ("the", "this") and len(words) <= 3 and not any(w[:1].isupper() for w in words[1:]):
        return "description"
    return None


def _description_antecedent(
    text: str,
    source: tuple[int, int],
    words: list[str],
    candidates: list[tuple[int, int, str]],
    unnamed: frozenset[tuple[int, int]] | set[tuple[int, int]],
) -> tuple[tuple[int, int] | None, str, float]:
    """The earlier mention a description ("the group", "the ministry") refers to."""
    noun = words[-1].lower()
    for start, end, _kind in reversed(candidates):
        if noun in text[start:end].lower() and (start, end) != source:
            return (start, end), "antecedent:description", 0.8
    # "the ministry", not "the enemy"; "the defence ministry" is one not met before
    if len(words) == 2 and "org" in load_entity_words().get(noun, ()):
        for start, end, kind in reversed(candidates):
            if kind == _MENTION_GROUP and (start, end) not in unnamed:
                return (start, end), "antecedent:description", 0.65
    return None, "", 0.0


def _pronoun_antecedent(
    text: str,
    source: tuple[int, int],
    first: str,
    wanted: str,
    candidates: list[tuple[int, int, str]],
    fits: Callable[[int, int], bool],
    known: Callable[[int, int], bool],
) -> tuple[tuple[int, int] | None, str, float]:
    """The nearest earlier mention of the kind a pronoun wants, widened to the mention that
    holds it, and how sure it is (less when far, or with a compatible rival near it)."""
    for n in range(len(candidates) - 1, -1, -1):
        start, end, kind = candidates[n]
        if (
            kind == wanted or (wanted == _MENTION_GROUP and first in ("they", "them", "their"))
        ) and fits(start, end):
            while n > 0 and candidates[n - 1][0] <= start and candidates[n - 1][1] >= end:
                n -= 1
                start, end = candidates[n][0], candidates[n][1]
            sure = 0.85 if known(start, end) else 0.75
            if source[0] - end > 400:
                sure -= 0.15
            rivals = {
                text[a:b]
                for a, b, other in candidates[max(0, n - 6) : n]
                if other == kind and start - b < 300 and b <= start and fits(a, b)
            }
            if rivals - {text[start:end]} and not known(start, end):
                sure -= 0.15  # another compatible person just before: "he" may be either
            return (start, end), "antecedent:pronoun", round(sure, 2)
    return None, "", 0.0


def _surname_antecedent(
    d: _Document, source: tuple[int, int], candidates: list[tuple[int, int, str]]
) -> tuple[tuple[int, int] | None, str, float]:
    """A surname source's earlier, fuller mention of the same person."""
    text = d.text
    tokens = d.doc.char_span(source[0], source[1], alignment_mode="expand")
    if tokens is not None and len(tokens) > 0:
        run: list[Token] = []  # the first name in the source: "Prigozhin" of "Prigozhin, head of …"
        for token in tokens:
            if token.text[:1].isupper() and (not d.tags or _is_name(token)):
                run.append(token)
            elif run:
                break
        if 0 < len(run) <= 2 and run[0].i == tokens.start:
            name = run[-1].text.lower()
            for start, end, _kind in reversed(candidates):
                mention_words = text[start:end].lower().split()
                # the fuller mention ends with the same name: "Wagner chief Yevgeny Prigozhin"
                if len(mention_words) > 1 and mention_words[-1] == name and end <= source[0]:
                    return (start, end), "antecedent:surname", 0.9
    return None, "", 0.0


def _bare_pronoun(d: _Document, source: tuple[int, int] | None) -> str | None:
    """The pronoun a source consists of ("I", "he", "They"), lower case, else ``None``."""
    if source is None:
        return None
    word = d.text[source[0] : source[1]].strip().lower()
    return word if word in _BARE_PRONOUNS else None


def _quote_speakers(d: _Document, found: list[_Found]) -> None:
    """ "I", "we" and their forms as the source of a claim inside a quote (or a transcript
    line, "PENCE: … I think …") are the quote's speaker: the source of the innermost claim
    whose content holds them, as that claim's own source resolved. Outer claims are settled
    first, so "I" inside a quote inside a quote finds the outer speaker through the inner."""
    order = sorted(
        (a for a in found if a.source is not None and _bare_pronoun(d, a.source) in _FIRST_PERSON),
        key=lambda a: -sum(end - start for start, end in a.content),
    )
    for a in order:
        assert a.source is not None
        start, end = a.source
        holders = [
            (hold_end - hold_start, other, (hold_start, hold_end))
            for other in found
            if other is not a and other.cue is not None and other.source is not None
            for hold_start, hold_end in other.content
            if hold_start <= start and end <= hold_end
        ]
        if not holders:
            continue
        _, holder, _span = min(holders, key=lambda h: h[0])
        transcript = "cue:colon-label" in holder.evidence
        if not transcript and d.quoted_chars(start, end) == 0:
            continue  # "Clinton said I was wrong": the author's "I", not the speaker's
        if holder.kind == "unresolved" or holder.source is None:
            continue
        speaker, sure = holder.source, 0.9
        for item in holder.evidence:
            if item.startswith("antecedent:"):
                a_start, a_end = item.rsplit(":", 1)[1].split("-")
                speaker = (int(a_start), int(a_end))
            elif item.startswith("antecedent-confidence:"):
                sure = min(sure, float(item.split(":", 1)[1]))
        a.evidence.append(f"antecedent:quoted:{speaker[0]}-{speaker[1]}")
        a.evidence.append(f"antecedent-confidence:{sure:.2f}")
        a.kind = holder.kind


def _source_kind(d: _Document, source: tuple[int, int] | None, resolved: bool) -> SourceKind:
    """``named``, ``unnamed`` ("officials", "reports"), or ``unresolved``: a bare pronoun
    ("he", "I") that no antecedent was found for names nobody the record can show."""
    if source is None:
        return "unnamed"
    tokens = d.doc.char_span(source[0], source[1], alignment_mode="expand")
    if tokens is None or len(tokens) == 0:
        return "unnamed"
    if _bare_pronoun(d, source) is not None:
        return "named" if resolved else "unresolved"
    head = tokens.root if d.syntax else tokens[-1]
    if resolved or head.lower_ in _PERSON_PRONOUNS or head.lower_ in ("they", "who"):
        return "named"
    if (
        tokens[0].lower_ == "the"
        and len(tokens) <= 3
        and head.i == tokens.end - 1
        and "org" in load_entity_words().get(head.lower_, ())
    ):
        return "named"  # "the defence ministry": one organisation the reader knows
    if head.lower_ in _UNNAMED_HEADS or head.lemma_.lower() in _UNNAMED_HEADS:
        # "A spokesman, Marko Ilić": a person's name in apposition names the source
        appositive_name = any(
            (t.dep_ == "appos" and t.head.i == head.i and t.pos_ == "PROPN")
            or d.ent_of_token.get(t.i) == "PERSON"
            for t in tokens
        )
        return "named" if appositive_name else "unnamed"
    if d.tags:
        named = any(t.pos_ == "PROPN" or t.i in d.ent_of_token for t in tokens)
    else:
        named = any(t.text[:1].isupper() for t in tokens[1:]) or (
            tokens[0].text[:1].isupper() and tokens[0].lower_ not in _DETERMINERS
        )
    return "named" if named else "unnamed"


def _mention_kind(d: _Document, span: tuple[int, int]) -> str:
    """Person or group: by NER where it says, else by the head ("the army" is a group)."""
    tokens = d.doc.char_span(span[0], span[1], alignment_mode="expand")
    if tokens is None or len(tokens) == 0:
        return _MENTION_GROUP
    head = tokens.root if d.syntax else tokens[-1]
    label = d.ent_of_token.get(head.i)
    if label is not None:
        return _MENTION_PERSON if label == "PERSON" else _MENTION_GROUP
    if head.lower_ in _PERSON_PRONOUNS or any(d.ent_of_token.get(t.i) == "PERSON" for t in tokens):
        return _MENTION_PERSON
    return _MENTION_PERSON if d.tags and head.pos_ == "PROPN" else _MENTION_GROUP


def _resolve_sources(d: _Document, found: list[_Found]) -> None:
    """Resolve pronouns and descriptions against earlier mentions, in document order, and set
    each attribution's source kind and quote kind."""
    mentions = sorted((s, e, "person" if lab == "PERSON" else "group") for s, e, lab in d.ents)
    speaker: tuple[int, int, str] | None = None  # the last named (not pronoun) source
    genders = _Genders(d, mentions)
    unnamed: set[tuple[int, int]] = set()  # unnamed sources: "they" of "officials" is unnamed
    for a in found:
        antecedent: tuple[int, int] | None = None
        if a.source is not None and _bare_pronoun(d, a.source) not in _FIRST_PERSON:
            antecedent, rule, sure = _resolve(d, a.source, mentions, speaker, genders, unnamed)
            if antecedent is not None:
                a.evidence.append(f"{rule}:{antecedent[0]}-{antecedent[1]}")
                a.evidence.append(f"antecedent-confidence:{sure:.2f}")
        a.kind = _source_kind(d, a.source, antecedent is not None)
        if antecedent is not None and antecedent in unnamed:
            a.kind = "unnamed"
        elif a.source is not None and antecedent is None and _bare_pronoun(d, a.source) is None:
            mention = (a.source[0], a.source[1], _mention_kind(d, a.source))
            insort(mentions, mention)  # an unresolved "he" is nobody's antecedent
            if a.kind == "unnamed":
                unnamed.add(a.source)
            if not _reported_inside(a.source, found):  # "It added" goes on from the
                speaker = mention  # reporting speaker, not from one it reported
        a.quote = _quote_kind(d, a.content)
        if a.quote != "indirect":
            a.evidence.append(f"quote:{a.quote}")


def _reported_inside(span: tuple[int, int], found: list[_Found]) -> bool:
    """Whether ``span`` lies inside the content of another attribution (a nested source)."""
    return any(
        start <= span[0] and span[1] <= end
        for other in found
        if other.source != span
        for start, end in other.content
    )
