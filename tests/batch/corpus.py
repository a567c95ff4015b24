"""A small mixed corpus for batch tests: a feed with a bad line and a repeat, texts and a page."""

from __future__ import annotations

import json
from pathlib import Path

from claimtrace import Extraction, Extractor, Settings, to_json

SUBJECTS = ["The ministry", "Police", "A spokesman", "Local officials", "The army", "Witnesses"]
FACTS = [
    "{n} people were hurt in the blast",
    "the bridge near the port was closed for {n} days",
    "about {n} families had left the valley",
    "the strike would end by Friday, after {n} hours of talks",
]


def article(i: int) -> str:
    """A short news-like text with an attribution; every ``i`` gives a different text."""
    subject = SUBJECTS[i % len(SUBJECTS)]
    fact = FACTS[i % len(FACTS)].format(n=10 + i)
    return (
        f"{subject} said on Monday that {fact}.\n\n"
        f"“We are still counting,” the mayor told reporters. Item {i} was denied by the rebels."
    )


def make_corpus(root: Path) -> Path:
    """Write the corpus under ``root``; returns the folder to give to batch and extract."""
    corpus = root / "corpus"
    texts = corpus / "texts"
    texts.mkdir(parents=True)
    lines = [
        json.dumps({"text": article(i), "published": f"2024-05-{i + 1:02d}"}) for i in range(12)
    ]
    lines.insert(5, "{not json")
    lines.insert(8, "")
    lines.append(json.dumps({"text": article(2), "published": "2024-05-03"}))  # a repeat
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    for i in range(12, 19):
        (texts / f"{i:02d}.txt").write_text(article(i), "utf-8")
    (texts / "page.html").write_text(
        f"<html><head><title>Flood</title></head><body><article><p>{article(30)}</p>"
        "</article></body></html>",
        "utf-8",
    )
    (texts / "blank.txt").write_text("   \n", "utf-8")
    return corpus


def single_process(corpus: Path) -> list[str]:
    """What `claimtrace extract --model rules --format jsonl` gives, each document id once."""
    extractor = Extractor(Settings(model="rules"))
    seen: set[str] = set()
    lines: list[str] = []
    for result in extractor.extract_paths([str(corpus)]):
        if isinstance(result, Extraction) and result.document.id not in seen:
            seen.add(result.document.id)
            lines.append(to_json(result, indent=None))
    return lines
