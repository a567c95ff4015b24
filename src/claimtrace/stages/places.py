"""Places: every place the document names, geocoded offline, and linked from the claims.

Mentions come from the model's GPE/LOC entities and from capitalised names found in the
gazetteer (:mod:`claimtrace.places.resolve`); each is resolved against the GeoNames gazetteer
(:mod:`claimtrace.places.gazetteer`, built at first use into the cache folder) with the article's
other places as evidence. A name that fits nothing stays, with ``geonames_id`` None and low
confidence. A claim lists the places whose mentions lie inside its content spans.

>>> from claimtrace.nlp import load_pipeline
>>> from claimtrace.records import DocumentRecord
>>> from claimtrace.stages.context import StageContext
>>> text = "Convicts were moved to Kuschevka in Krasnodar region."
>>> document = DocumentRecord(id="0" * 64, text=text, input="doc", encoding="utf-8",
...                           raw_sha256="0" * 64)
>>> found = run(load_pipeline(None)(text), StageContext(document=document))
>>> for place in found.places:
...     print(place.mention.text, "|", place.name, place.country_code, place.role)
Kuschevka | Kushchyovskaya RU destination
Krasnodar region | Krasnodar Krai RU site
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from spacy.tokens import Doc

from claimtrace.places.gazetteer import open_gazetteer
from claimtrace.places.resolve import Resolution, find_mentions, resolve_mentions
from claimtrace.records import Claim, Feature, Place, PlaceRole, Span
from claimtrace.stages.context import Findings, StageContext

__all__ = ["run"]

_FEATURES: Final[dict[str, Feature]] = {
    "country": "country",
    "admin1": "admin1",
    "admin2": "admin2",
    "populated_place": "populated_place",
}
_ROLES: Final[dict[str, PlaceRole]] = {
    "site": "site",
    "origin": "origin",
    "destination": "destination",
    "transit": "transit",
}


def _place(ctx: StageContext, text: str, resolution: Resolution) -> Place:
    mention = resolution.mention
    span = Span.of(text, mention.start, mention.end)
    role = _ROLES.get(resolution.role) if resolution.role else None
    candidate = resolution.place
    if candidate is None:
        return Place(
            id=ctx.mention_id("p", mention.start, mention.end),
            mention=span,
            name=mention.text,
            geonames_id=None,
            feature="other",
            country_code=None,
            role=role,
            confidence=resolution.confidence,
        )
    admin1 = candidate.admin1 if candidate.feature != "country" else None
    return Place(
        id=ctx.mention_id("p", mention.start, mention.end),
        mention=span,
        name=candidate.name,
        geonames_id=candidate.geonames_id,
        feature=_FEATURES.get(candidate.feature, "other"),
        country_code=candidate.country_code,
        admin1=admin1,
        lat=candidate.lat,
        lon=candidate.lon,
        role=role,
        confidence=resolution.confidence,
    )


def _link(claim: Claim, places: tuple[Place, ...]) -> Claim:
    inside = [
        place.id
        for place in places
        if any(
            part.start <= place.mention.start and place.mention.end <= part.end
            for part in claim.content
        )
    ]
    if not inside:
        return claim
    linked = tuple(dict.fromkeys([*claim.places, *inside]))
    return claim.model_copy(update={"places": linked})


def run(doc: Doc, ctx: StageContext) -> Findings:
    """Add the document's places to the findings and link each claim to the places it names."""
    text = ctx.document.text
    if not text.strip():
        return ctx.found
    gazetteer = open_gazetteer()
    mentions = find_mentions(doc, gazetteer)
    resolutions = resolve_mentions(doc, mentions, gazetteer)
    places = tuple(_place(ctx, text, r) for r in resolutions)
    claims = tuple(_link(claim, places) for claim in ctx.found.claims)
    return replace(ctx.found, places=(*ctx.found.places, *places), claims=claims)
