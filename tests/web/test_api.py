"""The JSON API, in process through httpx's ASGI transport (no sockets, no server)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import spacy
from fastapi import FastAPI

from claimtrace import Extractor, Settings
from claimtrace.ledger.query import conflict_views
from claimtrace.ledger.store import Store
from claimtrace.web.app import WebSettings, create_app
from claimtrace.web.security import RefuseWrites
from tests.web.conftest import BRIDGE_REPORTS, Ledger

pytestmark = pytest.mark.anyio


@asynccontextmanager
async def connect(app: FastAPI, **kwargs: object) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url=str(kwargs.pop("base_url", "http://127.0.0.1")),
        **kwargs,  # type: ignore[arg-type]
    ) as http:
        yield http


# Reading --------------------------------------------------------------------------------------


async def test_documents_are_listed_newest_first_and_paged(
    client: httpx.AsyncClient, ledger: Ledger
) -> None:
    first = (await client.get("/api/documents", params={"limit": 2})).json()
    assert [item["published"] for item in first["items"]] == ["2024-06-01", "2024-05-04"]
    assert first["next"] == 2
    rest = (await client.get("/api/documents", params={"offset": 2, "limit": 50})).json()
    assert rest["next"] is None
    ids = [item["id"] for item in first["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == 6
    assert ledger.example.document.id in ids


async def test_documents_search_by_title(client: httpx.AsyncClient) -> None:
    found = (await client.get("/api/documents", params={"q": "bridge"})).json()["items"]
    assert sorted(item["publisher"] for item in found) == sorted(p for _, p in BRIDGE_REPORTS)


@pytest.mark.shared_data("examples/women-prisoners-front-line.txt")  # claims of the example
async def test_one_document_by_id_or_prefix_has_its_records(
    client: httpx.AsyncClient, ledger: Ledger
) -> None:
    doc_id = ledger.example.document.id
    full = (await client.get(f"/api/documents/{doc_id}")).json()
    short = (await client.get(f"/api/documents/{doc_id[:10]}")).json()
    assert full == short
    assert full["document"]["text"] == ledger.example.document.text
    assert [c["id"] for c in full["claims"]] == [c.id for c in ledger.example.claims]
    assert any("Donetsk" in p["name"] for p in full["places"])


async def test_a_document_in_a_cluster_says_so(client: httpx.AsyncClient, ledger: Ledger) -> None:
    doc_id = ledger.bridge[0].document.id
    clusters = (await client.get(f"/api/documents/{doc_id}")).json()["ledger"]["clusters"]
    claim_id = ledger.bridge[0].claims[0].id
    assert clusters[claim_id]["size"] == len(BRIDGE_REPORTS)


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/0000000000",
        "/api/documents/..%2F..%2Fetc%2Fpasswd",
        "/api/claims/c-nothing-here",
        "/api/clusters/..%2Fsecret",
    ],
)
async def test_unknown_or_odd_ids_are_4xx_json(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code in (404, 422)
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["status"] == response.status_code


async def test_claims_filter_by_source_and_certainty(client: httpx.AsyncClient) -> None:
    police = (await client.get("/api/claims", params={"source": "police"})).json()["items"]
    assert len(police) == 3
    assert all(item["source_name"] == "Police" for item in police)
    denied = (
        await client.get("/api/claims", params={"source": "police", "certainty": "denied"})
    ).json()["items"]
    assert [item["document"]["publisher"] for item in denied] == ["Bristol Post"]


@pytest.mark.shared_data("examples/women-prisoners-front-line.txt")  # claims of the example
async def test_claims_full_text_search_and_place(client: httpx.AsyncClient, ledger: Ledger) -> None:
    found = (await client.get("/api/claims", params={"q": "Avon flood"})).json()["items"]
    assert len(found) == len(BRIDGE_REPORTS)
    donetsk = (await client.get("/api/claims", params={"place": "donetsk"})).json()["items"]
    assert donetsk
    assert all(item["document"]["id"] == ledger.example.document.id for item in donetsk)
    assert all(item["claim"]["places"] for item in donetsk)


@pytest.mark.shared_data("examples/women-prisoners-front-line.txt")  # claims of the example
async def test_claims_date_window_uses_cited_dates_then_publication(
    client: httpx.AsyncClient, ledger: Ledger
) -> None:
    # The example's "last month" claims cite February 2023; it was published in March.
    february = await client.get("/api/claims", params={"since": "2023-02", "until": "2023-02"})
    items = february.json()["items"]
    assert items
    assert all(item["claim"]["times"] for item in items)
    assert {item["document"]["id"] for item in items} == {ledger.example.document.id}
    # The leaflet report cites no date: its publication date (June 2024) places it.
    june = await client.get("/api/claims", params={"since": "2024-06", "until": "2024-06"})
    assert {item["document"]["id"] for item in june.json()["items"]} == {ledger.hostile.document.id}
    nothing = await client.get("/api/claims", params={"since": "1999", "until": "1999"})
    assert nothing.json()["items"] == []


async def test_claims_are_paged_without_overlap(client: httpx.AsyncClient) -> None:
    everything = (await client.get("/api/claims", params={"limit": 200})).json()["items"]
    pages, offset = [], 0
    while offset is not None:
        page = (await client.get("/api/claims", params={"offset": offset, "limit": 7})).json()
        pages.extend(page["items"])
        offset = page["next"]
    assert [item["claim"]["id"] for item in pages] == [item["claim"]["id"] for item in everything]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"certainty": "maybe"}, "certainty 'maybe'"),
        ({"since": "2023-13"}, "no month 13"),
        ({"limit": 1000}, "at most 200"),
        ({"limit": 0}, "limit"),
        ({"offset": 10**6}, "offset"),
        ({"document": "../etc"}, "document"),
    ],
)
async def test_bad_filters_are_422_with_the_reason(
    client: httpx.AsyncClient, params: dict[str, str | int], words: str
) -> None:
    response = await client.get("/api/claims", params=params)
    assert response.status_code == 422
    assert words in response.json()["detail"]


async def test_one_claim_with_cluster_and_conflicts(
    client: httpx.AsyncClient, ledger: Ledger
) -> None:
    claim_id = ledger.bridge[2].claims[0].id  # "Police denied …"
    data = (await client.get(f"/api/claims/{claim_id}")).json()
    assert data["claim"]["certainty"] == "denied"
    assert data["cluster"]["size"] == len(BRIDGE_REPORTS)
    assert {c["kind"] for c in data["conflicts"]} == {"polarity"}


async def test_clusters_with_origins_and_conflicts(
    client: httpx.AsyncClient, ledger: Ledger
) -> None:
    listed = (await client.get("/api/clusters")).json()["items"]
    bridge = next(c for c in listed if c["size"] == len(BRIDGE_REPORTS))
    assert bridge["documents"] == len(BRIDGE_REPORTS)
    assert bridge["conflicts"] > 0
    conflicted = (await client.get("/api/clusters", params={"conflicted": True})).json()["items"]
    assert all(c["conflicts"] > 0 for c in conflicted)
    detail = (await client.get(f"/api/clusters/{bridge['id']}")).json()
    assert sorted(m["document"]["publisher"] for m in detail["claims"]) == sorted(
        p for _, p in BRIDGE_REPORTS
    )
    origin_claims = [claim for origin in detail["origins"] for claim in origin["claims"]]
    assert sorted(origin_claims) == sorted(m["claim"]["id"] for m in detail["claims"])
    member_ids = {m["claim"]["id"] for m in detail["claims"]}
    assert all({c["a"], c["b"]} <= member_ids for c in detail["conflicts"])


async def test_conflicts_are_listed_with_both_claims_and_paged(
    client: httpx.AsyncClient, ledger: Ledger
) -> None:
    everything = (await client.get("/api/conflicts", params={"limit": 200})).json()
    expected = [view.as_json() for view in conflict_views(ledger.store)]
    assert everything["items"] == expected
    assert len(expected) >= 2
    assert everything["next"] is None
    first = (await client.get("/api/conflicts", params={"limit": 1})).json()
    assert first["items"] == expected[:1]
    assert first["next"] == 1
    second = (await client.get("/api/conflicts", params={"limit": 1, "offset": 1})).json()
    assert second["items"] == expected[1:2]
    item = expected[0]
    assert item["kind"] in {"polarity", "quantity"}
    assert item["a"]["claim"]["id"] < item["b"]["claim"]["id"]


@pytest.mark.shared_data("examples/women-prisoners-front-line.txt")  # claims of the example
async def test_sources_entities_places_timeline(client: httpx.AsyncClient) -> None:
    sources = (await client.get("/api/sources")).json()["items"]
    police = next(s for s in sources if s["name"] == "Police")
    assert police["claims"] == 3
    places = (await client.get("/api/places", params={"q": "donetsk"})).json()["items"]
    assert places[0]["country_code"] == "UA"
    assert 47 < places[0]["lat"] < 49
    assert 35 < places[0]["lon"] < 39
    assert (await client.get("/api/entities")).status_code == 200
    months = {m["month"]: m for m in (await client.get("/api/timeline")).json()["months"]}
    assert months["2024-05"]["published"] == len(BRIDGE_REPORTS)
    assert months["2023-02"]["about"] >= 1


async def test_openapi_schema_and_offline_reference(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert {"/api/claims", "/api/documents", "/api/clusters/{cluster_id}"} <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/documents"]
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "/api/claims" in page.text
    assert "cdn" not in page.text.lower()
    assert 'src="http' not in page.text
    assert 'href="http' not in page.text


async def test_every_response_has_security_headers(client: httpx.AsyncClient) -> None:
    for path in ("/api/claims", "/claims", "/nothing-here"):
        headers = (await client.get(path)).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


async def test_unknown_host_names_are_refused(app: FastAPI) -> None:
    async with connect(app, base_url="http://attacker.example") as http:
        response = await http.get("/api/claims")
    assert response.status_code == 400


# Writing --------------------------------------------------------------------------------------


async def test_read_only_server_refuses_to_add(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/documents", content="Police said it rained.", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


async def test_post_text_then_read_it_back(writable: Callable[..., FastAPI]) -> None:
    async with connect(writable()) as http:
        response = await http.post(
            "/api/documents",
            content="Officials said the port reopened on Tuesday.",
            headers={"content-type": "text/plain; charset=utf-8"},
            params={"publisher": "Harbour Times", "published": "2024-07-02"},
        )
        assert response.status_code == 201
        created = response.json()
        assert created["outcome"] == "stored"
        assert created["claims"] == 1
        stored = (await http.get(created["api"])).json()
        assert stored["document"]["publisher"] == "Harbour Times"
        assert stored["claims"][0]["source"]["text"] == "Officials"
        again = await http.post(
            "/api/documents",
            content="Officials said the port reopened on Tuesday.",
            headers={"content-type": "text/plain"},
        )
        assert again.status_code == 200
        assert again.json()["outcome"] == "skipped"


async def test_post_json_and_html(writable: Callable[..., FastAPI]) -> None:
    async with connect(writable()) as http:
        as_json = await http.post(
            "/api/documents",
            json={
                "text": "Witnesses said the market burned.",
                "title": "Fire",
                "published": "2024-01-05",
            },
        )
        assert as_json.status_code == 201
        page = (
            "<html><body><article><p>The ministry claimed the talks failed.</p>"
            "</article></body></html>"
        )
        as_html = await http.post(
            "/api/documents", content=page, headers={"content-type": "text/html"}
        )
        assert as_html.status_code == 201
        stored = (await http.get(as_html.json()["api"])).json()
        assert "<p>" not in stored["document"]["text"]
        assert stored["claims"][0]["cue"]["text"] == "claimed"


@pytest.mark.parametrize(
    ("content", "content_type", "status", "words"),
    [
        (b'{"text": ', "application/json", 422, "not JSON"),
        (b'{"text": "x", "colour": 1}', "application/json", 422, "colour"),
        (b'{"text": "x", "published": "last week"}', "application/json", 422, "published"),
        (b"   ", "text/plain", 422, "empty"),
        (b"\xff\xfe\x00bad", "text/plain", 422, "UTF-8"),
        (b"text", "application/pdf", 415, "text/plain"),
    ],
)
async def test_bad_bodies_are_clear_4xx(
    writable: Callable[..., FastAPI], content: bytes, content_type: str, status: int, words: str
) -> None:
    async with connect(writable()) as http:
        response = await http.post(
            "/api/documents", content=content, headers={"content-type": content_type}
        )
    assert response.status_code == status
    assert words in response.json()["detail"]


async def test_token_is_required_when_set(writable: Callable[..., FastAPI]) -> None:
    text = "Police said the road was shut."
    async with connect(writable(token="s3cret")) as http:
        missing = await http.post(
            "/api/documents", content=text, headers={"content-type": "text/plain"}
        )
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = await http.post(
            "/api/documents",
            content=text,
            headers={"content-type": "text/plain", "authorization": "Bearer nope"},
        )
        assert wrong.status_code == 403
        right = await http.post(
            "/api/documents",
            content=text,
            headers={"content-type": "text/plain", "authorization": "Bearer s3cret"},
        )
        assert right.status_code == 201


async def test_body_over_the_limit_is_413(writable: Callable[..., FastAPI]) -> None:
    async with connect(writable(max_body_bytes=1000)) as http:
        declared = await http.post(
            "/api/documents", content="x" * 1001, headers={"content-type": "text/plain"}
        )
        assert declared.status_code == 413

        async def stream() -> AsyncIterator[bytes]:
            for _ in range(5):
                yield b"y" * 400

        streamed = await http.post(
            "/api/documents", content=stream(), headers={"content-type": "text/plain"}
        )
        assert streamed.status_code == 413
        assert "limit of 1000 bytes" in streamed.json()["detail"]


async def test_cross_site_posts_are_refused(writable: Callable[..., FastAPI]) -> None:
    async with connect(writable()) as http:
        for headers in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}):
            response = await http.post(
                "/api/documents",
                content="Police said the road was shut.",
                headers={"content-type": "text/plain", **headers},
            )
            assert response.status_code == 403
        same = await http.post(
            "/api/documents",
            content="Police said the road was shut.",
            headers={"content-type": "text/plain", "origin": "http://127.0.0.1"},
        )
        assert same.status_code == 201


async def test_refuse_writes_refuses_every_method_that_writes(
    writable: Callable[..., FastAPI],
) -> None:
    app = writable()
    app.add_middleware(RefuseWrites, reason="this server is read-only: for the test")
    async with connect(app) as http:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            response = await http.request(
                method,
                "/api/documents",
                content="Police said x.",
                headers={"content-type": "text/plain"},
            )
            assert response.status_code == 403
            assert response.json()["detail"] == "this server is read-only: for the test"
            assert "content-security-policy" in response.headers
        assert (await http.get("/api/documents")).status_code == 200


async def test_an_upload_longer_than_spacys_max_length_is_stored(tmp_path: Path) -> None:
    """Before segments, spaCy's E088 made this a 500; now it is parsed in segments and stored."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 5_000
    text = "Officials said the port would reopen on Tuesday, the mayor said.\n\n" * 400
    assert len(text) > 4 * nlp.max_length
    store = Store(str(tmp_path / "ledger.db"))
    try:
        app = create_app(WebSettings(), store=store, extractor=Extractor(Settings(), nlp=nlp))
        async with connect(app) as http:
            response = await http.post(
                "/api/documents", content=text, headers={"content-type": "text/plain"}
            )
            assert response.status_code == 201, response.text
            stored = (await http.get(response.json()["api"])).json()
        assert len(stored["sentences"]) == 400
        assert len(stored["claims"]) >= 400
    finally:
        store.close()


@pytest.mark.shared_data("examples/women-prisoners-front-line.txt")  # named sources of the example
async def test_an_actor_is_served_with_its_claims(client: httpx.AsyncClient) -> None:
    sources = (await client.get("/api/sources", params={"limit": 200})).json()["items"]
    named = [s for s in sources if s["actor_id"]]
    assert named, "the fixture ledger has named sources"
    for item in named:
        assert item["kind"] == "named"
        assert item["actor_type"] in {"person", "organisation", "other"}
        assert item["name"] in item["aliases"]
    first = named[0]
    found = (await client.get(f"/api/sources/{first['actor_id']}")).json()
    assert found["name"] == first["name"]
    assert len(found["claims_listed"]) == first["claims"]
    assert {c["actor_id"] for c in found["claims_listed"]} == {first["actor_id"]}
    assert {c["source_name"] for c in found["claims_listed"]} == {first["name"]}
    assert (await client.get("/api/sources/a-000000000000")).status_code == 404
