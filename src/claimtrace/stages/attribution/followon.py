"""Follow-on quotes: a quote no cue claimed, right after an attributed one, joins its speaker's
claim, unless another frame reports it ("“…,” said X")."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from claimtrace.stages.attribution.document import _Document, _Found, _trim


def _follow_ons(d: _Document, found: list[_Found], sentences: list[tuple[int, int]]) -> None:
    """Quotes no cue claimed, right after an attributed quote, inherit its speaker."""
    # attributions reported inside a quote ("I think …") do not make it attributed
    outside = [a for a in found if a.cue is None or d.quoted_chars(*a.cue) == 0]
    covered = sorted(span for a in outside for span in a.content)
    starts = [a for a, _ in covered]
    last_group = -1
    previous = sorted((a for a in outside if a.cue), key=lambda a: a.content[-1][1])
    ends = [a.content[-1][1] for a in previous]
    sentence_starts = [start for start, _ in sentences]
    cue_starts = sorted(a.cue[0] for a in found if a.cue is not None)
    # a quoted transcript line ("PENCE: Well, …") has its own speaker
    labelled = sorted(a.cue[0] for a in found if a.cue and "cue:colon-label" in a.evidence)
    for quote in d.quotes:
        if quote.group == last_group:
            continue
        k = bisect_left(labelled, quote.start)
        if k < len(labelled) and labelled[k] < quote.end:
            continue
        k = bisect_right(starts, quote.end) - 1
        if k >= 0 and covered[k][1] > quote.start:
            continue
        j = bisect_right(ends, quote.start) - 1
        if j < 0:
            continue
        speaker = previous[j]
        gap = d.text[speaker.content[-1][1] : quote.start]
        if len(gap) > 200 or speaker.cue is None:
            continue
        last_group = quote.group
        k = bisect_right(sentence_starts, quote.start) - 1
        sentence = sentences[max(k, 0)] if sentences else (quote.start, quote.end)
        whole = d.quoted_chars(*sentence) >= 0.8 * (sentence[1] - sentence[0]) - 4
        if whole:  # the speaker's quote runs on: one more part of the same claim
            for start, end in d.group_spans(quote):
                k = bisect_left(labelled, start)
                if k < len(labelled) and labelled[k] < end:
                    break  # the next paragraph is a transcript line of its own speaker
                speaker.content.append((start, end))
            if "content:follow-on-quote" not in speaker.evidence:
                speaker.evidence.append("content:follow-on-quote")
            continue
        k = bisect_left(cue_starts, sentence[0])
        if k < len(cue_starts) and cue_starts[k] < sentence[1]:
            continue  # the sentence has its own cue
        # "This was to ‘compensate for losses’": the author's frame around the speaker's words
        speaker.content.append(_trim(d.text, *sentence))
        speaker.evidence.append("content:follow-on-mixed")


def _drop_borrowed_quotes(found: list[_Found]) -> None:
    """A quote that another attribution reports as its own content ("“…,” said X") is not a
    follow-on of the speaker before: the follow-on rule took it before X's frame was seen."""
    primary = {a.content[0][0] for a in found if a.cue is not None and a.content}
    for a in found:
        if a.cue is None or len(a.content) < 2:
            continue
        kept = [a.content[0], *(span for span in a.content[1:] if span[0] not in primary)]
        if len(kept) < len(a.content):
            a.content = kept
            a.evidence.append("content:quote-left-to-its-speaker")
