"""The server-rendered pages, in process: content, escaping, forms and CSRF, traversal."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI

from claimtrace import Extraction, Extractor
from claimtrace.ledger.query import conflict_views
from claimtrace.ledger.store import Store
from claimtrace.web import geo
from claimtrace.web.app import WebSettings, create_app
from claimtrace.web.security import CSRF_FIELD
from tests.web.conftest import BRIDGE_REPORTS, Ledger
from tests.web.test_api import connect

pytestmark = pytest.mark.anyio


class ArticleParser(HTMLParser):
    """Collects the article element's text and which characters of it each role class covers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.position = 0
        self.stack: list[set[str]] = []
        self.covered: dict[str, set[int]] = {}
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts.append(values.get("src") or "inline")
        if values.get("id") == "article-text":
            self.depth = 1
            return
        if self.depth:
            self.depth += 1
            self.stack.append(set((values.get("class") or "").split()))

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            if self.stack:
                self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.depth:
            return
        self.text.append(data)
        span = range(self.position, self.position + len(data))
        self.position += len(data)
        for classes in self.stack:
            for name in classes:
                if name.startswith("r-"):
                    self.covered.setdefault(name[2:], set()).update(span)

    def covers(self, role: str, start: int, end: int) -> bool:
        """Whether every character in ``[start, end)`` is styled as ``role``."""
        return set(range(start, end)) <= self.covered.get(role, set())


def parse(html: str) -> ArticleParser:
    parser = ArticleParser()
    parser.feed(html)
    return parser


@pytest.mark.shared_data("examples/women-prisoners-front-line.txt")  # claims of the example
async def test_article_shows_the_exact_text_with_claims_highlighted(
    client: httpx.AsyncClient, ledger: Ledger
) -> None:
    example = ledger.example
    response = await client.get(f"/documents/{example.document.id}")
    assert response.status_code == 200
    page = parse(response.text)
    # Offsets are the truth: the highlighted article is the document's text, to the character.
    assert "".join(page.text) == example.document.text
    for claim in example.claims:
        for role, span in (("source", claim.source), ("cue", claim.cue)):
            if span is not None:
                assert page.covers(role, span.start, span.end), (role, span.text)
        for part in claim.content:
            assert page.covers("content", part.start, part.end), part.text
    for place in example.places:
        assert page.covers("place", place.mention.start, place.mention.end)
    for quantity in example.quantities:
        assert page.covers("quantity", quantity.mention.start, quantity.mention.end)
    uncovered = set(range(len(example.document.text))) - set().union(*page.covered.values())
    claimed = {i for c in example.claims for p in c.content for i in range(p.start, p.end)}
    assert not claimed & uncovered
    # Every claim has its card, with certainty and confidence.
    for claim in example.claims:
        card = re.search(rf'id="claim-{claim.id}".*?</li>', response.text, flags=re.DOTALL)
        assert card is not None
        assert f"c-{claim.certainty}" in card.group(0)
        assert f"{round(claim.confidence * 100)}%" in card.group(0)
    assert "about 100" in response.text  # the number, resolved, in its claim's details
    assert page.scripts == ["/static/review.js"]


async def test_document_markup_renders_as_text(client: httpx.AsyncClient, ledger: Ledger) -> None:
    response = await client.get(f"/documents/{ledger.hostile.document.id}")
    html = response.text
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Leaflet&lt;/b&gt;" in html
    assert "javascript:" not in html  # the document's URL is not made a link
    assert "".join(parse(html).text) == ledger.hostile.document.text
    for path in ("/claims", "/documents", "/", "/sources", f"/source?name={'<script>'}"):
        listing = (await client.get(path)).text
        assert "<script>alert" not in listing
        assert "<b>Leaflet" not in listing
        assert "<i>Sneaky" not in listing


async def test_claims_table_filters_and_pages(client: httpx.AsyncClient) -> None:
    police = await client.get("/claims", params={"source": "Police"})
    rows = re.findall(r'<tr data-claim="([^"]+)">', police.text)
    assert len(rows) == 3
    denied = await client.get("/claims", params={"source": "Police", "certainty": "denied"})
    assert len(re.findall(r"<tr data-claim=", denied.text)) == 1
    assert '<option value="denied" selected>' in denied.text
    searched = await client.get("/claims", params={"q": "leaflet"})
    assert len(re.findall(r"<tr data-claim=", searched.text)) == 1
    first = await client.get("/claims", params={"limit": 3})
    assert len(re.findall(r"<tr data-claim=", first.text)) == 3
    next_link = re.search(r'rel="next" href="([^"]+)"', first.text)
    assert next_link is not None
    second = await client.get("/claims" + next_link.group(1).replace("&amp;", "&"))
    assert set(re.findall(r'data-claim="([^"]+)"', second.text)).isdisjoint(
        re.findall(r'data-claim="([^"]+)"', first.text)
    )
    bad = await client.get("/claims", params={"since": "soon"})
    assert bad.status_code == 422
    assert "text/html" in bad.headers["content-type"]
    assert "YYYY-MM-DD" in bad.text


async def test_cluster_page_shows_origins_and_conflicts_side_by_side(
    client: httpx.AsyncClient, ledger: Ledger
) -> None:
    claim_id = ledger.bridge[0].claims[0].id
    article = await client.get(f"/documents/{ledger.bridge[0].document.id}")
    link = re.search(r'class="cluster-link" href="(/clusters/[^"]+)"', article.text)
    assert link is not None
    page = await client.get(link.group(1))
    assert page.status_code == 200
    assert "Conflicts" in page.text
    assert "polarity" in page.text
    assert page.text.count('class="side-by-side"') >= 1
    assert all(publisher in page.text for _, publisher in BRIDGE_REPORTS)
    assert re.search(r'class="origin-count">\s*1\s*<', page.text)
    assert claim_id in page.text


async def test_conflicts_page_pairs_the_claims_that_disagree(
    client: httpx.AsyncClient, ledger: Ledger
) -> None:
    views = conflict_views(ledger.store)
    page = await client.get("/conflicts")
    assert page.status_code == 200
    assert page.text.count('class="conflict-pair"') == len(views) > 0
    for view in views:
        assert f"claim-{view.a.claim.id}" in page.text
        assert f"claim-{view.b.claim.id}" in page.text
    assert 'href="/conflicts"' in page.text  # in the navigation
    one = await client.get("/conflicts", params={"limit": 1})
    assert one.text.count('class="conflict-pair"') == 1


async def test_source_timeline_map_documents_overview(
    client: httpx.AsyncClient, ledger: Ledger
) -> None:
    source = await client.get("/source", params={"name": "Police"})
    assert "<h2>2024-05</h2>" in source.text
    assert source.text.count("/documents/") >= 3
    timeline = await client.get("/timeline")
    assert 'href="/claims?since=2024-05&amp;until=2024-05"' in timeline.text
    assert "bar-published" in timeline.text
    mapped = await client.get("/map")
    # Natural Earth's outlines, drawn on the server (no tiles, nothing fetched)
    assert mapped.text.count('class="outline"') > 150
    assert re.search(
        r'<path class="outline" d="M[^"]+" data-iso="FRA"><title>France</title>', mapped.text
    )
    assert 'src="/static/map.js"' in mapped.text
    labels = re.findall(
        r'<text x="[\d.]+" y="[\d.]+" data-x="[\d.]+" data-r="[\d.]+">([^<]+)</text>', mapped.text
    )
    assert labels  # the busiest places are named on the map
    drawn = set(re.findall(r'class="place" cx="([\d.]+)" cy="([\d.]+)"', mapped.text))
    located = (await client.get("/api/places", params={"limit": 200})).json()["items"]
    expected = {
        tuple(str(v) for v in geo.project(p["lat"], p["lon"]))
        for p in located
        if p["lat"] is not None
    }
    assert expected
    assert drawn == expected
    documents = await client.get("/documents")
    assert documents.text.count('<a href="/documents/') == 6
    overview = await client.get("/")
    assert "Largest clusters" in overview.text
    assert "/clusters/" in overview.text


async def test_claim_link_redirects_to_its_article(
    client: httpx.AsyncClient, ledger: Ledger
) -> None:
    claim = ledger.example.claims[1]
    response = await client.get(f"/claims/{claim.id}")
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/documents/{ledger.example.document.id}?")


@pytest.mark.parametrize(
    "path",
    [
        "/static/..%2f..%2fpyproject.toml",
        "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%5c..%5capp.py",
        "/documents/..%2F..%2Fetc%2Fpasswd",
        "/clusters/..%2F..%2Fetc%2Fpasswd",
        "/source/..%2Fetc",
    ],
)
async def test_no_path_traversal(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert 400 <= response.status_code < 500
    assert "[build-system]" not in response.text
    assert "root:" not in response.text
    assert "def create_app" not in response.text


async def test_static_files_are_served(client: httpx.AsyncClient) -> None:
    css = await client.get("/static/review.css")
    assert css.status_code == 200
    assert "text/css" in css.headers["content-type"]


# The upload form ------------------------------------------------------------------------------


async def _form(http: httpx.AsyncClient) -> str:
    page = await http.get("/upload")
    assert page.status_code == 200
    match = re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', page.text)
    assert match is not None
    cookie = page.headers["set-cookie"]
    assert "httponly" in cookie.lower()
    assert "samesite=strict" in cookie.lower()
    return match.group(1)


async def test_upload_form_adds_an_article(writable: Callable[..., FastAPI]) -> None:
    async with connect(writable()) as http:
        token = await _form(http)
        response = await http.post(
            "/upload",
            data={
                CSRF_FIELD: token,
                "text": "Rescuers said <b>twelve</b> people were saved.",
                "title": "Rescue",
                "published": "2024-02-02",
            },
        )
        assert response.status_code == 303
        article = await http.get(response.headers["location"])
        assert article.status_code == 200
        assert "&lt;b&gt;twelve&lt;/b&gt;" in article.text
        assert 'class="run r-cue"' in article.text


async def test_upload_a_file(writable: Callable[..., FastAPI]) -> None:
    page = (
        b"<html><body><article><p>The army claimed the town was taken.</p></article></body></html>"
    )
    async with connect(writable()) as http:
        token = await _form(http)
        response = await http.post(
            "/upload",
            data={CSRF_FIELD: token},
            files={"file": ("report.html", page, "text/html")},
        )
        assert response.status_code == 303
        article = await http.get(response.headers["location"])
        assert "".join(parse(article.text).text) == "The army claimed the town was taken."
        assert "&lt;p&gt;" not in article.text


async def test_upload_needs_the_csrf_token(writable: Callable[..., FastAPI]) -> None:
    async with connect(writable()) as http:
        await _form(http)
        forged = await http.post("/upload", data={CSRF_FIELD: "guess", "text": "Police said x."})
        assert forged.status_code == 403
        assert "expired" in forged.text
    async with connect(writable()) as fresh:  # no cookie at all: a post from elsewhere
        response = await fresh.post("/upload", data={CSRF_FIELD: "", "text": "Police said x."})
        assert response.status_code == 403


async def test_upload_needs_the_server_token_when_set(writable: Callable[..., FastAPI]) -> None:
    async with connect(writable(token="s3cret")) as http:
        token = await _form(http)
        form = {CSRF_FIELD: token, "text": "Police said the road was shut."}
        wrong = await http.post("/upload", data={**form, "token": "nope"})
        assert wrong.status_code == 403
        assert "Police said the road was shut." in wrong.text  # the form keeps what was typed
        right = await http.post("/upload", data={**form, "token": "s3cret"})
        assert right.status_code == 303


async def test_upload_reports_bad_input(writable: Callable[..., FastAPI]) -> None:
    async with connect(writable()) as http:
        token = await _form(http)
        empty = await http.post("/upload", data={CSRF_FIELD: token, "text": "  "})
        assert empty.status_code == 422
        bad_date = await http.post(
            "/upload", data={CSRF_FIELD: token, "text": "Police said x.", "published": "2024-02-30"}
        )
        assert bad_date.status_code == 422
        assert "YYYY-MM-DD" in bad_date.text


async def test_read_only_server_has_no_upload(client: httpx.AsyncClient) -> None:
    page = await client.get("/upload")
    assert "read-only" in page.text
    assert "<form" not in page.text.split("<main>")[1]
    nav = (await client.get("/")).text
    assert 'href="/upload"' not in nav


@pytest.mark.shared_data("examples/women-prisoners-front-line.txt")  # named sources of the example
async def test_the_sources_page_links_an_actor_to_its_record(client: httpx.AsyncClient) -> None:
    listing = await client.get("/sources")
    links = re.findall(r'href="/source\?actor=(a-[0-9a-f]{12})">([^<]+)</a>', listing.text)
    assert links
    actor_id, name = links[0]
    page = await client.get("/source", params={"actor": actor_id})
    assert page.status_code == 200
    assert f"<h1>Source: {name}</h1>" in page.text
    assert "claims in" in page.text
    assert (await client.get("/source", params={"actor": "a-000000000000"})).status_code == 404
    assert (await client.get("/source")).status_code == 422


@pytest.mark.anyio
async def test_an_untitled_document_shows_its_file_name_never_a_server_path(
    tmp_path: Path, rules_extractor: Extractor
) -> None:
    folder = tmp_path / "srv" / "corpus" / "2016"
    folder.mkdir(parents=True)
    article = folder / "river-report.txt"
    article.write_text("Police said the bridge over the river was closed on Monday.\n")
    (extraction,) = rules_extractor.extract_paths([str(article)])
    assert isinstance(extraction, Extraction)
    assert extraction.document.title is None
    with Store(str(tmp_path / "ledger.db")) as store:
        store.put(extraction)
        app = create_app(WebSettings(read_only=True), store=store, extractor=rules_extractor)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            pages = [
                (await http.get("/documents")).text,
                (await http.get(f"/documents/{extraction.document.id}")).text,
                (await http.get("/claims")).text,
            ]
    for page in pages:
        assert "river-report.txt" in page
        assert str(folder) not in page


async def test_the_entities_page_lists_names_and_links_their_claims(
    client: httpx.AsyncClient,
) -> None:
    top = (await client.get("/api/entities", params={"limit": 5})).json()["items"]
    assert top
    assert any(" " in item["name"] for item in top)  # names with spaces are linked too
    page = await client.get("/entities")
    assert page.status_code == 200
    assert 'href="/entities"' in page.text  # in the navigation
    first = next(item["name"] for item in top if " " in item["name"])
    link = f"/claims?about={quote(first)}"
    assert f'href="{link}"' in page.text
    assert f'href="/claims?source={quote(first)}"' in page.text
    claims = await client.get(link)
    assert claims.text.count("<tr") > 1  # a header row and at least one claim
    found = await client.get("/entities", params={"q": first[:4]})
    assert first in found.text
    none = await client.get("/entities", params={"q": "zzzz-no-such-name"})
    assert "No entities matching that name" in none.text


@pytest.mark.anyio
async def test_undated_documents_are_listed_by_ingest_time_newest_first(
    tmp_path: Path, rules_extractor: Extractor
) -> None:
    from sqlalchemy import update

    from claimtrace.ledger.schema import documents

    texts = {
        "dated": ("Police said the bridge was closed on Monday.", "2024-05-06"),
        "older": ("Officials said the road was closed on Friday.", None),
        "newer": ("The mayor said the school would reopen soon.", None),
        "before-0005": ("Witnesses said the fire started at night.", None),
    }
    stored = {
        name: rules_extractor.extract_text(text, published=published, name=f"{name}.txt")
        for name, (text, published) in texts.items()
    }
    times = {
        "older": "2026-01-01T09:00:00+00:00",
        "newer": "2026-02-01T09:00:00+00:00",
        "before-0005": None,
    }
    with Store(str(tmp_path / "ledger.db")) as store:
        for extraction in stored.values():
            store.put(extraction)
        with store.engine.begin() as conn:
            for name, when in times.items():
                conn.execute(
                    update(documents)
                    .where(documents.c.id == stored[name].document.id)
                    .values(ingested=when)
                )
        app = create_app(WebSettings(read_only=True), store=store, extractor=rules_extractor)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            items = (await http.get("/api/documents")).json()["items"]
            page = (await http.get("/documents")).text
    order = [item["id"] for item in items]
    assert order == [stored[n].document.id for n in ("dated", "newer", "older", "before-0005")]
    assert "added 2026-02-01" in page


def test_a_drawn_timeline_keeps_to_the_corpus_time() -> None:
    from claimtrace.web.queries import TimelineBucket, drawn_window

    buckets = [
        TimelineBucket("1990-01", 0, 2),  # long before the corpus: left out
        TimelineBucket("2014-03", 0, 1),  # within two years before the first publication
        TimelineBucket("2016-01", 5, 1),
        TimelineBucket("2016-02", 7, 0),
        TimelineBucket("2100-05", 0, 3),  # "by 2100": after the last publication
    ]
    kept, left_out = drawn_window(buckets)
    assert [b.month for b in kept] == ["2014-03", "2016-01", "2016-02"]
    assert left_out == 2
    undated = [TimelineBucket("1990-01", 0, 2), TimelineBucket("2100-05", 0, 3)]
    assert drawn_window(undated) == (undated, 0)  # without publication dates all are drawn


async def test_the_timeline_labels_months_and_years_unambiguously(
    client: httpx.AsyncClient,
) -> None:
    page = (await client.get("/timeline")).text
    assert re.search(r'class="tick">(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)<', page)
    assert re.search(r'class="tick year">\d{4}<', page)
