"""The review commands: review, reviews, actor merge/split — outcomes, exports, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.ledger.conftest import write_corpus
from tests.ledger.test_cli import run


@pytest.fixture
def ledger_db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    corpus = write_corpus(tmp_path / "in", 3)
    db = str(tmp_path / "l.db")
    code, _, _ = run(capsys, "ingest", str(corpus), "--db", db, "--model", "rules")
    assert code == 0
    return db


def _claims(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "claims", "--db", db, "--format", "json", *args)
    assert code in (0, 1)
    return json.loads(out) if out.strip() else []  # type: ignore[no-any-return]


def test_reject_then_correct_from_the_command_line(
    capsys: pytest.CaptureFixture[str], ledger_db: str
) -> None:
    first, second, *_ = _claims(capsys, ledger_db)
    rejected = first["claim"]["id"]  # type: ignore[index]
    code, out, err = run(
        capsys, "review", rejected, "--reject", "--reason", "garbled", "--reviewer", "ana",
        "--db", ledger_db,
    )  # fmt: skip
    assert code == 0
    assert out.startswith(f"{rejected}: rejected")
    assert "review 1: reject claim" in err
    assert rejected not in {row["claim"]["id"] for row in _claims(capsys, ledger_db)}  # type: ignore[index]
    fixed = second["claim"]["id"]  # type: ignore[index]
    code, out, _ = run(
        capsys, "review", fixed, "--certainty", "denied", "--reviewer", "li", "--db", ledger_db
    )
    assert (code, out.split(";")[:2]) == (0, [f"{fixed}: corrected", " denied"])
    code, out, _ = run(capsys, "export", "--format", "csv", "--db", ledger_db)
    rows = {row["claim_id"]: row for row in csv.DictReader(io.StringIO(out))}
    assert rejected not in rows
    assert (rows[fixed]["review"], rows[fixed]["certainty"]) == ("corrected", "denied")
    code, out, _ = run(capsys, "export", "--format", "jsonl", "--machine", "--db", ledger_db)
    machine_ids = {c["id"] for line in out.splitlines() for c in json.loads(line)["claims"]}
    assert rejected in machine_ids  # the extraction itself is kept
    code, out, _ = run(capsys, "reviews", "--format", "json", "--db", ledger_db)
    assert [(r["action"], r["reviewer"], r["state"]) for r in json.loads(out)] == [
        ("reject", "ana", "active"),
        ("correct", "li", "active"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--accept", "--reject"), "give one of them"),
        ((), "say what to do"),
        (("--content", "12:40"), "START-END"),
        (("--content", "0-99999999"), "not inside the text"),
        (("--certainty", "sure"), "certainty must be one of"),
    ],
)
def test_bad_reviews_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], ledger_db: str, args: tuple[str, ...], message: str
) -> None:
    claim = _claims(capsys, ledger_db)[0]["claim"]["id"]  # type: ignore[index]
    code, _, err = run(capsys, "review", claim, *args, "--db", ledger_db)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    code, out, _ = run(capsys, "reviews", "--format", "json", "--db", ledger_db)
    assert json.loads(out) == []


def test_unknown_claim_and_actor(capsys: pytest.CaptureFixture[str], ledger_db: str) -> None:
    code, _, err = run(capsys, "review", "c-none", "--reject", "--db", ledger_db)
    assert (code, err.strip()) == (2, "claimtrace: error: no claim c-none in the ledger")
    code, _, err = run(capsys, "actor", "merge", "a-x", "--into", "a-y", "--db", ledger_db)
    assert code == 2
    assert "no actor" in err
    code, _, err = run(capsys, "actor", "split", "a-x", "--db", ledger_db)
    assert code == 2
    assert "is not merged" in err
