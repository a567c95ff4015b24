"""The ledger's commands: exit codes, summaries, formats, and one-line errors."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from pathlib import Path

import pytest
from rich.console import Console

from claimtrace import cli
from claimtrace.cli import main
from claimtrace.ledger import cli as ledger_cli
from claimtrace.ledger.store import Store
from claimtrace.records import (
    Claim,
    DocumentRecord,
    Extraction,
    PipelineInfo,
    Place,
    Span,
    stable_id,
)
from tests.ledger.conftest import write_corpus


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_exit_codes_match_extract() -> None:
    # one definition for every command: the ledger's codes are extract's
    assert (ledger_cli.EXIT_NOTHING, ledger_cli.EXIT_PARTIAL) == (
        cli.EXIT_NOTHING,
        cli.EXIT_PARTIAL,
    )
    assert (cli.EXIT_OK, cli.EXIT_NOTHING, cli.EXIT_USAGE, cli.EXIT_PARTIAL) == (0, 1, 2, 3)


def test_ingest_then_query_export_and_show(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "in", 3)
    db = str(tmp_path / "l.db")
    code, _, err = run(capsys, "ingest", str(corpus), "--db", db, "--model", "rules")
    assert code == 0
    assert err.strip() == "claimtrace: 3 stored, 0 skipped (already in the ledger), 0 failed"
    code, _, err = run(capsys, "ingest", str(corpus), "--db", db, "--model", "rules")
    assert (code, err.strip()) == (
        0,
        "claimtrace: 0 stored, 3 skipped (already in the ledger), 0 failed",
    )

    code, out, _ = run(capsys, "claims", "--db", db, "--format", "json")
    claims = json.loads(out)
    assert code == 0
    assert len(claims) == 18
    assert {c["document"]["input"] for c in claims} == {
        str(corpus / f"article-00{i}.txt") for i in range(3)
    }
    code, out, _ = run(capsys, "claims", "--db", db, "--format", "csv", "--limit", "2")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["claim_id"] for r in rows] == [c["claim"]["id"] for c in claims[:2]]

    code, out, _ = run(capsys, "export", "--db", db, "--format", "jsonl")
    exported = [json.loads(line) for line in out.splitlines()]
    code, out, _ = run(capsys, "extract", "--model", "rules", str(corpus), "--format", "jsonl")
    extracted = [json.loads(line) for line in out.splitlines()]
    assert sorted(exported, key=lambda e: e["document"]["id"]) == sorted(
        extracted, key=lambda e: e["document"]["id"]
    )

    out_file = tmp_path / "claims.csv"
    code, _, err = run(capsys, "export", "--db", db, "--format", "csv", "--out", str(out_file))
    assert code == 0
    assert f"wrote 18 claims to {out_file}" in err
    assert len(list(csv.DictReader(io.StringIO(out_file.read_text("utf-8"))))) == 18

    claim_id = claims[0]["claim"]["id"]
    code, out, _ = run(capsys, "show", claim_id, "--db", db)
    assert code == 0
    assert out.startswith(f"claim {claim_id}")
    code, out, _ = run(capsys, "show", claims[0]["document"]["id"][:10], "--db", db)
    assert code == 0
    assert "Claims (6)" in out
    code, _, err = run(capsys, "show", "nope", "--db", db)
    assert code == 1
    assert err.startswith("claimtrace: error: no document or claim 'nope'")
    for command in ("sources", "conflicts"):
        code, out, _ = run(capsys, command, "--db", db, "--format", "json")
        assert code == 0
        assert isinstance(json.loads(out), list)


def test_partial_and_failed_ingests(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "in", 2)
    (corpus / "empty.txt").write_text(" ")
    db = str(tmp_path / "l.db")
    code, _, err = run(capsys, "ingest", str(corpus), "--db", db, "--model", "rules")
    assert code == 3
    assert "claimtrace: error: " in err
    assert "1 failed" in err
    code, _, err = run(capsys, "ingest", str(corpus / "empty.txt"), "--db", db, "-q")
    assert code == 1
    assert err.count("\n") == 1
    code, _, err = run(capsys, "ingest", str(tmp_path / "none"), "--db", db, "-q")
    assert code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["claims", "--db", "mysql://u@h/d"], "only SQLite files and postgresql"),
        (["claims", "--db", "NOWHERE/l.db"], "no ledger there yet"),
        (["sources", "--db", "postgresql://u@127.0.0.1:1/d"], "cannot connect"),
        (["claims", "--db", "DB", "--certainty", "sure"], "--certainty 'sure'"),
        (["claims", "--db", "DB", "--since", "March"], "--since 'March'"),
        (["export", "--db", "DB", "--out", "NOWHERE/x.csv"], "does not exist"),
        (["ingest", "IN", "--db", "JUNK"], "cannot open the ledger"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "junk.db").write_bytes(b"not sqlite " * 200)
    (tmp_path / "in.txt").write_text("Police said it rained.")
    db = str(tmp_path / "ok.db")
    main(["ingest", str(tmp_path / "in.txt"), "--db", db, "--model", "rules", "-q"])
    capsys.readouterr()
    swap = {
        "DB": db,
        "JUNK": str(tmp_path / "junk.db"),
        "IN": str(tmp_path / "in.txt"),
        "NOWHERE/l.db": str(tmp_path / "nowhere" / "l.db"),
        "NOWHERE/x.csv": str(tmp_path / "nowhere" / "x.csv"),
    }
    code, _, err = run(capsys, *[swap.get(a, a) for a in args])
    lines = err.strip().splitlines()
    assert code == 2
    assert len(lines) == 1
    assert lines[0].startswith("claimtrace: error:")
    assert message in lines[0]


# Hostile text: spreadsheet formulas and Rich markup -----------------------------------------

#: Cells a spreadsheet would run as a formula (OWASP's list, and a DDE payload).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MARKUP = ("[was for]", "[bold]x[/bold]", "[link=http://evil.example]click[/link]", ":smile:")


def _hand_made(
    text: str,
    *,
    source: str,
    content: str,
    title: str,
    publisher: str = "Outlet",
    negated: bool = False,
    lat: float | None = None,
) -> Extraction:
    """An extraction of one claim (``source`` said ``content``) with the given metadata."""
    doc_id = hashlib.sha256(f"{text}|{title}|{publisher}".encode()).hexdigest()

    def span(part: str) -> Span:
        at = text.index(part)
        return Span.of(text, at, at + len(part))

    places: tuple[Place, ...] = ()
    if lat is not None:
        name = text.split()[-1].rstrip(".")
        places = (
            Place(
                id="p-1",
                mention=span(name),
                name=name,
                geonames_id=2147714,
                feature="populated_place",
                country_code="AU",
                lat=lat,
                lon=151.21,
                confidence=0.9,
            ),
        )
    claim = Claim(
        id=stable_id("c", doc_id, 1),
        source=span(source),
        source_kind="named",
        cue=span("said"),
        content=(span(content),),
        quote="indirect",
        certainty="denied" if negated else "reported",
        negated=negated,
        confidence=0.8,
        places=tuple(p.id for p in places),
    )
    document = DocumentRecord(
        id=doc_id,
        text=text,
        published="2024-05-01",
        title=title,
        url="https://example.invalid/x",
        publisher=publisher,
        input="hand-made",
        encoding="utf-8",
        raw_sha256="0" * 64,
    )
    return Extraction(
        document=document,
        sentences=(Span.of(text, 0, len(text)),),
        claims=(claim,),
        places=places,
        pipeline=PipelineInfo(version="test", model="hand", stages=()),
    )


def test_csv_cells_never_run_as_formulas(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "l.db")
    expected: dict[str, tuple[str, str]] = {}
    with Store(db) as store:
        for start in FORMULA_STARTS:
            title = f'{start}HYPERLINK("http://evil.example","x")'
            content = f"{start}cmd|' /C calc'!A0 was found in Sydney"
            extraction = _hand_made(
                f"Police said {content}.", source="Police", content=content, title=title, lat=-33.87
            )
            store.put(extraction)
            expected[extraction.claims[0].id] = ("'" + title, "'" + content)

    code, out, _ = run(capsys, "export", "--db", db, "--format", "csv")
    assert code == 0
    exported = {row["claim_id"]: row for row in csv.DictReader(io.StringIO(out))}
    code, out, _ = run(capsys, "claims", "--db", db, "--format", "csv")
    listed = {row["claim_id"]: row for row in csv.DictReader(io.StringIO(out))}
    assert exported.keys() == listed.keys() == expected.keys()
    for rows in (exported, listed):
        for claim_id, (title, content) in expected.items():
            row = rows[claim_id]
            assert (row["title"], row["content"]) == (title, content)
            # a plain number stays a number, even a negative one
            assert (row["latitude"], row["longitude"], row["confidence"]) == (
                "-33.87",
                "151.21",
                "0.8",
            )
            assert row["source"] == "Police"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that no cell is folded, and one that would show links and styles."""
    monkeypatch.setattr(
        ledger_cli,
        "_console",
        lambda: Console(file=sys.stdout, width=1000, force_terminal=True, highlight=False),
    )


@pytest.mark.usefixtures("terminal")
def test_tables_show_markup_in_the_text_as_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    words = " ".join(MARKUP)
    db = str(tmp_path / "l.db")
    with Store(db) as store:
        for negated in (False, True):
            verb = "was not" if negated else "was"
            content = f"the bridge {words} {verb} closed on Monday after the flood damaged it"
            source = "[bold]Police[/bold] [was for]"
            store.put(
                _hand_made(
                    f"{source} said {content}.",
                    source=source,
                    content=content,
                    title=f"[link=http://evil.example]Bridge[/link] {negated}",
                    publisher="[i]Avon[/i] [was for]",
                    negated=negated,
                )
            )
    outputs = {}
    for command in ("claims", "sources", "conflicts"):
        code, out, _ = run(capsys, command, "--db", db)
        assert code == 0
        outputs[command] = out
    code, out, _ = run(capsys, "claims", "--db", db, "--format", "json")
    first = json.loads(out)[0]
    for item in (first["claim"]["id"], first["document"]["id"]):
        code, outputs[f"show {item}"], _ = run(capsys, "show", item, "--db", db)
        assert code == 0
    for name, out in outputs.items():
        assert "\x1b]8;" not in out, name  # no hyperlink escape
        assert "[bold]Police[/bold] [was for]" in out, name
    for name in ("claims", "conflicts", f"show {first['claim']['id']}"):
        for text in MARKUP:
            assert text in outputs[name], (name, text)
    assert "[i]Avon[/i] [was for]" in outputs["claims"]
    assert "[link=http://evil.example]Bridge[/link]" in outputs[f"show {first['claim']['id']}"]


@pytest.mark.usefixtures("terminal")
def test_terminal_escapes_in_the_text_are_shown_not_sent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = "Police\x1b]8;;http://evil.example\x1b\\"
    db = str(tmp_path / "l.db")
    with Store(db) as store:
        store.put(
            _hand_made(f"{source} said it rained.", source=source, content="it rained", title="t")
        )
    code, out, _ = run(capsys, "claims", "--db", db)
    assert code == 0
    assert "\x1b]" not in out
    assert "Police\\x1b]8;;http://evil.example\\x1b\\" in out
