"""claimtrace: news text to a ledger of attributed, structured, traceable claims — offline.

>>> import claimtrace
>>> text = "The ministry said 40 people were hurt. No one died."
>>> result = claimtrace.extract(text, model="rules")
>>> [sentence.text for sentence in result.sentences]
['The ministry said 40 people were hurt.', 'No one died.']
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from claimtrace import records
from claimtrace._version import __version__
from claimtrace.config import Settings, load_settings
from claimtrace.errors import ClaimtraceError, ConfigError, InputError, ModelError
from claimtrace.extractor import Extractor, Result
from claimtrace.records import Extraction, json_schema, to_json

if TYPE_CHECKING:
    from claimtrace.ledger import Ledger

__all__ = [
    "ClaimtraceError",
    "ConfigError",
    "Extraction",
    "Extractor",
    "InputError",
    "Ledger",
    "ModelError",
    "Result",
    "Settings",
    "__version__",
    "extract",
    "json_schema",
    "load_settings",
    "records",
    "to_json",
]


def __getattr__(name: str) -> Any:
    """``claimtrace.Ledger``, imported on first use: extraction needs no database layer."""
    if name == "Ledger":
        from claimtrace.ledger import Ledger

        return Ledger
    raise AttributeError(f"module 'claimtrace' has no attribute {name!r}")


@lru_cache(maxsize=4)
def _extractor(model: str | None) -> Extractor:
    return Extractor(load_settings(model=model))


def extract(
    text: str,
    *,
    published: str | None = None,
    title: str | None = None,
    url: str | None = None,
    publisher: str | None = None,
    html: bool = False,
    model: str | None = None,
) -> Extraction:
    """Extract one article's text (or HTML page with ``html=True``) with the embedded defaults.

    ``model`` names any installed spaCy pipeline or a path; ``None`` is the embedded default.
    """
    return _extractor(model).extract_text(
        text, published=published, title=title, url=url, publisher=publisher, html=html
    )
