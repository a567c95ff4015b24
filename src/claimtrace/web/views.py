"""How records look on the page and in the API: JSON shapes, template filters, claim details.

Kept apart from the routes so the API and the pages show the same thing the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from claimtrace.ledger.store import ClaimRow
from claimtrace.records import Claim, Extraction

__all__ = [
    "FILTERS",
    "GLOBALS",
    "ClaimFacts",
    "claim_facts",
    "claim_json",
    "http_url",
    "input_name",
    "percent",
    "query_string",
    "short_id",
]

CERTAINTY_HELP = {
    "asserted": "stated as fact",
    "reported": "passed on from a report",
    "claimed": "claimed by the source",
    "believed": "the source's belief or estimate",
    "alleged": "an allegation",
    "denied": "denied by the source",
    "evidential": "backed by evidence the text cites",
    "hypothetical": "a possibility, not a fact",
}


def short_id(value: str, length: int = 12) -> str:
    """The first characters of a long id, enough to tell ids apart on a page.

    >>> short_id("ab" * 32)
    'abababababab'
    """
    return value[:length]


def input_name(value: str | None) -> str:
    """What a document is called when it has no title: the file name of its input, never the
    path it was read from on the server (which says nothing to a reader and can be long).

    >>> input_name("/srv/corpus/2016/nyt_a-rush-for-books.txt")
    'nyt_a-rush-for-books.txt'
    >>> input_name("feed.jsonl#3"), input_name(None)
    ('feed.jsonl#3', '')
    """
    if not value:
        return ""
    return value.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or value


def percent(value: float | None) -> str:
    """A 0–1 confidence as a whole percentage.

    >>> percent(0.876), percent(None)
    ('88%', '—')
    """
    return "—" if value is None else f"{round(value * 100):d}%"


def query_string(params: Mapping[str, object], **changes: object) -> str:
    """``?a=1&b=2`` from the current filters with some changed; empty values are dropped.

    >>> query_string({"source": "Ann", "offset": 50}, offset=100)
    '?source=Ann&offset=100'
    >>> query_string({"q": ""})
    ''
    """
    merged = {**params, **changes}
    kept = {key: value for key, value in merged.items() if value not in (None, "", 0, False)}
    return "?" + urlencode(kept) if kept else ""


def http_url(value: str | None) -> str | None:
    """``value`` when it is an http(s) URL, else ``None``: a document's URL becomes a link only
    then, so a ``javascript:`` URL in a feed can never run.

    >>> http_url("https://example.org/a"), http_url("javascript:alert(1)"), http_url(None)
    ('https://example.org/a', None, None)
    """
    if not value:
        return None
    scheme = value.strip().split(":", 1)[0].lower()
    return value.strip() if scheme in ("http", "https") and "://" in value else None


def claim_json(row: ClaimRow, cluster: tuple[str, int, int | None] | None = None) -> dict[str, Any]:
    """A stored claim as the API shows it: the contract's claim plus its document and cluster."""
    return {
        **row.as_json(),
        "cluster": None
        if cluster is None or cluster[1] < 2
        else {"id": cluster[0], "size": cluster[1], "origins": cluster[2]},
    }


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """The facts inside one claim, resolved to their records, for the claim's detail panel."""

    claim: Claim
    source_name: str | None
    places: list[dict[str, Any]]
    quantities: list[dict[str, Any]]
    times: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    parent: Claim | None


def claim_facts(extraction: Extraction) -> list[ClaimFacts]:
    """Every claim of a document with the places, numbers, times and entities it names."""
    places = {p.id: p.model_dump(mode="json") for p in extraction.places}
    quantities = {q.id: q.model_dump(mode="json") for q in extraction.quantities}
    times = {t.id: t.model_dump(mode="json") for t in extraction.times}
    entities = {e.id: e for e in extraction.entities}
    claims = {c.id: c for c in extraction.claims}
    found: list[ClaimFacts] = []
    for claim in extraction.claims:
        source_entity = entities.get(claim.source_entity) if claim.source_entity else None
        found.append(
            ClaimFacts(
                claim=claim,
                source_name=source_entity.name if source_entity else None,
                places=[places[i] for i in claim.places if i in places],
                quantities=[quantities[i] for i in claim.quantities if i in quantities],
                times=[times[i] for i in claim.times if i in times],
                entities=[
                    {"id": i, "name": entities[i].name, "type": entities[i].type}
                    for i in claim.entities
                    if i in entities
                ],
                parent=claims.get(claim.parent) if claim.parent else None,
            )
        )
    return found


def quantity_text(quantity: Mapping[str, Any]) -> str:
    """A quantity in words: its best value with its range, and what it counts.

    >>> quantity_text({"low": 80, "high": 120, "best": 100, "approximate": True, "unit": "women"})
    'about 100 (80–120) women'
    >>> quantity_text({"low": 10, "high": 20, "approximate": False, "unit": "km"})
    '10–20 km'
    >>> quantity_text({"low": 5000.0, "high": 5000.0, "unit": "USD"})
    '5,000 USD'
    >>> quantity_text({"low": 723, "high": None, "approximate": True, "counted": "people"})
    '≥ 723 people'
    """
    low, high, best = quantity.get("low"), quantity.get("high"), quantity.get("best")
    if low is None or high is None:  # one side open: "more than 723", "up to 40"
        number = f"≥ {_number(low)}" if high is None else f"≤ {_number(high)}"
        words = [number]
        words.extend(str(quantity[key]) for key in ("unit", "counted") if quantity.get(key))
        return " ".join(words)
    if low == high:
        number = _number(low)
    elif best is not None:
        number = f"{_number(best)} ({_number(low)}–{_number(high)})"
    else:
        number = f"{_number(low)}–{_number(high)}"
    words = [("about " if quantity.get("approximate") else "") + number]
    words.extend(str(quantity[key]) for key in ("unit", "counted") if quantity.get(key))
    return " ".join(words)


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.6g}"
    return str(value)


FILTERS: dict[str, Any] = {
    "short_id": short_id,
    "input_name": input_name,
    "percent": percent,
    "http_url": http_url,
    "quantity_text": quantity_text,
}
GLOBALS: dict[str, Any] = {
    "query_string": query_string,
    "CERTAINTY_HELP": CERTAINTY_HELP,
}
