"""The trace of the attribution stage: for each candidate token, the rules tried on it, vetoed
and accepted, and what each pass changed.

Tracing is off unless a :class:`Trace` is active (:func:`tracing`, or :func:`explain`, which
runs the whole pipeline once with one): the stage reads the active trace once per document, and
with none it records nothing. A frame says why it found nothing where it knows (``vetoed``, or
``skipped`` where it does not apply to the token at all); a frame that ran and found nothing
without saying why was ``tried``.

>>> from claimtrace import Extractor, Settings
>>> extraction, trace = explain(Extractor(Settings(model="rules")), "The army said that it won.")
>>> [(e.token, e.rule, e.outcome) for e in trace.events if e.outcome == "accepted"]
[('said', 'lexicon', 'accepted')]
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Token

    from claimtrace.extractor import Extractor
    from claimtrace.records import Extraction
    from claimtrace.stages.attribution.document import _Found

__all__ = ["Outcome", "Trace", "TraceEvent", "active_trace", "explain", "tracing"]

#: tried: the rule ran and found nothing (no reason known); vetoed: it refused, with a reason;
#: accepted: it made (or a pass added) an attribution; skipped: it does not apply to the token;
#: edited: a pass changed an attribution
Outcome = Literal["tried", "vetoed", "accepted", "skipped", "edited"]

#: the rule name of the frames found on whole lines before the token loop (colon labels, bylines)
LINE_FRAMES = "line-frames"
#: the rule name of the sentence-final frame ("…, a new analysis shows.")
SENTENCE_FINAL = "sentence-final"
#: the rule that drops a cue inside a longer one
INNER_CUES = "inner-cues"
#: the prefix of a pass's rule name ("pass:sources")
PASS = "pass:"

_SHOWN = 48  # characters of a span's text in a detail


@dataclass(frozen=True, slots=True)
class TraceEvent:
    """One rule on one candidate token (or one pass's change to one attribution).

    ``sentence``: the 1-based index of the sentence in ``Extraction.sentences`` (0 while not
    numbered, or for an event about the whole document); ``token`` and ``start``: the token's
    text and its first character in the document's text (-1 for the whole document);
    ``claim``: the id of the claim the event made or changed, when it is in the output."""

    sentence: int
    token: str
    start: int
    rule: str
    outcome: Outcome
    detail: str = ""
    claim: str | None = None

    @property
    def label(self) -> str:
        """The token with its offset: ``said@13``."""
        return f"{self.token}@{self.start}" if self.start >= 0 else "(document)"

    def as_dict(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "token": self.token,
            "start": self.start,
            "rule": self.rule,
            "outcome": self.outcome,
            "detail": self.detail,
            "claim": self.claim,
        }


@dataclass
class Trace:
    """The events of one traced run, in the order the rules ran."""

    events: list[TraceEvent] = field(default_factory=list)
    _offset: int = 0  # where the text the stage runs on begins in the document (a segment)
    _note: tuple[Outcome, str] | None = None  # why the rule now running found nothing
    _about: list[tuple[int, _Found]] = field(default_factory=list)  # event index → attribution
    _text: str = ""

    # --- what the stage calls -------------------------------------------------------------

    def enter(self, text: str, offset: int) -> None:
        """The stage starts on ``text``, which begins at ``offset`` in the document."""
        self._text, self._offset, self._note, self._about = text, offset, None, []

    def note(self, outcome: Outcome, detail: str) -> None:
        """Why the rule now running finds nothing: the first reason given is kept."""
        if self._note is None:
            self._note = (outcome, detail)

    def record(
        self,
        token: Token | None,
        rule: str,
        outcome: Outcome,
        detail: str = "",
        about: _Found | None = None,
    ) -> None:
        """An event on ``token`` (None: on the whole document)."""
        if token is None:
            text, start = "", -1
        else:
            text, start = token.text, token.idx + self._offset
        self._add(TraceEvent(0, text, start, rule, outcome, detail), about)

    def attempt(self, token: Token, rule: str, item: _Found | None) -> None:
        """``rule`` ran on ``token`` and made ``item`` (or nothing, for the reason noted)."""
        note, self._note = self._note, None
        if item is not None:
            self.record(token, rule, "accepted", self.describe(item), item)
        elif note is not None:
            self.record(token, rule, *note)
        else:
            self.record(token, rule, "tried", "no attribution")

    def found_whole(self, rule: str, found: list[_Found]) -> None:
        """Attributions a rule found without a token loop (the line frames)."""
        self._note = None
        for item in found:
            self._add_at(item, rule, "accepted", self.describe(item))

    @staticmethod
    def snapshot(found: list[_Found]) -> dict[int, tuple[_Found, tuple[Any, ...]]]:
        """The attributions as they are now, for :meth:`compare` after a pass changed them."""
        return {id(a): (a, _state(a)) for a in found}

    def compare(
        self, rule: str, states: dict[int, tuple[_Found, tuple[Any, ...]]], after: list[_Found]
    ) -> None:
        """What a pass (or the inner-cue filter) changed since :meth:`snapshot` gave
        ``states``: attributions added, removed, edited."""
        self._note = None
        kept = {id(a) for a in after}
        changes = 0
        for a, _ in states.values():
            if id(a) not in kept:
                self._add_at(a, rule, "vetoed", f"removed {self.describe(a)}")
                changes += 1
        for a in after:
            if id(a) not in states:
                self._add_at(a, rule, "accepted", f"added {self.describe(a)}")
                changes += 1
            elif _state(a) != states[id(a)][1]:
                self._add_at(a, rule, "edited", self._changes(states[id(a)][1], _state(a)))
                changes += 1
        if not changes and rule != INNER_CUES:
            self.record(None, rule, "tried", "no change")

    def link(self, found: list[_Found], claim_id: Callable[[_Found], str]) -> None:
        """Give each event about an attribution still in ``found`` its claim's id."""
        final = {id(a) for a in found}
        for index, item in self._about:
            if id(item) in final:
                self.events[index] = replace(self.events[index], claim=claim_id(item))
        self._about = []

    def describe(self, item: _Found) -> str:
        """An attribution in one line: its cue, source, content and evidence."""
        parts = []
        if item.cue is not None:
            parts.append(f"cue {self._quoted(item.cue)}")
        if item.source is not None:
            parts.append(f"source {self._quoted(item.source)}")
        if item.content:
            parts.append(f"content {' … '.join(self._quoted(span) for span in item.content)}")
        return f"{'; '.join(parts)} [{' '.join(item.evidence)}]"

    # --- after the run ----------------------------------------------------------------------

    def number(self, extraction: Extraction) -> None:
        """Number each event's sentence from ``extraction.sentences`` (1-based), and drop the
        repeats a long document's overlapping segments make."""
        starts = [span.start for span in extraction.sentences]
        seen: set[TraceEvent] = set()
        numbered = []
        for event in self.events:
            sentence = bisect_right(starts, event.start) if event.start >= 0 else 0
            event = replace(event, sentence=max(sentence, 1) if event.start >= 0 else 0)
            if event not in seen:
                seen.add(event)
                numbered.append(event)
        self.events = numbered

    def for_claim(self, claim: str) -> list[TraceEvent]:
        """The events that made or changed the claim ``claim``, in order."""
        return [event for event in self.events if event.claim == claim]

    def accepting(self, claim: str) -> TraceEvent | None:
        """The event that made the claim ``claim``: the frame (or pass) that accepted it."""
        return next((e for e in self.for_claim(claim) if e.outcome == "accepted"), None)

    # --- helpers ------------------------------------------------------------------------------

    def _add(self, event: TraceEvent, about: _Found | None) -> None:
        if about is not None:
            self._about.append((len(self.events), about))
        self.events.append(event)

    def _add_at(self, item: _Found, rule: str, outcome: Outcome, detail: str) -> None:
        """An event at an attribution's cue (or its content, for the author's)."""
        span = item.cue or (item.content[0] if item.content else None)
        if span is None:
            self._add(TraceEvent(0, "", -1, rule, outcome, detail), item)
            return
        words = self._text[span[0] : span[1]].split()
        token = words[0] if words else ""
        self._add(TraceEvent(0, token, span[0] + self._offset, rule, outcome, detail), item)

    def _quoted(self, span: tuple[int, int]) -> str:
        text = " ".join(self._text[span[0] : span[1]].split())
        return repr(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…")

    def _changes(self, before: tuple[Any, ...], after: tuple[Any, ...]) -> str:
        changed = []
        for name, old, new in zip(_FIELDS, before, after, strict=True):
            if old == new:
                continue
            if name in ("cue", "source"):
                changed.append(f"{name} {self._span(old)} → {self._span(new)}")
            elif name == "content":
                shown = (
                    " … ".join(self._quoted(s) for s in spans) or "none" for spans in (old, new)
                )
                changed.append(f"content {' → '.join(shown)}")
            elif name == "evidence":
                added = [e for e in new if e not in old]
                gone = [e for e in old if e not in new]
                changed.append(
                    "evidence" + "".join(f" +{e}" for e in added) + "".join(f" -{e}" for e in gone)
                )
            else:
                changed.append(f"{name} {old} → {new}")
        return "; ".join(changed)

    def _span(self, span: tuple[int, int] | None) -> str:
        return "none" if span is None else self._quoted(span)


_FIELDS = ("cue", "source", "content", "kind", "quote", "evidence")


def _state(a: _Found) -> tuple[Any, ...]:
    return (a.cue, a.source, tuple(a.content), a.kind, a.quote, tuple(a.evidence))


_ACTIVE: ContextVar[Trace | None] = ContextVar("claimtrace_attribution_trace", default=None)


def active_trace() -> Trace | None:
    """The trace the attribution stage records into now, or None (tracing off)."""
    return _ACTIVE.get()


@contextmanager
def tracing(trace: Trace | None = None) -> Iterator[Trace]:
    """Record what the attribution stage does, while inside, into ``trace`` (or a new one).

    Extract one document inside: the events of several would mix."""
    trace = trace if trace is not None else Trace()
    token = _ACTIVE.set(trace)
    try:
        yield trace
    finally:
        _ACTIVE.reset(token)


def explain(
    extractor: Extractor | Language, text: str, **metadata: Any
) -> tuple[Extraction, Trace]:
    """Extract ``text`` once with tracing on: the extraction (the same as without tracing) and
    the trace of its attribution stage, numbered by sentence. ``extractor``: an
    :class:`~claimtrace.Extractor`, or a spaCy pipeline to build one on; ``metadata``: what
    :meth:`~claimtrace.Extractor.extract_text` takes (``published``, ``title``, ``html`` …)."""
    from claimtrace.extractor import Extractor

    if not isinstance(extractor, Extractor):
        extractor = Extractor(nlp=extractor)
    with tracing() as trace:
        extraction = extractor.extract_text(text, **metadata)
    trace.number(extraction)
    return extraction, trace
