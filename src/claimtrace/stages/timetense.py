"""Tense of the clause a time expression sits in: past, future or unknown, from the parse.

A weekday ("on Thursday") or a month or day without a year ("on Jan. 14") is placed before
publication when its clause looks back and after it when the clause looks ahead. The cue words
are data (``data/time_tense.tsv``); this module reads the verb that governs the time and:

* its auxiliaries: a perfect ("has met", "would have met") or "was"/"were" is past; a modal
  ("will", "would be cut from Thursday", "could") is future;
* an infinitive ("is set to resume Thursday", "asked it to respond by Oct. 31") looks ahead, and
  so does a verb of plans or delay ("planned a rally on Saturday", "postponed until Tuesday");
* inside a noun phrase ("Tuesday's vote", "the Jan. 14 deadline") there is no tense;
* a simple past ("met", "said") is past; a present ("the vote is on Thursday", "takes place
  Friday", "is meeting Thursday") is a schedule, so future, except a reporting verb ("says");
* the preposition before the time: "since Monday" is past whatever the verb.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Final

from spacy.tokens import Doc, Token

from claimtrace.stages.timeparse import Tense

__all__ = ["TenseCues", "clause_tense", "load_tense_cues"]

_ROLES: Final = frozenset({"aux", "plan", "prep"})
_REPORTING: Final = frozenset(
    {"say", "tell", "report", "announce", "claim", "state", "add", "confirm", "write", "note"}
)


@dataclass(frozen=True)
class TenseCues:
    """The cue words of ``data/time_tense.tsv`` by role: word → ``past`` or ``future``."""

    aux: dict[str, str]
    plan: dict[str, str]
    prep: dict[str, str]


@lru_cache(maxsize=1)
def load_tense_cues() -> TenseCues:
    """Read ``data/time_tense.tsv`` (packaged) once."""
    text = files("claimtrace.stages").joinpath("data/time_tense.tsv").read_text(encoding="utf-8")
    tables: dict[str, dict[str, str]] = {role: {} for role in _ROLES}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or fields[1] not in _ROLES or fields[2] not in ("past", "future"):
            raise ValueError(f"time_tense.tsv line {number}: expected word, role, tense: {line!r}")
        tables[fields[1]][fields[0]] = fields[2]
    return TenseCues(aux=tables["aux"], plan=tables["plan"], prep=tables["prep"])


def _governing_verb(token: Token) -> Token:
    verb = token
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.dep_ == "ROOT":
            break
        verb = verb.head
    return verb


def _verb_tense(verb: Token, cues: TenseCues, depth: int = 0) -> Tense:
    helpers = [c for c in verb.children if c.dep_.startswith("aux") or c.dep_ == "cop"]
    auxes = [c.lower_ for c in helpers]
    if verb.pos_ == "AUX" and verb.dep_ != "ROOT" and verb.head.pos_ == "VERB" and depth < 2:
        return _verb_tense(verb.head, cues, depth + 1)
    if {w for w in auxes if cues.aux.get(w) == "past"} - {"was", "were"}:
        return "past"  # a perfect: "has met", "would have met"
    if any(cues.aux.get(w) == "future" for w in auxes):
        return "future"
    if any(cues.aux.get(w) == "past" for w in auxes):
        return "past"  # "was cut", "were meeting", "was on Thursday"
    if any(c.lower_ == "to" and c.dep_ in ("mark", "aux") for c in verb.children):
        return "future"  # an infinitive comes after what it hangs from: "asked to respond by"
    if cues.plan.get(verb.lower_) == "future" or cues.plan.get(verb.lemma_.lower()) == "future":
        return "future"  # "planned a rally on Saturday", "postponed until Tuesday"
    reporting = verb.lemma_.lower() in _REPORTING
    if any(c.tag_ in ("VBZ", "VBP") for c in helpers) and not reporting:
        return "future"  # "is meeting Thursday", "the vote is on Thursday", "is due Friday"
    if verb.tag_ == "VBD" or (verb.tag_ == "VBN" and not auxes):
        return "past"
    if verb.tag_ in ("VBZ", "VBP") and not reporting:
        return "future"  # a schedule: "takes place Friday"
    if "Past" in verb.morph.get("Tense", []):
        return "past"
    return None


def clause_tense(doc: Doc, start: int, end: int) -> Tense:
    """Past or future for the time at ``doc.text[start:end]``; None when the parse cannot say."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    cues = load_tense_cues()
    first = span[0]
    before = doc[first.i - 1] if first.i > 0 else None
    for word in (before, first.head if first.head.pos_ == "ADP" else None):
        if word is not None and cues.prep.get(word.lower_):
            return "past" if cues.prep[word.lower_] == "past" else "future"
    if first.dep_ in ("poss", "compound", "nmod:poss") and first.head.pos_ in ("NOUN", "PROPN"):
        return None  # "Tuesday's vote", "the Jan. 14 deadline": the noun phrase has no tense
    verb = _governing_verb(first)
    if verb.pos_ == "ADJ" and cues.plan.get(verb.lower_) != "future":
        return None
    return _verb_tense(verb, cues)
