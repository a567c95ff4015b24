"""Name keys: how a written place name is folded before it is looked up.

Two keys, both pure functions of the text:

* :func:`name_key` folds what spelling never distinguishes — case, accents, apostrophes (the soft
  sign of romanised Russian and Ukrainian), full stops in abbreviations, hyphens — so
  "Donets'k", "Donetsk" and "DONETSK" meet, and so do "U.S." and "US".
* :func:`sound_key` also folds what *romanisation* does not fix: Russian and Ukrainian names reach
  English news in several systems (Snezhnoye / Snizhne, Kiev / Kyiv, Kharkov / Kharkiv,
  Kuschevskaya / Kushchyovskaya). It maps consonant digraphs to one letter (zh → j, shch / sch →
  sh, kh → h, ts → c …), collapses every run of vowels (y, i, e, o, ë …) to one vowel mark,
  drops a final vowel and doubled letters. It is deliberately coarse: it proposes candidates,
  and the resolver checks them against the text's evidence.

>>> name_key("Donets'k Oblast'")
'donetsk oblast'
>>> sound_key("Snezhnoye") == sound_key("Snizhne")
True
>>> sound_key("Kiev") == sound_key("Kyiv")
True
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["REGION_WORDS", "is_latin", "name_key", "region_base", "sound_key"]

#: Words that follow a name to make it a division: "Donetsk region", "Krasnodar Krai".
REGION_WORDS: Final = frozenset(
    [
        "region",
        "oblast",
        "krai",
        "kray",
        "province",
        "state",
        "county",
        "district",
        "governorate",
        "prefecture",
        "territory",
        "okrug",
        "republic",
        "voivodeship",
        "canton",
        "department",
        "parish",
        "municipality",
    ]
)

_APOSTROPHES: Final = str.maketrans("", "", "'’‘ʼʹ`´\u02bb\u02bc")
_SEPARATORS: Final = re.compile(r"[\s\-‐‑‒–—_/.,()]+")
# Applied in order: the longest digraphs first, so "shch" never becomes "s" + "hch".
_DIGRAPHS: Final = (
    ("shch", "s"),
    ("sch", "s"),
    ("tsch", "c"),
    ("tch", "c"),
    ("dzh", "j"),
    ("zh", "j"),
    ("dj", "j"),
    ("sh", "s"),
    ("ch", "c"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("cz", "c"),
    ("sz", "s"),
    ("ph", "f"),
    ("gh", "g"),
    ("ck", "k"),
    ("w", "v"),
    ("x", "ks"),
    ("q", "k"),
)
_VOWELS: Final = re.compile(r"[aeiouy]+")
_DOUBLES: Final = re.compile(r"(.)\1+")


def name_key(name: str) -> str:
    """``name`` folded for exact lookup: lower case, no accents or apostrophes, single spaces.

    >>> name_key("  U.S. ")
    'us'
    >>> name_key("Kushchëvskaya")
    'kushchevskaya'
    """
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.translate(_APOSTROPHES).casefold()
    # "U.S." and "St. John's": full stops inside abbreviations vanish, other separators are spaces
    plain = re.sub(r"(?<=\w)\.(?=\w|$|\s)", "", plain)
    return _SEPARATORS.sub(" ", plain).strip()


def sound_key(name: str) -> str:
    """A coarse key that meets across romanisations of the same Slavic (or other) name.

    >>> sound_key("Kharkov"), sound_key("Kharkiv")
    ('harkav', 'harkav')
    >>> sound_key("Zaporozhye") == sound_key("Zaporizhzhia")
    True
    """
    # German and Polish romanisations write y as j before a vowel: "Kuschewskaja", "Kijev"
    key = re.sub(r"(?<![dz])j(?=[aeiou])", "y", name_key(name).replace(" ", ""))
    for digraph, letter in _DIGRAPHS:
        key = key.replace(digraph, letter)
    key = _DOUBLES.sub(r"\1", key)
    key = _VOWELS.sub("a", key)
    if len(key) > 3 and key.endswith("a"):
        key = key[:-1]
    return key


def is_latin(name: str) -> bool:
    """True when every letter of ``name`` is Latin (English news writes place names so).

    >>> is_latin("Kushchëvskaya"), is_latin("Київ")
    (True, False)
    """
    for ch in name:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


_ADJECTIVAL: Final = (
    (re.compile(r"(?:s'?kaya|s'?kiy|s'?kyi|s'?ka|s'?ke)$"), "sk"),
    (re.compile(r"(?:ts'?kaya|ts'?ka)$"), "tsk"),
)


def region_base(name: str) -> str | None:
    """The name of a division without its generic word: "Sverdlovsk Oblast" → "Sverdlovsk".

    News writes "Sverdlovsk region" for "Sverdlovskaya Oblast'", so an adjectival ending turns
    back into the city-like stem. None when nothing generic was there to strip.

    >>> region_base("Sverdlovskaya Oblast'")
    'Sverdlovsk'
    >>> region_base("Krasnodar Krai")
    'Krasnodar'
    >>> region_base("Kentucky") is None
    True
    """
    words = name.split()
    if len(words) < 2:
        return None
    if words[-1].rstrip("'’").casefold() in REGION_WORDS:
        stem = words[:-1]
    elif words[0].casefold() in REGION_WORDS and words[1].casefold() == "of":
        stem = words[2:]
    else:
        return None
    if not stem:
        return None
    last = stem[-1]
    for pattern, ending in _ADJECTIVAL:
        if pattern.search(last):
            last = pattern.sub(ending, last)
            break
    return " ".join([*stem[:-1], last])


#: How English forms a demonym from a place name: (ending of the demonym, ending of the place).
_DEMONYM_ENDINGS: Final = (
    ("ians", "ia"), ("ian", "ia"), ("ian", "e"), ("ian", "y"), ("ian", ""), ("ans", "a"),
    ("an", "a"), ("an", "o"), ("an", ""), ("ese", "a"), ("ese", ""), ("ish", "and"),
    ("ish", "ey"), ("ish", ""), ("is", ""), ("i", ""), ("ean", "ea"), ("ch", "ce"),
)  # fmt: skip


def demonym_bases(word: str) -> list[str]:
    """Place names ``word`` could be the demonym of, for checking in the gazetteer.

    >>> demonym_bases("Puerto Rican")[:3]
    ['Puerto Rica', 'Puerto Rico', 'Puerto Ric']
    >>> "Ukraine" in demonym_bases("Ukrainian"), "England" in demonym_bases("English")
    (True, True)
    >>> demonym_bases("Kyiv")
    []
    """
    bases = []
    for ending, place in _DEMONYM_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            bases.append(word[: len(word) - len(ending)] + place)
    return list(dict.fromkeys(bases))
