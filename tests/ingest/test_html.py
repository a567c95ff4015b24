from __future__ import annotations

import pytest

from claimtrace.errors import NoMainTextError
from claimtrace.ingest import RawInput, build_document
from claimtrace.ingest.html import declared_charset, extract_html, looks_like_html

BODY = (
    "<p>The harbour authority said on Tuesday that the strike had ended after 12 days of talks "
    "between the union and the port operator.</p>"
    "<p>“We are relieved,” said a spokesperson, adding that ships would dock again by Friday.</p>"
)


def page(head: str = "", body: str = BODY, footer: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head>{head}</head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>Strike ends at the port</h1>{body}</article><footer>{footer}</footer>"
        "</body></html>"
    )


def test_main_text_title_url_publisher_and_date_from_metadata() -> None:
    head = (
        "<title>Strike ends | Coast News</title>"
        '<meta property="og:site_name" content="Coast News">'
        '<meta property="article:published_time" content="2024-05-14T09:30:00+00:00">'
        '<link rel="canonical" href="https://coast.example/strike">'
    )
    found = extract_html(page(head), "page.html")
    assert "the strike had ended after 12 days" in found.text
    assert "“We are relieved,” said a spokesperson" in found.text
    assert "Home | World" not in found.text
    assert found.title == "Strike ends at the port"  # the headline, without the site suffix
    assert found.publisher == "Coast News"
    assert found.url == "https://coast.example/strike"
    assert found.published == "2024-05-14"


def test_footer_copyright_year_is_never_the_publication_date() -> None:
    found = extract_html(page(footer="© 2019 Coast News. All rights reserved."), "page.html")
    assert found.published is None
    assert "2019" not in found.text


def test_page_without_body_text_is_a_clear_error() -> None:
    with pytest.raises(NoMainTextError, match=r"^empty\.html: HTML page without main text"):
        extract_html("<html><head><title>x</title></head><body></body></html>", "empty.html")


def test_markup_in_text_stays_text() -> None:
    body = "<p>The post read &lt;script&gt;alert(1)&lt;/script&gt; and was removed later.</p>"
    found = extract_html(page(body=body * 3), "page.html")
    assert "<script>alert(1)</script>" in found.text


def test_declared_charset_is_used_for_legacy_pages() -> None:
    html = page(
        '<meta charset="windows-1252">',
        body="<p>" + "Café owners in Zürich said prices rose. " * 5 + "</p>",
    )
    document = build_document(RawInput("old.html", html.encode("cp1252"), "auto"))
    assert document.format == "html"
    assert document.encoding == "cp1252"  # the codec's name for what the page declared
    assert "Café owners in Zürich" in document.text


def test_url_given_for_the_page_is_kept() -> None:
    document = build_document(RawInput("p.html", page().encode(), "html"))
    assert document.url is None
    from claimtrace.ingest import Metadata

    kept = build_document(
        RawInput("p.html", page().encode(), "html"), Metadata(url="https://x.example/a")
    )
    assert kept.url == "https://x.example/a"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"<!doctype html>", True),
        (b"\n  <html lang=en>", True),
        (b"<!-- saved page --><html>", True),
        (b"<p>just a fragment</p>", False),
        (b"The <b>minister</b> said", False),
    ],
)
def test_looks_like_html(head: bytes, expected: bool) -> None:
    assert looks_like_html(head) is expected


def test_declared_charset() -> None:
    assert (
        declared_charset(
            b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        )
        == "iso-8859-1"
    )
    assert declared_charset(b"<html><head></head>") is None


def test_a_lone_surrogate_in_a_feed_page_does_not_cut_the_page_short() -> None:
    # A feed's JSON can carry "\ud800"; the HTML parser would stop there and drop the rest.
    html = page(body=BODY.replace("ended after", "ended \ud800 after"))
    document = build_document(RawInput("feed.jsonl:1", html, "html"))
    assert "ships would dock again by Friday" in document.text
    assert "\ud800" not in document.text


def test_nuls_in_a_page_do_not_make_it_a_binary() -> None:
    data = page().encode().replace(b"the strike", b"the\x00 strike")
    document = build_document(RawInput("page.html", data, "html"))
    assert "the strike had ended" in document.text
    assert "\x00" not in document.text
