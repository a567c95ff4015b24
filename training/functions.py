"""Registered functions used by ``training/config.cfg`` (passed to spaCy with ``--code``).

``claimtrace.news_tokenizer.v1`` runs at ``[initialize.before_init]`` and adds
news-specific tokenizer special cases and infix rules.  Special cases and the
compiled affix regexes are stored in the pipeline's ``tokenizer`` file, so the
trained model does not need this module at load time (``finalize.py`` also
drops the callback from the shipped ``config.cfg``).
"""

from __future__ import annotations

from spacy.attrs import NORM, ORTH
from spacy.lang.char_classes import ALPHA
from spacy.util import compile_infix_regex, registry

# Abbreviations that the stock English tokenizer splits off their period but
# which are common in news copy (titles, ranks, US states, addresses, weekdays).
# Deliberately excluded: words that are also ordinary sentence-final words
# ("No.", "Sun.", "Sat.", "Wed.", "etc.", "Det.", "est.").
NEWS_ABBREVIATIONS = {
    "Tue.": "Tuesday",
    "Tues.": "Tuesday",
    "Thu.": "Thursday",
    "Thur.": "Thursday",
    "Thurs.": "Thursday",
    "Fri.": "Friday",
    "Mon.": "Monday",
    "Reps.": "Representatives",
    "Sens.": "Senators",
    "Lt.": "Lieutenant",
    "Col.": "Colonel",
    "Sgt.": "Sergeant",
    "Capt.": "Captain",
    "Cmdr.": "Commander",
    "Maj.": "Major",
    "Brig.": "Brigadier",
    "Cpl.": "Corporal",
    "Pvt.": "Private",
    "Gens.": "Generals",
    "Supt.": "Superintendent",
    "Insp.": "Inspector",
    "Pres.": "President",
    "Sr.": "Senior",
    "Ft.": "Fort",
    "Vt.": "Vermont",
    "Wyo.": "Wyoming",
    "W.Va.": "West Virginia",
    "Nos.": "numbers",
    "approx.": "approximately",
    "Dept.": "Department",
    "Univ.": "University",
    "Assn.": "Association",
    "Ave.": "Avenue",
    "Blvd.": "Boulevard",
    "Rd.": "Road",
    "Hwy.": "Highway",
    "Sept.": "September",
    "U.S.": "United States",
    "U.K.": "United Kingdom",
    "U.N.": "United Nations",
    "E.U.": "European Union",
}

# Curly-apostrophe contractions and possessives (the stock rules cover most;
# these make sure the news forms are explicit special cases).
CURLY_CASES = [
    [{ORTH: "women"}, {ORTH: "’s", NORM: "'s"}],
    [{ORTH: "Women"}, {ORTH: "’s", NORM: "'s"}],
    [{ORTH: "men"}, {ORTH: "’s", NORM: "'s"}],
    [{ORTH: "Men"}, {ORTH: "’s", NORM: "'s"}],
    [{ORTH: "children"}, {ORTH: "’s", NORM: "'s"}],
    [{ORTH: "people"}, {ORTH: "’s", NORM: "'s"}],
]

DASHES = "–—"


@registry.callbacks("claimtrace.news_tokenizer.v1")
def create_news_tokenizer_callback():
    """Return the ``before_init`` callback adding news tokenizer rules."""

    def news_tokenizer(nlp):
        tok = nlp.tokenizer
        for text, norm in NEWS_ABBREVIATIONS.items():
            tok.add_special_case(text, [{ORTH: text, NORM: norm}])
        for case in CURLY_CASES:
            tok.add_special_case("".join(t[ORTH] for t in case), case)
        # split en/em dashes between numbers and between letters:
        # "2019–2020" -> 2019 – 2020 ; "Ukraine—the" -> Ukraine — the
        infixes = [
            *nlp.Defaults.infixes,
            rf"(?<=[0-9])[{DASHES}](?=[0-9])",
            rf"(?<=[{ALPHA}0-9])[{DASHES}](?=[{ALPHA}0-9])",
        ]
        tok.infix_finditer = compile_infix_regex(infixes).finditer
        return nlp

    return news_tokenizer
