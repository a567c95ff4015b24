"""The ledger's commands: exit codes, summaries, formats, and one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from claimtrace import cli
from claimtrace.cli import main
from claimtrace.ledger import cli as ledger_cli
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
