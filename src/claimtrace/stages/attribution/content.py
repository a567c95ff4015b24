"""The extent of a cue's content: a verb's complement in the parse, quotes just before or after
the cue, a block after a colon, an aside or a parenthetical around the cue, content by
position, where a content ends (before an added clause or a following cue) and how much of it
is quoted (direct, mixed, indirect)."""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Token

from claimtrace.records import QuoteKind
from claimtrace.stages.attribution.document import _chars, _Document, _Found, _trim
from claimtrace.stages.attribution.lexicon import (
    _ADDED_CLAUSE,
    _BACK_REFERENCES,
    _CHARGING,
    _CLAUSAL_ONLY,
    _CLAUSE_OPENERS,
    _EDGE_PUNCT,
    _LINKING_PREPOSITIONS,
    _NEEDS_PREDICATE,
    _QUOTE_CHARS,
    _REPORTING_PREPOSITIONS,
    _SET_OFF,
    _SUBJECTS,
    _TEMPORAL_NOUNS,
    _TOPIC_PREPOSITIONS,
)
from claimtrace.stages.attribution.source_phrase import _is_date_word, _source_span
from claimtrace.stages.quotes import Quote


def _complement(d: _Document, verb: Token, cue_last: int) -> tuple[int, int, str] | None:
    """Tokens (first, last) of a cue verb's complement, with the rule that found them.

    A clause (ccomp) wins; otherwise the objects and open complements to the right ("condemned
    the test as …", "urged Congress to act"); otherwise a clause to the left ("X, he said").
    """
    if not d.syntax:
        return None
    children = list(verb.children)
    right = [c for c in children if c.i > cue_last]
    found = _clause_complement(d, right)
    if found is None:
        found = _object_complement(d, verb, right)
    if found is None:
        found = _phrase_complement(d, verb, cue_last, children, right)
    return found


def _clause_complement(d: _Document, right: list[Token]) -> tuple[int, int, str] | None:
    """A clause after the cue (ccomp, or parataxis with its own subject), with a second "that"
    clause the parse hung on the verb."""
    for child in right:
        if child.dep_ == "ccomp" or (
            child.dep_ == "parataxis" and any(g.dep_ in _SUBJECTS for g in child.children)
        ):
            last = child.right_edge.i
            for conj in right:
                # "said he would run and that he could win": the parse may hang the second
                # "that" clause on the verb, but it is said too
                between = d.doc[last + 1 : conj.left_edge.i]
                if (
                    conj.dep_ == "conj"
                    and conj.i > last
                    and any(m.dep_ == "mark" and m.lower_ == "that" for m in conj.children)
                    and all(t.is_punct or t.dep_ == "cc" for t in between)
                ):
                    last = conj.right_edge.i
            return child.left_edge.i, last, f"content:{child.dep_}"
    return None


def _object_complement(
    d: _Document, verb: Token, right: list[Token]
) -> tuple[int, int, str] | None:
    """The objects and open complements after the cue, with what completes them; for a verb
    of charging the charge after "of"."""
    objects = [
        c
        for c in right
        if c.dep_ in ("obj", "xcomp", "iobj") and c.lemma_.lower() not in _TEMPORAL_NOUNS
    ]
    if verb.lemma_.lower() in _CLAUSAL_ONLY:
        objects = []
    if verb.lemma_.lower() in _NEEDS_PREDICATE:
        objects = [c for c in objects if c.dep_ == "xcomp"]
    if not objects:
        return None
    first = min(c.left_edge.i for c in objects)
    last = max(c.right_edge.i for c in objects)
    # an open complement or an "as" phrase completes the object ("urged Congress to act",
    # "described him as …"); a place, time or medium ("on Twitter", "in his remarks") does not
    trailing = [
        c
        for c in right
        if c.i > last
        and (
            c.dep_ == "xcomp"
            or (c.dep_ in ("obl", "advcl") and c.left_edge.lower_ in ("as", "to", "for"))
        )
    ]
    if (trailing and trailing[0].left_edge.i == last + 1) or (
        trailing and d.doc[last + 1].text in ('"', "”", "’")
    ):
        last = max(c.right_edge.i for c in trailing)
    if verb.lemma_.lower() in _CHARGING:
        # "accused the regulator of ignoring …": the charge is what is claimed, the one
        # charged is who it is addressed to, whichever way the parse hung the "of" phrase
        charge = [c for c in right if c.i > last and c.left_edge.lower_ == "of"]
        end = charge[0].right_edge.i if charge else last
        of = next((t for t in d.doc[first : end + 1] if t.lower_ == "of"), None)
        if of is not None and of.i > first and of.i < end:
            return of.i + 1, end, "content:charge"
    rule = "content:" + "+".join(sorted({c.dep_ for c in objects}))
    return first, last, rule


def _phrase_complement(
    d: _Document, verb: Token, cue_last: int, children: list[Token], right: list[Token]
) -> tuple[int, int, str] | None:
    """A verbal phrase, an infinitive or a prepositional topic after the cue, or a clause
    before it ("X, he said")."""
    for child in right:  # "called for taxing …", "proposes doing …", "plans to cut …"
        if (
            child.dep_ in ("advcl", "acl", "xcomp")
            and child.left_edge.i <= cue_last + 1
            and (child.tag_ == "VBG" or child.left_edge.lower_ in ("for", "to"))
            and d.doc[cue_last + 1].lower_ not in ("after", "before", "while", "when", "by")
        ):
            first = max(child.left_edge.i, cue_last + 1)
            return first, child.right_edge.i, f"content:{child.dep_}-verbal"
    after = cue_last + 1  # "…, Mike Pence, plans to release …" hung off another word by the parser
    if after + 1 < len(d.doc) and d.doc[after].lower_ == "to" and d.doc[after + 1].pos_ == "VERB":
        infinitive = d.doc[after + 1]
        return after, max(infinitive.right_edge.i, after + 1), "content:to-infinitive"
    for child in right:  # "warned against …", "spoke of …", "complained about …"
        case = next((g for g in child.children if g.dep_ == "case"), None)
        if (
            child.dep_ == "obl"
            and case is not None
            and not _is_date_word(child)  # "unveiled on Monday": a date, not a topic
            and case.i == child.left_edge.i
            and (case.i <= cue_last + 2 or case.lower_ in _TOPIC_PREPOSITIONS)
            and (
                case.lower_ in _REPORTING_PREPOSITIONS
                or case.i <= cue_last
                or (
                    case.i == cue_last + 1
                    and cue_last > verb.i
                    and case.lower_ in _LINKING_PREPOSITIONS
                )
            )
        ):  # a preposition taken into the cue as its particle ("pointed to") leads too, and
            # so does one right after a particle ("lashed out at")
            return case.i + 1, child.right_edge.i, "content:obl"
    for token in d.doc[cue_last + 1 : min(verb.right_edge.i, cue_last + 10) + 1]:
        # "speaking out ahead of the election about the problems": the parser hung the topic
        # on the noun before it; a topic preposition with no verb in between still leads
        if token.is_punct or (token.pos_ in ("VERB", "AUX") and token.i != verb.i):
            break
        if token.lower_ in _TOPIC_PREPOSITIONS and token.dep_ == "case" and token.head.i > token.i:
            return token.i + 1, token.head.right_edge.i, "content:topic"
    left = [c for c in children if c.dep_ in ("ccomp", "parataxis") and c.i < verb.i]
    if left:
        return left[-1].left_edge.i, left[-1].right_edge.i, "content:left-" + left[-1].dep_
    return None


def _before_quote(d: _Document, token_i: int, floor: int) -> Quote | None:
    """The quote that closes just before token ``token_i`` (skipping a comma)."""
    i = token_i - 1
    while i >= floor and (
        d.doc[i].text in (",", "—", "–", "-", "―")
        or (d.doc[i].is_space and "\n" not in d.doc[i].text)
    ):
        i -= 1
    if i < floor:
        return None
    tok = d.doc[i]
    if tok.text and tok.text[-1] in _QUOTE_CHARS:
        end = tok.idx + len(tok.text) - 1
        quote = d.close_at.get(end)
        if quote is None and i > floor and d.doc[i - 1].text in (",", ".", "!", "?"):
            quote = d.close_at.get(d.doc[i - 1].idx + len(d.doc[i - 1].text))
        return quote
    return None


def _closed_sentence_then_own_complement(
    d: _Document, quote: Quote, cue_last: int, s_end: int
) -> bool:
    """Whether a quote that ends its own sentence (".”") is followed by a new sentence whose cue
    goes on to say something else: in "…reject “bad deals.” She also argued in favor of …" the
    quote is not what she argued. "“We will win.” She said." still frames the quote."""
    if d.text[max(0, quote.end - 1) : quote.end] != ".":
        return False
    after = cue_last + 1
    while after < s_end and d.doc[after].is_space:
        after += 1
    if after < s_end and d.doc[after].lower_ in _BACK_REFERENCES:
        return False  # "“We will win.” She said it twice.": "it" is the quote
    return after < s_end and not d.doc[after].is_punct


def _after_quote(d: _Document, token_i: int, ceiling: int, colon_only: bool) -> Quote | None:
    """The quote that opens just after token ``token_i`` (past ``:`` or ``,``)."""
    i = token_i + 1
    while i < ceiling and (d.doc[i].text in (":", ",") or d.doc[i].is_space):
        i += 1
    if colon_only and i == token_i + 1:
        return None  # "has sought ‘…’": a quoted object, not a quotation frame
    if i >= len(d.doc) or i > ceiling + 2:
        return None
    tok = d.doc[i]
    return d.open_at.get(tok.idx) if tok.text[:1] in _QUOTE_CHARS else None


def _viewed_as(
    d: _Document, verb: Token, subject: Token, cue: tuple[int, int], s_end: int
) -> tuple[list[tuple[int, int]], tuple[int, int]] | None:
    """The content of "X is seen as Y" (X, and Y), with the cue taking "as" when it follows
    the verb directly; None without an "as" phrase of the verb's own."""
    doc = d.doc
    marker = next(
        (
            t
            for t in doc[cue[1] + 1 : min(s_end, cue[1] + 6)]
            if t.lower_ == "as" and (t.head.head.i == verb.i or t.head.i == verb.i)
        ),
        None,
    )
    if marker is None or subject.i >= cue[0] or marker.i + 1 >= s_end:
        return None
    first, last = _source_span(d, subject, cue)
    if last < first:
        return None
    end = marker.head.right_edge.i if marker.head.i != verb.i else s_end - 1
    end = _trailing_cut(d, marker.i + 1, min(end, s_end - 1))
    if end <= marker.i:
        return None
    content = [_chars(doc, first, last), _chars(doc, marker.i + 1, end)]
    return content, (cue[0], marker.i if marker.i == cue[1] + 1 else cue[1])


def _split_after(d: _Document, last: int, s_end: int) -> bool:
    """Whether the parser starts a new sentence right after token ``last`` although the
    sentence runs on (no punctuation there) for at least three more words."""
    doc = d.doc
    nxt = last + 1
    return bool(
        d.syntax
        and nxt + 2 < s_end
        and doc[nxt].is_sent_start
        and not (doc[nxt].is_punct or doc[nxt].is_space)
        and not any(c.i > last for c in doc[last].children if not c.is_punct)
    )


def _as_clause_content(
    d: _Document, verb: Token, cue_last: int, s_start: int, s_end: int
) -> list[tuple[int, int]]:
    """ "As experts have pointed out, X is free to …" / "…, as police have said." / "as one
    analyst put it": the cue's clause is an aside marked by "as"; the rest of the sentence is
    what was said."""
    if not d.syntax or verb.dep_ not in ("advcl", "acl", "parataxis"):
        return []
    mark = next((c for c in verb.children if c.dep_ == "mark" and c.lower_ == "as"), None)
    if mark is None or any(t.i < mark.i for t in verb.subtree if not t.is_punct):
        return []
    if d.doc[mark.i + 1].pos_ in ("ADJ", "ADV") or (
        mark.i >= 2 and d.doc[mark.i - 2].lower_ == "as"
    ):
        return []  # "As improbable as it may seem": a comparison, not a source's aside
    if any(c.dep_ in ("ccomp", "obj", "xcomp") for c in verb.children if c.i > cue_last):
        return []  # "as she told him to": the clause has its own complement
    doc = d.doc
    first, last = mark.i, verb.right_edge.i
    pieces = [(s_start, first - 1), (last + 1, s_end - 1)]
    spans = [_chars(doc, a, b) for a, b in pieces if b >= a]
    return [(a, b) for a, b in (_trim(d.text, a, b) for a, b in spans) if b - a >= 3]


def _block_after_colon(d: _Document, cue_last: int) -> list[tuple[int, int]]:
    """ "The governor added:" ending its line: the paragraph after it is what was said (a block
    quotation set off by layout instead of quotation marks)."""
    doc, text = d.doc, d.text
    colon = cue_last + 1
    if colon >= len(doc) or doc[colon].text != ":":
        return []
    end = doc[colon].idx + 1
    start = end
    while start < len(text) and text[start].isspace():
        start += 1
    if "\n" not in text[end:start] or start >= len(text):
        return []
    stop = text.find("\n", start)
    stop = len(text) if stop < 0 else stop
    first, last = _trim(text, start, stop, " \t\r")
    return [(first, last)] if last - first >= 10 else []


def _fragment_before_clause(
    d: _Document, verb: Token, quote: Quote, s_start: int, cue_last: int
) -> bool:
    """Whether a quote before the cue is a quoted fragment of the sentence ("… an ‘outlaw
    nation,’ said that Pyongyang must …") while the verb has its own clause after it: then the
    clause is what was said, not the fragment."""
    if not d.syntax or quote.start <= d.doc[s_start].idx + 1:
        return False  # the quote opens the sentence: "‘…,’ he said"
    return any(c.dep_ in ("ccomp", "obj", "xcomp") and c.i > cue_last for c in verb.children)


def _parenthetical_content(
    d: _Document, verb: Token, s_start: int, s_end: int
) -> list[tuple[int, int]]:
    """The sentence around a parenthetical cue: "All of this, he acknowledges, could be undone".

    The parser hangs the inserted "he acknowledges" on the clause (or the noun) it interrupts
    (parataxis); the sentence, less the insertion set off by commas or dashes, is what was said —
    in two pieces around it.
    """
    if not d.syntax or verb.dep_ not in ("parataxis", "advcl"):
        return []
    if verb.tag_ not in ("VBZ", "VBD", "VBP") or not any(
        c.dep_ in _SUBJECTS for c in verb.children
    ):
        return []  # ", telling reporters …," / ", adding …,": a participle clause, no insertion
    doc = d.doc
    first = verb.i
    while first - 1 > s_start and doc[first - 1].text not in _SET_OFF and verb.i - first < 8:
        first -= 1
    last = verb.i
    while last + 1 < s_end - 1 and doc[last + 1].text not in _SET_OFF and last - verb.i < 8:
        last += 1
    if first < 1 or last + 1 >= len(doc):
        return []  # at an edge of the text: nothing sets it off
    if doc[first - 1].text not in _SET_OFF or doc[last + 1].text not in _SET_OFF:
        return []
    if any(t.i != verb.i and verb not in t.ancestors for t in doc[first : last + 1]):
        return []  # the stretch is not the insertion alone
    pieces = [(s_start, first - 2), (last + 2, s_end - 1)]
    return [_chars(doc, a, b) for a, b in pieces if b >= a]


def _trailing_cut(d: _Document, first: int, last: int) -> int:
    """The last token of a content before an added clause: ", but …", ", which …",
    ", encouraging …", "and said …" belong to the author or to a new attribution."""
    doc = d.doc
    for i in range(first + 3, last):
        token, following = doc[i], doc[i + 1]
        if d.quoted_chars(token.idx, token.idx + 1):
            continue
        if token.text == "," and (
            following.lower_ in _ADDED_CLAUSE
            or (
                d.tags
                and following.pos_ == "VERB"
                and following.text.endswith("ing")
                and following.lower_ != "including"
            )
        ):
            return i - 1
        if (
            token.lower_ in ("and", "but")
            and d.lemma(following) in d.lexicon.verbs
            and d.is_verb(following)
        ):
            return i - 1  # "… and said …", "… but pledged …": a new attribution
    return last


def _mid_clause(d: _Document, token: Token) -> bool:
    """Whether a complement that stops before ``token`` was cut short by a bad parse."""
    if token.text in (",", ";", "—", "–", "-", "(") or token.lower_ in ("and", "but", "as"):
        return False
    return not (token.lemma_.lower() in d.lexicon.verbs and d.is_verb(token))


def _linear_content(
    d: _Document,
    verb: Token,
    cue: tuple[int, int],
    source: tuple[int, int] | None,
    s_start: int,
    s_end: int,
    strong: bool,
) -> list[tuple[int, int]]:
    """Content by position: the rest of the sentence after the cue, or before ", X said"."""
    doc = d.doc
    after = cue[1] + 1
    if source is not None and source[0] > cue[1]:
        after = source[1] + 1
    # "claimed last month that ...": the clause starts at a nearby "that"
    for i in range(after, min(after + 5, s_end)):
        if doc[i].lower_ in _CLAUSE_OPENERS and i + 2 < s_end:
            return [_chars(doc, i, _trailing_cut(d, i, s_end - 1))]
        if doc[i].text in (",", ";", ":"):
            break
    if not strong:
        return []
    words_after = sum(1 for i in range(after, s_end) if not doc[i].is_punct)
    left = source[0] if source is not None and source[0] < cue[0] else cue[0]
    if left - 1 >= s_start and doc[left - 1].lower_ == "it":
        left -= 1  # "…, it was reported."
    before_comma = left - 1 >= s_start and doc[left - 1].text in (",", "—", "–")
    if before_comma and words_after <= 4:
        last = left - 2
        if last >= s_start:
            return [_chars(doc, s_start, last)]
    if words_after >= 3 and not (after < len(doc) and doc[after].text in (",", ".")):
        first = after
        while first < s_end and doc[first].text in (":", ","):
            first += 1
        if doc[first].lower_ in ("reporters", "me", "us", "him", "her", "them"):
            first += 1
        if first < s_end:
            return [_chars(doc, first, _trailing_cut(d, first, s_end - 1))]
    return []


def _quote_kind(d: _Document, content: list[tuple[int, int]]) -> QuoteKind:
    size = sum(b - a for a, b in content)
    quoted = sum(d.quoted_chars(a, b) for a, b in content)
    if quoted == 0:
        return "indirect"
    outside = "".join(d.text[a:b] for a, b in _outside_quotes(d, content)).strip(
        _EDGE_PUNCT + _QUOTE_CHARS
    )
    if quoted >= size - 2 or not outside:
        return "direct"
    return "mixed"


def _outside_quotes(d: _Document, content: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    for a, b in content:
        cursor = a
        k = max(bisect_right(d._quote_starts, a) - 1, 0)
        while k < len(d.quotes) and d.quotes[k].start < b:
            quote = d.quotes[k]
            if quote.end > cursor:
                if quote.start > cursor:
                    pieces.append((cursor, quote.start))
                cursor = max(cursor, quote.end)
            k += 1
        if cursor < b:
            pieces.append((cursor, b))
    return pieces


def _cut_at_following_cues(d: _Document, found: list[_Found]) -> None:
    """End a content before ", adding …", ", but she noted …", "and said …": a second cue
    of the sentence after a comma or "and" starts a new attribution instead of nesting."""
    text = d.text
    owners = sorted(
        ((a.source[0] if a.source and a.source[0] < a.cue[0] else a.cue[0]), k)
        for k, a in enumerate(found)
        if a.cue is not None and d.quoted_chars(*a.cue) == 0
    )
    # "He proposes …, and plans to …": a cue whose source stands before the content (a shared
    # subject) starts a new attribution at the cue itself
    owners = sorted(
        owners
        + [
            (a.cue[0], k)
            for k, a in enumerate(found)
            if a.cue is not None
            and a.source is not None
            and a.source[1] <= a.cue[0]
            and d.quoted_chars(*a.cue) == 0
            and a.source[0] != a.cue[0]
        ]
    )
    starts = [start for start, _ in owners]
    for k, a in enumerate(found):
        if a.cue is None or len(a.content) != 1:
            continue
        start, end = a.content[0]
        j = bisect_right(starts, start)
        while j < len(owners) and starts[j] < end:
            other = found[owners[j][1]]
            shared = (
                other.cue is not None
                and starts[j] == other.cue[0]
                and other.source is not None
                and other.source[0] < other.cue[0]
            )
            if owners[j][1] == k or (
                shared and other.source is not None and other.source[0] >= start
            ):
                j += 1  # its own cue, or one whose source lies in this content (nesting)
                continue
            boundary = starts[j]
            window = text[max(start, boundary - 30) : boundary]
            cut_at = max(window.rfind(","), window.rfind(";"), window.rfind(" and "))
            if cut_at >= 0:
                cut = _trim(text, start, boundary - len(window) + cut_at)
                if cut[1] > cut[0]:
                    a.content = [cut]
                    a.evidence.append("content:cut-before-cue")
                break
            j += 1
