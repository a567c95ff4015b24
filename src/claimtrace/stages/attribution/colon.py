"""Frames that layout makes: colon headlines and transcript labels ("Pence: …"), a headline's
quotation after a colon, dash bylines ("“…” ― Name") and title-case headline verbs ("Christie
Calls Clinton ‘A Disgrace’")."""

from __future__ import annotations

import re
from typing import Final

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from claimtrace.stages.attribution.document import (
    _chars,
    _Document,
    _Found,
    _sentence_bounds,
    _skip,
    _trim,
    _veto,
)
from claimtrace.stages.attribution.lexicon import _NOTICE_LABELS, _PARTICLES, _QUOTE_CHARS

_COLON_HEAD: Final = re.compile(r"([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}):[ \t]+(?=\S)")

#: a headline's speaker and a quotation after a colon: "A lesson from Loretta Lynch: ‘Be …’"
_COLON_QUOTE: Final = re.compile(r"([A-Z][^\s:]*(?: [^\s:]+){0,7}):[ \t]+(?=[‘“'\"])")
_DASH_BYLINE: Final = re.compile(r"[”\"]\s*[―—]\s*([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,4})")


def _line_frames(d: _Document) -> list[_Found]:
    """Colon headlines and transcript labels ("Pence: …") and dash bylines ("“…” ― Name")."""
    found: list[_Found] = []
    text = d.text
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip()
        lead = len(line) - len(line.lstrip(" \t\"“'‘"))
        match = _COLON_HEAD.match(body, lead)
        if match and (
            match.group(1).split()[0] in ("The", "A", "An", "This")
            or match.group(1).lower().replace("’", "'").split()[-1] in _NOTICE_LABELS
        ):
            # "The Latest: …", "Correction: …", "Editor’s Note: …" label a section, not a speaker
            match = None
        quoted = _COLON_QUOTE.match(body, lead)
        label = quoted.group(1).split() if quoted else []
        if quoted and 2 * sum(1 for w in label if w[:1].isupper()) < len(label):
            quoted = None  # "He told reporters: “…”" is a verb's frame, not a headline's
        if quoted and any(
            d.lexicon.forms.get(w.lower(), ("", ""))[1] == "verb" and w[:1].islower() for w in label
        ):
            quoted = None  # "Scott added: “…”": the verb is the cue
        if quoted and (match is None or quoted.end() > match.end()):
            match = quoted  # "Warren Hammers Wells Fargo CEO: ‘You Should Be …’"
        if match and len(body) - match.end() >= 10:
            colon = offset + match.end(1)
            start, end = _trim(text, offset + match.end(), offset + len(body))
            found.append(
                _Found(
                    cue=(colon, colon + 1),
                    cue_class="say",
                    source=(offset + match.start(1), colon),
                    content=[(start, end)],
                    evidence=["cue:colon-label", "source:label", "content:rest-of-line"],
                    confidence=0.6,
                )
            )
        for dash in _DASH_BYLINE.finditer(body):
            quote = d.close_at.get(offset + dash.start())
            if quote is not None:
                content = d.group_spans(quote)
            elif body.lstrip()[:1] in _QUOTE_CHARS:
                # the line is the quotation, whatever marks the pairing missed ("”Mr. …” ― X")
                opening = offset + len(body) - len(body.lstrip()) + 1
                start, end = _trim(text, opening, max(opening, offset + dash.start()))
                if end <= start:
                    continue
                content = [(start, end)]
            else:
                continue
            mark = (
                offset + dash.start() + next(k for k, ch in enumerate(dash.group(0)) if ch in "―—")
            )
            found.append(
                _Found(
                    cue=(mark, mark + 1),
                    cue_class="say",
                    source=(offset + dash.start(1), offset + dash.end(1)),
                    content=content,
                    evidence=["cue:dash-byline", "source:byline", "content:quote"],
                    confidence=0.6,
                )
            )
        offset += len(line)
    return found


def _headline_attribution(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
    """ "Christie Calls Clinton ‘A Disgrace’", "…, Lindsey Graham Says": in a title-case
    headline the parser often takes a reporting verb for part of a name. A third-person form
    of a lexicon verb after a capitalised name is the cue: the name before it is the source,
    the rest of the line (or, at the end, the clause before the comma) is the content."""
    doc, text = d.doc, d.text
    lower = token.lower_
    entry = d.lexicon.forms.get(lower)
    if (
        entry is None
        or entry[1] != "verb"
        or not lower.endswith("s")
        or lower == entry[0]
        or not token.text[:1].isupper()
        or token.i == sent.start
        or text.find("\n", 0, token.idx) >= 0  # the first line only
    ):
        _skip(d, "not a capitalised -s form of a reporting verb in the first line")
        return None
    line_end = text.find("\n")
    line = text[: line_end if line_end >= 0 else len(text)]
    words = line.split()
    if len(words) < 4 or sum(1 for w in words if not w[:1].islower()) < 0.8 * len(words):
        _veto(d, "the first line is not a title-case headline")
        return None
    if ":" in line[token.idx :]:
        # "Mayor Blasts Chief: ‘…’": the colon frame reports the quotation
        _veto(d, "a colon after it: the colon frame reports the quotation")
        return None
    s_start, s_end = _sentence_bounds(d, sent)
    if token.i + 1 < s_end and doc[token.i + 1].pos_ in ("VERB", "AUX"):
        # "Power Plant Rules Face …": the verb comes after; this is a noun
        _veto(d, "a verb right after it: it is a noun")
        return None
    first = token.i
    while (
        first - 1 >= s_start
        and token.i - first < 6
        and doc[first - 1].text[:1].isupper()
        and doc[first - 1].pos_ in ("PROPN", "NOUN", "ADJ")
    ):
        first -= 1  # "[New] Poll", "[Popular] Website": capitalised modifiers too
    if first == token.i:
        _veto(d, "no capitalised name before it")
        return None
    cue_last = token.i
    particles = _PARTICLES.get(entry[0], ())
    if cue_last + 1 < s_end and doc[cue_last + 1].lower_ in particles:
        cue_last += 1
    if s_end - cue_last - 1 >= 2:
        content = _chars(doc, cue_last + 1, s_end - 1)
    elif first - 1 > s_start and doc[first - 1].text == ",":
        content = _chars(doc, s_start, first - 2)
    else:
        return None
    return _Found(
        cue=_chars(doc, token.i, cue_last),
        cue_class=d.lexicon.verbs[entry[0]],
        source=_chars(doc, first, token.i - 1),
        content=[_trim(text, *content)],
        evidence=[f"cue:headline-verb:{d.lexicon.verbs[entry[0]]}", "source:name-before"],
        confidence=0.55,
    )
