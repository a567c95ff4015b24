"""A metadata table beside a corpus gives documents their dates, titles and publishers."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimtrace import Extractor
from claimtrace.cli import main
from claimtrace.errors import ConfigError
from claimtrace.ingest import Metadata
from claimtrace.ingest.sidecar import load_metadata_table
from claimtrace.ledger import ingest
from claimtrace.ledger.store import Store


def _table(folder: Path, text: str, name: str = "meta.tsv") -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def test_tsv_and_csv_tables_are_read_by_file_name_with_or_without_extension(
    tmp_path: Path,
) -> None:
    tsv = load_metadata_table(
        _table(
            tmp_path,
            "compartment\tfilename\tpublisher\tpublication_date\ttitle\n"
            "x\tbreitbart_2016-03-11_a\tbreitbart\t2016-03-11\tA story\n"
            "x\tnyt_b.txt\tnyt\tNone\t\n",
        )
    )
    assert tsv.lookup("/corpus/breitbart_2016-03-11_a.txt") == Metadata(
        title="A story", publisher="breitbart", published="2016-03-11"
    )
    assert tsv.lookup("nyt_b.txt") == Metadata(publisher="nyt")
    assert tsv.lookup("nyt_b") == Metadata(publisher="nyt")
    assert tsv.lookup("other.txt") is None
    csv = load_metadata_table(
        _table(
            tmp_path, 'file,date,url\n"a, b.html",2024-05-06T10:00:00Z,https://x.test/a\n', "m.csv"
        )
    )
    assert csv.lookup("a, b.html") == Metadata(url="https://x.test/a", published="2024-05-06")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("title\tpublished\nA\t2024-01-01\n", "no column naming the file"),
        ("file\tauthor\na\tB\n", "no metadata column"),
        ("file\tpublished\na\tyesterday\n", "line 2: published 'yesterday' is not a date"),
    ],
)
def test_a_bad_table_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_metadata_table(_table(tmp_path, text))


def test_a_missing_or_binary_table_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="No such file"):
        load_metadata_table(tmp_path / "absent.tsv")
    binary = tmp_path / "b.tsv"
    binary.write_bytes(b"file\tpublished\n\xff\xfe\x00")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_metadata_table(binary)


def test_ingest_takes_dates_and_publishers_from_the_table(
    tmp_path: Path, rules_extractor: Extractor
) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Officials said the bridge was closed on Monday.\n", "utf-8")
    (corpus / "b.txt").write_text("Police said the market reopened.\n", "utf-8")
    table = load_metadata_table(
        _table(tmp_path, "filename\tpublication_date\tpublisher\na\t2016-03-11\tbreitbart\n")
    )
    with Store(str(tmp_path / "l.db")) as store:
        report = ingest(store, rules_extractor, [str(corpus)], metadata=table)
        assert len(report.stored) == 2
        by_input = {Path(e.document.input).name: e.document for e in store.extractions()}
    assert (by_input["a.txt"].published, by_input["a.txt"].publisher) == ("2016-03-11", "breitbart")
    assert (by_input["b.txt"].published, by_input["b.txt"].publisher) == (None, None)


def test_the_cli_reads_the_table_and_a_bad_one_stops_before_anything_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Officials said the bridge was closed.\n", "utf-8")
    db = tmp_path / "l.db"
    bad = _table(tmp_path, "filename\tpublished\na\t2016-02-30\n", "bad.tsv")
    code = main(
        ["ingest", str(corpus), "--db", str(db), "--model", "rules", "--metadata", str(bad)]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "line 2" in err
    assert not db.exists()
    good = _table(tmp_path, "filename\tpublished\tpublisher\na\t2016-02-28\tap\n", "good.tsv")
    code = main(
        ["ingest", str(corpus), "--db", str(db), "--model", "rules", "--metadata", str(good), "-q"]
    )
    assert code == 0
    with Store(str(db)) as store:
        (extraction,) = store.extractions()
    assert (extraction.document.published, extraction.document.publisher) == ("2016-02-28", "ap")
