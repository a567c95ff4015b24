"""The command line: outputs, exit codes, and one-line errors for every kind of bad input."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from claimtrace import __version__, json_schema
from claimtrace.cli import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main

ARTICLE = "The ministry said on Monday that 40 people were hurt.\n\nOfficials denied it."


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(
        ["extract", "--model", "rules", *args] if args and args[0] != "--" else list(args[1:])
    )
    out, err = capsys.readouterr()
    return code, out, err


def one_line_errors(err: str) -> list[str]:
    lines = [line for line in err.splitlines() if line.startswith("claimtrace: error:")]
    assert "Traceback" not in err
    return lines


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE)
    return path


def test_extract_one_file_prints_one_contract_object(
    capsys: pytest.CaptureFixture[str], article: Path
) -> None:
    code, out, err = run(capsys, str(article), "--published", "2023-03-10", "--title", "T")
    assert code == EXIT_OK
    data = json.loads(out)
    jsonschema.validate(data, json_schema())
    assert data["document"]["published"] == "2023-03-10"
    assert data["document"]["title"] == "T"
    assert [s["text"] for s in data["sentences"]][-1] == "Officials denied it."
    assert err == ""


def test_extract_directory_as_jsonl_and_json_array(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"Article {i} says something.")
    code, out, _ = run(capsys, str(tmp_path), "--format", "jsonl", "--quiet")
    assert code == EXIT_OK
    lines = out.splitlines()
    assert [json.loads(line)["document"]["input"] for line in lines] == [
        str(tmp_path / f"{i}.txt") for i in range(5)
    ]
    code, out, err = run(capsys, str(tmp_path), "--format", "json")
    assert code == EXIT_OK
    assert len(json.loads(out)) == 5
    assert "5 extracted" in err


def test_out_is_written_atomically(
    capsys: pytest.CaptureFixture[str], article: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, str(article), "--out", str(target))
    assert code == EXIT_OK
    assert out == ""
    assert json.loads(target.read_text())["document"]["text"] == ARTICLE
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_out_is_left_alone_when_nothing_was_extracted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("earlier results\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _, _ = run(capsys, str(tmp_path / "empty.txt"), "--out", str(target))
    assert code == EXIT_NOTHING
    assert target.read_text() == "earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "out.jsonl"]


def test_table_format(capsys: pytest.CaptureFixture[str], article: Path) -> None:
    code, out, _ = run(capsys, str(article), "--format", "table")
    assert code == EXIT_OK
    assert hashlib.sha256(ARTICLE.encode()).hexdigest()[:12] in out
    assert "sentences" in out


MARKUP = ("[was for]", "[bold]x[/bold]", "[link=http://evil.example]click[/link]")


def test_table_shows_markup_in_the_text_as_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a terminal that would show styles and links, if the text were read as Rich markup
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    Path("[was for].txt").write_text(f"Police said {' '.join(MARKUP)} today.")
    code, out, _ = run(capsys, "[was for].txt", "--format", "table")
    assert code == EXIT_OK
    assert "\x1b]8;" not in out  # no hyperlink escape
    assert "[was for].txt" in out
    assert " ".join(MARKUP) in out


def test_table_shows_terminal_escapes_in_metadata_as_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    name = "a\x1b]8;;evil.example\x1b\\b\x1b[31m.txt"  # a hyperlink and a colour
    Path(name).write_text("Police said it rained.")
    code, out, _ = run(capsys, name, "--format", "table")
    assert code == EXIT_OK
    assert "\x1b]" not in out
    assert "a\\x1b]8;;evil.example\\x1b\\b\\x1b[31m.txt" in out


def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode())))
    code, out, _ = run(capsys, "-")
    assert code == EXIT_OK
    assert json.loads(out)["document"]["input"] == "stdin"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt: empty input (0 bytes)"),
        (
            "image.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "image.png: binary file",
        ),
        ("noise.txt", bytes(range(128, 256)) * 8, "noise.txt: "),
        (
            "page.html",
            b"<html><head><title>t</title></head><body></body></html>",
            "page.html: HTML page without main text",
        ),
        ("blank.txt", b"\n \n\t", "blank.txt: no text (only whitespace)"),
    ],
)
def test_bad_input_alone_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(capsys, str(path))
    assert code == EXIT_NOTHING
    assert out == ""
    (line,) = one_line_errors(err)
    assert message in line
    assert str(path) in line


def test_a_200_mb_file_is_refused_quickly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    code, _, err = run(capsys, str(big))
    assert code == EXIT_NOTHING
    (line,) = one_line_errors(err)
    assert "huge.txt: too large (200.0 MiB; the limit is 20.0 MiB)" in line
    code, _, err = run(capsys, str(big), "--max-bytes", "100")
    assert "the limit is 100 bytes" in one_line_errors(err)[0]


def test_directory_with_a_bad_file_among_good_ones_goes_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("Good one.")
    (tmp_path / "b.bin").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "c.txt").write_text("Good two.")
    code, out, err = run(capsys, str(tmp_path), "--format", "jsonl")
    assert code == EXIT_PARTIAL
    assert [json.loads(line)["document"]["text"] for line in out.splitlines()] == [
        "Good one.",
        "Good two.",
    ]
    assert len(one_line_errors(err)) == 1
    assert "2 extracted, 1 failed:" in err
    assert f"  {tmp_path / 'b.bin'}: binary file" in err


def test_malformed_feed_line_is_reported_with_its_line_number(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"text": "First."}\n{"text": \n{"text": "Third.", "published": "2024-02-03"}\n'
    )
    code, out, err = run(capsys, str(feed), "--format", "jsonl")
    assert code == EXIT_PARTIAL
    assert [json.loads(line)["document"]["published"] for line in out.splitlines()] == [
        None,
        "2024-02-03",
    ]
    assert f"{feed}:2: not valid JSON" in one_line_errors(err)[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--published", "yesterday"), "--published: published 'yesterday' is not a date"),
        (("--skip", "nonsense"), "unknown stage 'nonsense'"),
        (("--max-bytes", "0"), "setting max_document_bytes"),
        (("--encoding", "klingon"), "unknown encoding 'klingon'"),
    ],
)
def test_bad_flags_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], article: Path, args: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, str(article), *args)
    assert code in (EXIT_USAGE, EXIT_NOTHING)
    assert out == ""
    assert any(message in line for line in one_line_errors(err))


def test_unknown_model_lists_installed_ones_and_the_default(
    capsys: pytest.CaptureFixture[str], article: Path
) -> None:
    code = main(["extract", str(article), "--model", "en_core_web_xx"])
    _, err = capsys.readouterr()
    assert code == EXIT_USAGE
    (line,) = one_line_errors(err)
    assert "'en_core_web_xx' is not installed" in line
    assert "installed spaCy pipelines:" in line
    assert "omit --model to use the embedded default" in line


def test_missing_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, str(tmp_path / "missing.txt"))
    assert code == EXIT_NOTHING
    assert "missing.txt: no such file or directory" in one_line_errors(err)[0]


def test_schema_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["title"].startswith("claimtrace extraction")
    assert main(["version"]) == EXIT_OK
    assert capsys.readouterr().out.startswith(f"claimtrace {__version__} (model ")


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--format", "xml", "x"]) == EXIT_USAGE
    assert main(["no-such-command"]) == EXIT_USAGE


@pytest.mark.slow
def test_real_process_bad_input_has_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = subprocess.run(
        [sys.executable, "-m", "claimtrace", "extract", str(tmp_path / "empty.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == EXIT_NOTHING
    assert proc.stdout == ""
    assert (
        proc.stderr.strip().splitlines()[0]
        == f"claimtrace: error: {tmp_path / 'empty.txt'}: empty input (0 bytes); nothing to extract"
    )
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_demo_runs_on_the_bundled_samples(tmp_path: Path) -> None:
    out = tmp_path / "demo.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "claimtrace", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == EXIT_OK, proc.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) >= 4
    assert {r["document"]["format"] for r in records} == {"text", "html"}
    assert "samples/port-strike.html" in proc.stdout
    # ... and stored them in the SQLite ledger, where the query commands find them
    listed = subprocess.run(
        [sys.executable, "-m", "claimtrace", "claims", "--db", "claimtrace-demo.db"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert listed.returncode == EXIT_OK, listed.stderr
    claims = json.loads(
        subprocess.run(
            [
                *(sys.executable, "-m", "claimtrace", "claims", "--db", "claimtrace-demo.db"),
                *("--format", "json", "--limit", "1000"),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        ).stdout
    )
    assert len(claims) == sum(len(r["claims"]) for r in records)


# --- explain ------------------------------------------------------------------------------

EXPLAINED = "The weather was fine all day.\n\nThe minister said the bridge was closed."


def test_explain_names_the_rule_that_made_a_claim(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "minister.txt"
    path.write_text(EXPLAINED)
    code, out, err = run(capsys, "--", "explain", str(path), "--format", "json")
    assert code == EXIT_OK, err
    data = json.loads(out)
    (said,) = [c for c in data["claims"] if c["cue"] == "said"]
    assert (said["rule"], said["token"], said["sentence"]) == ("lexicon", "said", 2)
    events = {(e["token"], e["rule"]): e for s in data["sentences"] for e in s["events"]}
    assert events["said", "lexicon"]["outcome"] == "accepted"
    # --claim narrows the table to the claim's sentence and marks the rule that made it
    code, out, err = run(capsys, "--", "explain", str(path), "--claim", said["id"])
    assert code == EXIT_OK, err
    assert f"claim {said['id']}: made by lexicon on said@" in out
    assert "Sentence 2: The minister said the bridge was closed." in out
    assert "Sentence 1" not in out
    assert any(line.startswith("│ ▶ │ said@") for line in out.splitlines())
    assert err == ""


def test_explain_a_sentence_with_no_reporting_verb(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text("The minister closed the bridge on Monday.")
    code, out, err = run(capsys, "--", "explain", str(path), "--sentence", "1")
    assert code == EXIT_OK, err
    closed = [line for line in out.splitlines() if "closed@13" in line]
    assert closed
    assert all("vetoed" in line or "tried" in line for line in closed)
    assert "accepted" not in " ".join(closed)
    assert "pass:author" in out  # the sentence is the author's own assertion, cue "—"


@pytest.mark.parametrize(
    "extra",
    [("--claim", "c-nosuchclaim"), ("--sentence", "7"), ("--sentence", "1", "--claim", "c-")],
)
def test_explain_bad_choice_is_one_line_and_nonzero(
    capsys: pytest.CaptureFixture[str], article: Path, extra: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, "--", "explain", str(article), "--model", "rules", *extra)
    assert code == EXIT_USAGE
    assert out == ""
    assert len(one_line_errors(err)) == 1
    assert len(err.splitlines()) == 1


def test_explain_missing_file_is_one_line_and_nonzero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--", "explain", str(tmp_path / "nope.txt"), "--model", "rules")
    assert code == EXIT_NOTHING
    assert out == ""
    assert one_line_errors(err) == [err.strip()]
    assert "nope.txt" in err
