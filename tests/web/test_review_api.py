"""The review API: writes need the token, record its name, and change what every listing shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.web.test_api import connect

pytestmark = pytest.mark.anyio

AUTH = {"authorization": "Bearer s3cret"}


async def _post(http: httpx.AsyncClient, text: str, **params: str) -> dict[str, Any]:
    posted = await http.post(
        "/api/documents",
        content=text,
        params=params,
        headers={"content-type": "text/plain", **AUTH},
    )
    assert posted.status_code == 201, posted.text
    document = (await http.get(posted.json()["api"])).json()
    assert document["claims"], "the test needs a claim to review"
    return document  # type: ignore[no-any-return]


async def test_a_review_needs_the_token_and_records_its_name(
    writable: Callable[..., FastAPI],
) -> None:
    async with connect(writable(token="s3cret", token_name="Ana Reviewer")) as http:
        document = await _post(http, "Police said the road to the port was shut on Monday.")
        claim = document["claims"][0]["id"]
        url = f"/api/claims/{claim}/reviews"
        body = {"action": "reject", "reason": "a road, not a claim"}
        assert (await http.post(url, json=body)).status_code == 401
        wrong = await http.post(url, json=body, headers={"authorization": "Bearer nope"})
        assert wrong.status_code == 403
        done = await http.post(url, json=body, headers=AUTH)
        assert done.status_code == 201, done.text
        assert done.json()["claim"]["review"] == "rejected"
        shown = (await http.get(f"/api/claims/{claim}")).json()
        assert shown["review"] == "rejected"
        (review,) = shown["reviews"]
        assert (review["reviewer"], review["reason"], review["state"]) == (
            "Ana Reviewer",
            "a road, not a claim",
            "active",
        )
        listed = (await http.get("/api/claims")).json()["items"]
        assert claim not in {item["claim"]["id"] for item in listed}


async def test_a_correction_is_checked_and_wins(writable: Callable[..., FastAPI]) -> None:
    async with connect(writable(token="s3cret")) as http:
        document = await _post(http, "Police said the road to the port was shut on Monday.")
        text = document["document"]["text"]
        claim = document["claims"][0]["id"]
        url = f"/api/claims/{claim}/reviews"
        start, end = text.index("the road"), text.index(" on Monday")
        outside = {"action": "correct", "field": "content", "spans": [[0, 10**6]]}
        refused = await http.post(url, json=outside, headers=AUTH)
        assert refused.status_code == 422
        assert "not inside the text" in refused.json()["detail"]
        missing = await http.post("/api/claims/c-none/reviews", json=outside, headers=AUTH)
        assert missing.status_code == 404
        fixed = {"action": "correct", "field": "content", "spans": [[start, end]]}
        assert (await http.post(url, json=fixed, headers=AUTH)).status_code == 201
        denied = {"action": "correct", "field": "certainty", "certainty": "denied"}
        assert (await http.post(url, json=denied, headers=AUTH)).status_code == 201
        listed = (await http.get("/api/claims", params={"certainty": "denied"})).json()["items"]
        (item,) = listed
        assert item["review"] == "corrected"
        assert [part["text"] for part in item["claim"]["content"]] == [
            "the road to the port was shut"
        ]
        reviewer = (await http.get(f"/api/claims/{claim}/reviews")).json()["items"][0]
        assert reviewer["reviewer"] == "editor"


async def test_a_read_only_server_refuses_reviews(writable: Callable[..., FastAPI]) -> None:
    app = writable(read_only=True)
    async with connect(app) as http:
        refused = await http.post("/api/claims/c-1/reviews", json={"action": "accept"})
        assert refused.status_code == 403
        merge = await http.post("/api/sources/a-1/merge", json={"into": "a-2"})
        assert merge.status_code == 403


async def test_merge_and_split_actors(writable: Callable[..., FastAPI]) -> None:
    async with connect(writable(token="s3cret")) as http:
        await _post(
            http, "John Smith said the bridge was closed on Monday.", published="2024-05-06"
        )
        await _post(http, "Jon Smith said the port was closed on Tuesday.", published="2024-05-07")
        sources = (await http.get("/api/sources")).json()["items"]
        smiths = {s["name"]: s["actor_id"] for s in sources if s["actor_id"]}
        assert {"John Smith", "Jon Smith"} <= set(smiths), sources
        john, jon = smiths["John Smith"], smiths["Jon Smith"]
        merged = await http.post(
            f"/api/sources/{jon}/merge", json={"into": john, "reason": "a typo"}, headers=AUTH
        )
        assert merged.status_code == 201, merged.text
        record = (await http.get(f"/api/sources/{john}")).json()
        assert record["claims"] == 2
        gone = await http.get(f"/api/sources/{jon}")
        assert gone.status_code == 404
        assert john in gone.json()["detail"]
        again = await http.post(f"/api/sources/{jon}/split", json={}, headers=AUTH)
        assert again.status_code == 201
        assert (await http.get(f"/api/sources/{john}")).json()["claims"] == 1
        assert (await http.get(f"/api/sources/{jon}")).json()["claims"] == 1
        itself = await http.post(f"/api/sources/{jon}/merge", json={"into": jon}, headers=AUTH)
        assert itself.status_code == 422
