"""HTML pages to main text and metadata, through trafilatura."""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura

from claimtrace.errors import NoMainTextError

__all__ = ["HtmlExtract", "declared_charset", "extract_html", "looks_like_html"]

# Dates only from the page's markup (meta tags, JSON-LD, <time>): htmldate's text search would
# take a footer's "© 2019" for the publication date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
#: A lone surrogate (only a str input, such as a feed's JSON, can hold one) makes the HTML parser
#: stop there, dropping the rest of the page.
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    text: str
    title: str | None
    url: str | None
    publisher: str | None
    published: str | None


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes of an input are an HTML page.

    >>> looks_like_html(b"  <!DOCTYPE html><html>")
    True
    >>> looks_like_html(b"Prices rose <b>again</b>.")
    False
    """
    return _HTML_START.match(head[:4096]) is not None


def declared_charset(head: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag, if any."""
    found = _CHARSET.search(head[:4096])
    return found.group(1).decode("ascii").lower() if found else None


def extract_html(html: str, name: str, url: str | None = None) -> HtmlExtract:
    """Main text and metadata of a page; :class:`NoMainTextError` when it has no body text."""
    extracted = trafilatura.bare_extraction(
        _SURROGATE.sub("\ufffd", html),
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params=_DATE_PARAMS,
    )
    text = (getattr(extracted, "text", None) or "").strip() if extracted is not None else ""
    if not text:
        raise NoMainTextError(name, "HTML page without main text (no article body found)")
    return HtmlExtract(
        text=text,
        title=_clean(getattr(extracted, "title", None)),
        url=_clean(getattr(extracted, "url", None)) or url,
        publisher=_clean(getattr(extracted, "sitename", None)),
        published=_clean(getattr(extracted, "date", None)),
    )


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
