"""The cue lexicon (``data/cues.tsv``): reporting words, their class, and the certainty it implies.

>>> lexicon = load_lexicon()
>>> lexicon.verbs["claim"], CERTAINTY[lexicon.verbs["claim"]]
('claim', 'claimed')
>>> lexicon.forms["told"], lexicon.forms["plans"]
(('tell', 'verb'), ('plan', 'verb'))
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Final

from claimtrace.records import Certainty

__all__ = ["CERTAINTY", "Lexicon", "load_lexicon", "word_set"]

#: What each cue class says about how the source holds the content.
CERTAINTY: Final[dict[str, Certainty]] = {
    "say": "reported",
    "add": "reported",
    "ask": "reported",
    "warn": "reported",
    "report": "reported",
    "claim": "claimed",
    "allege": "alleged",
    "believe": "believed",
    "intend": "believed",
    "deny": "denied",
    "know": "evidential",
    "seem": "evidential",  # "X appears to …": held on the evidence of how things look
}

_POS: Final = ("verb", "noun", "adv", "prep")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Cue classes by lemma for each part of speech, and surface forms for the rules pipeline."""

    verbs: dict[str, str]
    nouns: dict[str, str]
    adverbs: dict[str, str]
    preps: dict[str, str]
    #: lower-cased surface form -> (lemma, part of speech), for pipelines without a lemmatizer
    forms: dict[str, tuple[str, str]]

    def cue_class(self, lemma: str, pos: str) -> str | None:
        """The class of ``lemma`` used as ``pos`` (verb, noun, adv, prep), or None."""
        table = {"verb": self.verbs, "noun": self.nouns, "adv": self.adverbs, "prep": self.preps}
        return table[pos].get(lemma)


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (for the stages' small word lists).

    >>> sorted(word_set("may might may"))
    ['may', 'might']
    """
    return frozenset(text.split())


def _regular_forms(lemma: str) -> list[str]:
    """-s, -ed and -ing forms of a regular verb ("deny" gives "denies", "denied", "denying")."""
    if lemma.endswith("e"):
        return [lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return [lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if lemma.endswith(("s", "sh", "ch", "x")):
        return [lemma + "es", lemma + "ed", lemma + "ing"]
    return [lemma + "s", lemma + "ed", lemma + "ing"]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read the packaged lexicon once."""
    text = files("claimtrace.stages").joinpath("data/cues.tsv").read_text(encoding="utf-8")
    tables: dict[str, dict[str, str]] = {pos: {} for pos in _POS}
    forms: dict[str, tuple[str, str]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3 or fields[1] not in _POS or fields[2] not in CERTAINTY:
            raise ValueError(f"cues.tsv line {number}: expected lemma, pos, class: {line!r}")
        lemma, pos, cue_class = fields[0], fields[1], fields[2]
        tables[pos][lemma] = cue_class
        surface = [lemma]
        if pos == "verb":
            listed = [f for f in fields[3].split(",") if f] if len(fields) > 3 else []
            # irregular forms come first; the regular ones fill the gaps ("plans" of "plan")
            surface += listed + _regular_forms(lemma)
        elif pos == "noun":
            surface.append(lemma + "s")
        for form in surface:
            forms.setdefault(form, (lemma, pos))
    return Lexicon(tables["verb"], tables["noun"], tables["adv"], tables["prep"], forms)
