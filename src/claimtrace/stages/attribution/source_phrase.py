"""The source phrase of a cue in its sentence: a verb's subject or a passive's agent, cleaned of
what the parse swept in (connectives, asides, dates), widened to the whole name and its title,
and sources by position where syntax gives none (a name and its appositive before the cue,
"…, said Smith")."""

from __future__ import annotations

import re
from typing import Final

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimtrace.stages.attribution.document import _Document, _is_name, _is_stop
from claimtrace.stages.attribution.lexicon import (
    _CUE_TIMES,
    _DATE_LEAD,
    _GIVEN,
    _LEADING_JUNK,
    _MONTHS,
    _QUOTE_CHARS,
    _RELATIVES,
    _SET_OFF,
    _SUBJECTS,
    _TEMPORAL_NOUNS,
)
from claimtrace.stages.entities import load_entity_words


def _subject(d: _Document, verb: Token) -> Token | None:
    """The verb's subject, or the subject it shares with the verb it depends on."""
    if not d.syntax:
        return None
    # a no-break space can come out as a subject token of its own
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS and not c.is_space]
    if subjects:  # a misparse can give two: the nearest is the speaker
        return min(subjects, key=lambda c: abs(c.i - verb.i))
    if verb.tag_ == "VBG" and verb.i > 0 and verb.doc[verb.i - 1].text in _SET_OFF | {"-", "--"}:
        # "Cruz said that X is Y, adding that …": the parse may hang the participle inside what
        # was said; it still tells what the reporting verb's subject did
        for ancestor in verb.ancestors:
            if ancestor.dep_ in ("ccomp", "parataxis") and d.lemma(ancestor.head) in (
                d.lexicon.verbs
            ):
                reporter = ancestor.head
                said_by = [
                    c
                    for c in reporter.children
                    if c.dep_ in ("nsubj", "nsubj:outer") and c.i < verb.i and c.lower_ != "it"
                ]
                if said_by:
                    return said_by[0]
    for child in verb.children:
        # "Voters going to the polls on Tuesday said …": the parse made the subject the
        # subject of the participle that describes it
        if (
            child.i < verb.i
            and child.dep_ in ("ccomp", "advcl", "csubj")
            and child.tag_ in ("VBG", "VBN")
            and not any(g.dep_ in ("aux", "aux:pass", "mark") for g in child.children)
        ):
            inner = [
                g for g in child.children if g.dep_ in ("nsubj", "nsubj:pass") and g.i < child.i
            ]
            if inner and inner[0].left_edge.i == child.left_edge.i:
                return inner[0]
    # "… and said", "tried to claim", ", adding …", ", then says …": the subject of the verb
    # it hangs from
    token = verb
    for _ in range(3):
        participle = token.text.endswith("ing")
        if token.dep_ == "ROOT" or not (
            token.dep_ in ("conj", "xcomp", "advcl") or (participle and token.dep_ != "ROOT")
        ):
            break
        token = token.head
        for child in token.children:
            if (
                child.dep_ in _SUBJECTS
                and child.i < verb.i
                and child.lower_ != "it"
                and not child.is_space
            ):
                return child
    if verb.tag_ in ("VBG", "VBN") and verb.dep_ == "advcl" and verb.i < verb.head.i:
        # "After blasting the report, Beck urged …", "In rejecting the challenge, the
        # commission …": a participle clause before its verb shares that verb's subject
        for child in verb.head.children:
            if child.dep_ in ("nsubj", "nsubj:outer") and child.i > verb.right_edge.i:
                return child if child.lower_ != "it" else None
    if verb.tag_ == "VBG" and verb.i > 0 and verb.doc[verb.i - 1].text == ",":
        # "The judge rejected the request, saying …": a participle set off by a comma says
        # what the main clause's subject did, however deep the parser hung it
        for ancestor in verb.ancestors:
            for child in ancestor.children:
                if (
                    child.dep_ in ("nsubj", "nsubj:outer")
                    and child.i < verb.i
                    and child.lower_ != "it"
                    and not child.is_space
                ):
                    return child
    return None


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "obl:agent":
            return child
    return None


def _is_passive(d: _Document, verb: Token) -> bool:
    if d.syntax and any(c.dep_ in ("aux:pass", "nsubj:pass") for c in verb.children):
        return True
    if (
        d.syntax
        and verb.dep_ == "conj"
        and d.lemma(verb) in _GIVEN  # "… and said" after a passive stays active
        and verb.tag_ in ("VBN", "VBD")  # the tagger often reads the participle as a past
        and verb.head.i < verb.i
        and not any(c.dep_ in (*_SUBJECTS, "aux", "aux:pass") for c in verb.children)
        and any(c.dep_ in ("aux:pass", "nsubj:pass") for c in verb.head.children)
    ):
        return True  # "were recruited … and offered a deal": the auxiliaries are shared
    previous = d.doc[verb.i - 1] if verb.i > 0 else None
    return (
        previous is not None
        and previous.lower_ in ("is", "was", "were", "are", "been", "be")
        and verb.text.endswith(("ed", "wn", "ld", "id"))
    )


def _source_span(d: _Document, subject: Token, cue: tuple[int, int]) -> tuple[int, int]:
    """Tokens of the subject phrase, kept clear of the cue."""
    first, last = subject.left_edge.i, subject.right_edge.i
    if subject.i < cue[0]:
        last = min(last, cue[0] - 1)
    else:
        first = max(first, cue[1] + 1)
    if d.syntax:  # "A federal appeals court": a misparse can make "appeals" a second subject
        siblings = {c.i: c for c in subject.head.children if c.dep_ in _SUBJECTS and c != subject}
        while first - 1 in siblings and siblings[first - 1].right_edge.i == first - 1:
            first = siblings[first - 1].left_edge.i
    while first < last and (
        d.doc[first].is_punct
        or d.doc[first].is_space
        or (d.syntax and d.doc[first].dep_ == "case" and d.doc[first].head == subject)
    ):
        first += 1  # "…, with O'Malley calling Trump a fascist": the subject, not "with"
    while last > first and (d.doc[last].is_punct or d.doc[last].is_space):
        last -= 1
    return _whole_name(d, _split_noun_phrase(d, first), last, floor=0)


def _split_noun_phrase(d: _Document, first: int) -> int:
    """The start of a subject the parser's sentence splitter cut in two ("White House
    spokesman | Josh Earnest said …"): a short verbless fragment with no end punctuation just
    before the subject belongs to it."""
    doc = d.doc
    if not d.syntax or first == 0 or not doc[first].is_sent_start:
        return first
    fragment = doc[first - 1].sent
    tokens = [t for t in fragment if not t.is_space]
    if (
        not tokens
        or len(tokens) > 6
        or tokens[-1].is_punct
        or any(t.pos_ in ("VERB", "AUX") or t.is_punct for t in tokens)
        or not any(t.pos_ in ("NOUN", "PROPN") for t in tokens)
        or "\n" in doc[fragment.start : first].text
    ):
        return first
    return tokens[0].i


def _clean_source(d: _Document, source: tuple[int, int]) -> tuple[int, int] | None:
    """A source without the connectives or adverbials a parse or position swept in."""
    doc = d.doc
    first, last = source
    while first < last and (
        doc[first].lower_ in _LEADING_JUNK
        or _CLOCK.match(doc[first].text)  # "8:39PM Trump said" in a live blog
        or doc[first].is_punct
        or doc[first].is_space
        or (d.tags and doc[first].pos_ in ("ADV", "CCONJ") and doc[first].lower_ != "both")
    ):
        first += 1
    if d.tags and doc[first].pos_ in ("ADP", "SCONJ") and not _quantifier_start(d, first, last):
        commas = [i for i in range(first, last) if doc[i].text == ","]
        if not commas:
            if doc[first].lower_ == "by":
                return _clean_source(d, (first + 1, last))
            named = _name_in_span(d, first, last)
            return None if named is None else _clean_source(d, named)
        first = commas[-1] + 1
    # "WASHINGTON -- President Obama", "Frustration with police: Civil rights activists"
    for i in range(last - 1, first, -1):
        if doc[i].text in (":", "--", "—", "―"):
            first = i + 1
            break
    if d.syntax:  # "Trump, appearing after Clinton at the forum,": what he did, not who he is
        for i in range(first + 1, last + 1):
            token = doc[i]
            clause = (
                token.dep_ in ("acl", "advcl")
                and token.tag_ == "VBG"
                and "," in (doc[token.left_edge.i].text, doc[token.left_edge.i - 1].text)
            )
            if clause and first < token.left_edge.i <= last:
                last = token.left_edge.i - 1
                while last > first and (doc[last].is_punct or doc[last].is_space):
                    last -= 1
                break
    while last > first and doc[last].lower_ in _CUE_TIMES:  # "The Council on Friday"
        last -= 1
        if last > first and doc[last].lower_ in ("on", "last", "this", "earlier"):
            last -= 1
    first, last = _source_without_asides(d, first, last)
    if d.tags and not any(
        doc[i].pos_ in ("NOUN", "PROPN", "PRON", "NUM") or doc[i].text[:1].isupper()
        for i in range(first, last + 1)
    ):
        return None
    return (first, last) if first <= last else None


def _quantifier_start(d: _Document, first: int, last: int) -> bool:
    """A preposition that only bounds a number: "At least half of voters", "About 40
    percent of Republicans", "Up to 30 lawmakers"."""
    doc = d.doc
    if first + 1 > last:
        return False
    word, following = doc[first].lower_, doc[first + 1]
    if word == "at":
        return following.lower_ in ("least", "most")
    if word == "up" and following.lower_ == "to":
        return True
    return word in ("about", "around", "over", "under", "nearly", "almost", "roughly") and (
        following.like_num or following.lower_ in ("half", "a", "one", "two-thirds")
    )


#: a clock time, a year or an a.m./p.m. mark that stamps a live blog's entry
_CLOCK: Final = re.compile(
    r"^(\d{1,2}:\d{2}([ap]\.?m\.?)?|(19|20)\d\d|[ap]\.?m\.?|[ap]m|ET|EST|EDT)$", re.IGNORECASE
)


def _name_in_span(d: _Document, first: int, last: int) -> tuple[int, int] | None:
    """The name a phrase the parse swept into a subject ends in: "At the state party convention
    Sen. Elizabeth Warren (D-MA)" → "Sen. Elizabeth Warren (D-MA)"; None without one."""
    if not d.syntax:
        return None
    doc = d.doc
    roots = [t for t in doc[first : last + 1] if not first <= t.head.i <= last or t.head == t]
    if len(roots) != 1 or roots[0].pos_ != "PROPN":
        return None
    start = roots[0].i
    while start - 1 > first and doc[start - 1].pos_ == "PROPN":
        start -= 1
    return start, last


def _source_without_asides(d: _Document, first: int, last: int) -> tuple[int, int]:
    """A source without what the sentence says about it on the side: a phrase after a comma
    that opens with a preposition ("Ms. Roe[, at a later briefing]", "[, like Obama]"), a
    trailing date ("prosecutors [in April]"), an introductory phrase before a pronoun
    ("[Wednesday,] he"), or the name before "who" when the cue comes right after ("[Laura,]
    who spoke of …": the relative pronoun is the reporting clause's subject).

    "X, 59, of Ashton" and "X, including Y" keep what follows the comma: that says who X is. A
    relative clause ("X, who heads …") stays too: news style uses it to describe the source."""
    doc = d.doc
    for i in range(first + 1, last + 1):
        if doc[i - 1].text != ",":
            continue
        token = doc[i]
        if token.lower_ in _RELATIVES and token.lower_ != "that" and i == last:
            return i, i  # "Laura, who spoke of …": the relative pronoun is the subject
        if (
            d.tags
            and token.pos_ == "ADP"
            and token.lower_ not in ("of", "including")
            and doc[i + 1].lower_ != "particular"
            and i > first + 1
        ):
            return first, _before_punct(doc, first, i - 2)
    if d.tags and last > first and doc[last].pos_ == "PRON" and doc[last - 1].text == ",":
        return last, last  # "Wednesday, he"
    if last - first >= 2 and _is_date_word(doc[last]):
        end = last - 1
        while end > first and doc[end].lower_ in _DATE_LEAD:
            end -= 1  # "in", "just this", "last"
        named = doc[end].pos_ in ("NOUN", "PROPN", "PRON") or doc[end].text[:1].isupper()
        if end < last - 1 and (not d.tags or named):
            return first, end
    return first, last


def _is_date_word(token: Token) -> bool:
    """A month, a year or a time noun: what ends "in April", "in 2001", "this month"."""
    lower = token.lower_
    return (
        lower in _MONTHS
        or lower in _TEMPORAL_NOUNS
        or (len(lower) == 4 and lower.isdigit() and lower[:2] in ("19", "20"))
    )


def _before_punct(doc: Doc, first: int, last: int) -> int:
    while last > first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    return last


def _whole_name(d: _Document, first: int, last: int, floor: int) -> tuple[int, int]:
    """Widen a source to the whole name a misparse cut: "[Wagner chief Yevgeny] Prigozhin",
    "[Prigozhin,] head of Wagner"."""
    doc = d.doc
    if not d.tags:
        return first, last
    if doc[first].pos_ == "PROPN":
        while first - 1 >= floor and doc[first - 1].lower_ not in _CUE_TIMES:  # "[On Monday]"
            previous = doc[first - 1]
            if _joining_hyphen(doc, first - 1, floor):
                first -= 2  # "Ban Ki-moon"
                continue
            capitalised_adjective = previous.pos_ == "ADJ" and previous.text[:1].isupper()
            if previous.pos_ not in ("PROPN", "NOUN") and not capitalised_adjective:
                break  # "[White] House", "[New] Jersey" are tagged adjectives
            if previous.is_punct or previous.is_space:
                break
            if previous.pos_ == "NOUN" and doc[first - 2].pos_ != "PROPN":
                break
            first -= 1
        first = _title_before(d, first, floor)
    elif first - 2 >= 0 and doc[first - 1].text == ",":
        name = first - 2
        while name - 1 >= 0 and _is_name(doc[name - 1]) and first - name < 4:
            name -= 1
        before = doc[name - 1] if name > 0 else None
        if _is_name(doc[first - 2]) and (before is None or before.is_punct or before.is_space):
            first = name
    return first, last


def _joining_hyphen(doc: Doc, i: int, floor: int) -> bool:
    """Whether token ``i`` is a hyphen inside one word ("Ki-moon", "34-year-old")."""
    return (
        doc[i].text == "-"
        and i - 1 >= floor
        and not doc[i - 1].whitespace_
        and not doc[i].whitespace_
        and doc[i - 1].is_alpha | doc[i - 1].like_num
    )


def _title_before(d: _Document, first: int, floor: int) -> int:
    """Widen a name's start over the title written before it, which a misparse may leave out:
    "[Republican vice-presidential nominee] Mike Pence", "[British Prime] Minister Theresa May".

    The title is a run of role or title words ("nominee", "minister", "prime") with the
    capitalised or hyphenated modifiers before them; it must contain a role or title word."""
    doc = d.doc
    words = load_entity_words()
    start = first
    titled = bool(words.get(doc[first].lower_, frozenset()) & {"title", "role"})
    k = first - 1
    while k >= floor and first - k <= 6:
        token = doc[k]
        classes = words.get(token.lower_, frozenset())
        if classes & {"title", "role", "role-modifier"}:
            titled = titled or bool(classes & {"title", "role"})
        elif token.text == "-" and k > floor and not doc[k - 1].is_space:
            pass  # "vice-presidential"
        else:
            capitalised = token.text[:1].isupper() and token.pos_ in ("ADJ", "PROPN", "NOUN")
            hyphened = (k + 1 < len(doc) and doc[k + 1].text == "-") or (
                k > 0 and doc[k - 1].text == "-"
            )
            # "[presidential] candidate": a modifier of the title word after it
            modifier = d.syntax and token.dep_ in ("amod", "compound") and k < token.head.i <= first
            if token.lower_ in _CUE_TIMES or not (capitalised or hyphened or modifier):
                break
        if titled:
            start = k
        k -= 1
    return start


def _name_before(d: _Document, cue_first: int, s_start: int) -> tuple[int, int] | None:
    """A name set off by a comma right before the cue ("…, Senate Leader Jo Reyes Says"),
    which a parse may have swallowed into the clause before it."""
    if not d.tags:
        return None
    doc = d.doc
    k = cue_first - 1
    while k > s_start and cue_first - k <= 5 and _is_name(doc[k]):
        k -= 1
    if k == cue_first - 1 or k <= s_start or doc[k].text != ",":
        return None
    return k + 1, cue_first - 1


def _linear_source(
    d: _Document,
    cue: tuple[int, int],
    content: list[tuple[int, int]],
    sent: SpacySpan,
    s_start: int,
    s_end: int,
) -> tuple[int, int] | None:
    """A source by position: the phrase before the cue, or after it ("…, said Smith.")."""
    doc = d.doc
    content_start = content[0][0]
    content_end = content[-1][1]
    # before the cue: back to a comma/quote/content, with no verb in between
    first = cue[0] - 1
    limit = content_end if content_end <= doc[cue[0]].idx else 0
    while (
        first >= s_start
        and doc[first].idx >= limit
        and (not _is_stop(d, doc[first]) or _joining_hyphen(doc, first, s_start))
    ):
        first -= 1  # "Ban Ki-moon", "the 34-year-old mother" are one phrase
    first += 1
    if first < cue[0]:
        phrase = doc[first : cue[0]]
        if len(phrase) <= 15 and not any(d.is_verb(t) for t in phrase):
            while first < cue[0] and doc[first].lower_ in ("but", "and", "however", "yet", "so"):
                first += 1
            if first < cue[0]:
                return first, cue[0] - 1
    # whole sentence start up to the cue, over appositive commas ("X, of Y, believes")
    if content_start >= doc[cue[1]].idx:
        first = s_start
        while first < cue[0] and doc[first].lower_ in ("but", "and", "however", "yet", "so", ","):
            first += 1
        phrase = doc[first : cue[0]]
        if (
            0 < len(phrase) <= 15
            and d.tags
            and not any(d.is_verb(t) and not _modifies_a_noun(t) for t in phrase)
        ):  # "running mate" is a noun phrase even where "running" is tagged a verb
            return first, cue[0] - 1
    # after the cue: "…, said the spokesman."
    if content_end <= doc[cue[0]].idx:
        last = cue[1] + 1
        while last < s_end and not doc[last].is_punct:
            last += 1
        if cue[1] + 1 < last and last - cue[1] <= 10:
            return cue[1] + 1, _with_appositive(d, cue[1] + 1, last - 1, s_end)
    return None


def _modifies_a_noun(token: Token) -> bool:
    """A verb form inside a noun phrase ("running mate", "elected officials"), not a verb the
    parse hung on a noun after a comma ("X, founder of Y, endorsed Cruz, saying …")."""
    return (
        token.dep_ in ("amod", "compound")
        and token.tag_ != "VBD"
        and token.i > 0
        and token.doc[token.i - 1].text != ","
    )


def _appositive_source(d: _Document, cue: tuple[int, int], s_start: int) -> tuple[int, int] | None:
    """ "…, Jane Roe, a senior adviser to the campaign, said": a name and the appositive that
    says who it is, set off by commas just before the cue, are the source together, however the
    parser hung them (it often takes the appositive's noun for the subject, or the name for
    the root)."""
    if not d.tags:
        return None
    doc = d.doc
    i = cue[0] - 1
    while i > s_start and doc[i].pos_ == "ADV" and doc[i].text[:1].islower():
        i -= 1  # "…, forcefully told"
    if i <= s_start or doc[i].text != ",":
        return None
    closing = i
    j = closing - 1
    relative = False
    while j > s_start and doc[j].text not in (",", ";", ":") and closing - j <= 25:
        token = doc[j]
        if token.text[:1] in _QUOTE_CHARS or token.is_space:
            return None
        relative = relative or token.lower_ in _RELATIVES
        j -= 1
    if doc[j].text != "," or closing - j < 2 or closing - j > 25:
        return None
    apposition = doc[j + 1 : closing]
    if apposition[0].pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "NUM") or (
        any(d.is_verb(t) and t.dep_ not in ("amod", "compound") for t in apposition)
        and not any(t.lower_ in _RELATIVES for t in apposition)
    ):
        return None  # a clause ("…, he said, …"), not a description of the speaker
    if not any(t.pos_ in ("NOUN", "PROPN") for t in apposition):
        return None
    k = j - 1
    if doc[k].text == ")":  # "Rep. Jim Jordan (R-Ohio), an oversight panel member"
        while k > s_start and doc[k].text != "(" and j - k <= 8:
            k -= 1
        k -= 1
    name_end = k
    while k >= s_start and name_end - k < 6:
        hyphen = doc[k].text == "-" and not doc[k].whitespace_ and k > s_start
        if not (_is_name(doc[k]) or (hyphen and _is_name(doc[k - 1]))):
            break  # "Jo-Renee Formicola" is one name
        k -= 1
    first = k + 1
    if first > name_end or not any(doc[t].pos_ == "PROPN" for t in range(first, name_end + 1)):
        return None
    before = doc[first - 1] if first - 1 >= s_start else None
    if before is not None and not (
        before.is_punct or before.is_space or before.text[:1] in _QUOTE_CHARS
    ):
        titled = _title_before(d, first, s_start)
        if titled == first:
            return None  # the name is part of a longer phrase: "a bill sponsored by Jane Roe"
        first = titled
    return _whole_name(d, first, closing - 1, floor=s_start)


def _with_appositive(d: _Document, first: int, last: int, s_end: int) -> int:
    """The end of a source after its cue, over the appositive that says who it is ("said
    Michael McFaul, a senior fellow at the Hoover Institution"): it is part of the source."""
    if not d.syntax:
        return last
    doc = d.doc
    for token in doc[first : last + 1]:
        for child in token.children:
            if child.dep_ == "appos" and child.i > last and child.right_edge.i < s_end:
                return child.right_edge.i
    return last
