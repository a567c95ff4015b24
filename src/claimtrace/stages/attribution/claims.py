"""The attributions as :class:`~claimtrace.records.Claim` records: ids, nesting (``parent``) and
span edges (balanced quotation marks, a closing parenthesis)."""

from __future__ import annotations

from bisect import bisect_right

from claimtrace.records import Claim, Span
from claimtrace.stages.attribution.document import _Document, _Found
from claimtrace.stages.attribution_lexicon import CERTAINTY
from claimtrace.stages.context import StageContext


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """A content span without a quotation mark at its edge whose partner lies outside it: an
    object that begins at an opening mark ("reject “bad trade deals") or a clause cut at a
    closing one. Apostrophes that may be possessives ("the workers’") are left alone.

    >>> text = "reject “bad trade deals” and ‘go’"
    >>> text[slice(*_balanced(text, 7, 23))], text[slice(*_balanced(text, 7, 24))]
    ('bad trade deals', '“bad trade deals”')
    """
    given = start, end
    piece = text[start:end]
    odd_straight = piece.count('"') % 2 == 1
    if (piece[:1] in "“‘" and not any(mark in piece for mark in "”’")) or (
        piece[:1] == '"' and odd_straight
    ):
        start += 1
    piece = text[start:end]
    odd_straight = piece.count('"') % 2 == 1
    if (piece[-1:] == "”" and "“" not in piece) or (piece[-1:] == '"' and odd_straight):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else given


def _closed_parenthesis(text: str, start: int, end: int) -> tuple[int, int]:
    """A span that opens a parenthesis keeps the one that closes it right after its end: edge
    trimming took it ("Sen. Elizabeth Warren (D-MA)").

    >>> text = "Sen. Elizabeth Warren (D-MA) said"
    >>> text[slice(*_closed_parenthesis(text, 0, 27))]
    'Sen. Elizabeth Warren (D-MA)'
    """
    piece = text[start:end]
    if piece.count("(") > piece.count(")") and text[end : end + 1] == ")":
        return start, end + 1
    return start, end


def _to_claims(d: _Document, ctx: StageContext, found: list[_Found]) -> list[Claim]:
    text = d.text
    found.sort(key=lambda a: (a.content[0], a.cue or (0, 0)))
    ids = [ctx.claim_id((a.content[0][0], a.content[-1][1]), a.cue) for a in found]
    contents = sorted(
        ((span[0], span[1], k) for k, a in enumerate(found) if a.cue for span in a.content),
    )
    starts = [c[0] for c in contents]
    claims = []
    seen: set[str] = set()
    for k, a in enumerate(found):
        if ids[k] in seen:
            continue
        seen.add(ids[k])
        parent = None
        if a.cue is not None:
            j = bisect_right(starts, a.cue[0]) - 1
            steps = 0
            while j >= 0 and steps < 20:
                end, owner = contents[j][1], contents[j][2]
                other = found[owner].cue
                if (
                    owner != k
                    and end >= a.cue[1]
                    and other is not None
                    and not any(s <= other[0] and other[1] <= e for s, e in a.content)
                ):
                    parent = ids[owner]
                    break
                j -= 1
                steps += 1
        claims.append(
            Claim(
                id=ids[k],
                source=Span.of(text, *_closed_parenthesis(text, *a.source)) if a.source else None,
                source_kind=a.kind,
                cue=Span.of(text, *a.cue) if a.cue else None,
                content=tuple(Span.of(text, *_balanced(text, s, e)) for s, e in a.content),
                quote=a.quote,
                certainty=CERTAINTY[a.cue_class] if a.cue_class else "asserted",
                parent=parent,
                confidence=round(max(0.05, min(1.0, a.confidence)), 2),
                evidence=tuple(a.evidence),
            )
        )
    return claims
