"""`claimtrace batch` on a real local Dask cluster: a killed worker, resumption, exactly once."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

from distributed import Client, LocalCluster, WorkerPlugin

from claimtrace import cli
from claimtrace.batch import BatchOptions, read_extractions, run_batch
from claimtrace.batch.cli import batch
from claimtrace.batch.runner import local_cluster
from claimtrace.config import Settings
from tests.batch.corpus import make_corpus, single_process


class KillOnce(WorkerPlugin):
    """SIGKILLs the worker that starts running ``target``, once across all workers."""

    name = "test-kill-once"

    def __init__(self, target: str, marker: str) -> None:
        self.target = target
        self.marker = marker

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish != "executing" or self.target not in str(key):
            return
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        os.kill(os.getpid(), signal.SIGKILL)


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """Two single-threaded worker processes, as `batch --workers 2` starts them."""
    with local_cluster(2) as local:
        yield local


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return make_corpus(tmp_path)


@pytest.fixture
def with_batch_command() -> Iterator[None]:
    """`claimtrace batch` on the app, whether or not cli.py registers it already."""
    registered = any(c.callback is batch for c in cli.app.registered_commands)
    if not registered:
        cli.app.command()(batch)
    yield
    if not registered:
        cli.app.registered_commands = [
            c for c in cli.app.registered_commands if c.callback is not batch
        ]


def options(out: Path, **changes: Any) -> BatchOptions:
    values: dict[str, Any] = {
        "out": out,
        "settings": Settings(model="rules"),
        "formats": ("parquet", "jsonl"),
        "shard_size": 3,
    }
    values.update(changes)
    return BatchOptions(**values)


def output_lines(out: Path, fmt: str) -> list[str]:
    lines: list[str] = []
    for path in sorted((out / "extractions" / fmt).glob(f"*.{fmt}")):
        if fmt == "jsonl":
            lines.extend(path.read_text("utf-8").splitlines())
        else:
            import pyarrow.parquet as pq

            lines.extend(pq.read_table(path, columns=["extraction"])["extraction"].to_pylist())
    return lines


def test_a_killed_worker_changes_nothing_in_the_output(
    cluster: LocalCluster, corpus: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "killed"
    out = tmp_path / "out"
    with Client(cluster) as client:
        client.register_plugin(KillOnce("part-00003", str(marker)))
        pids = set(client.run(os.getpid).values())
        try:
            summary = run_batch([str(corpus)], options(out, scheduler=cluster.scheduler_address))
        finally:
            client.unregister_worker_plugin(KillOnce.name)
        after = set(client.run(os.getpid).values())
    assert marker.exists(), "no worker was killed"
    assert len(pids - after) == 1, "the killed worker was not replaced"
    expected = single_process(corpus)
    assert output_lines(out, "parquet") == expected
    assert output_lines(out, "jsonl") == expected
    assert list(read_extractions(out, summary.manifests)) == expected
    assert summary.failed_shards == ()
    assert summary.documents == len(expected)
    assert summary.duplicates == 1
    assert summary.failures == 2  # the bad feed line and the blank file
    assert sorted((out / "errors").glob("*.jsonl")) != []
    assert not list(out.rglob("*.partial"))


def test_a_rerun_skips_completed_shards_and_loads_the_ledger_once(
    with_batch_command: None, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, db = tmp_path / "out", tmp_path / "ledger.db"
    args = ["batch", str(corpus), "--out", str(out), "--model", "rules", "--shard-size", "4"]
    args += ["--db", str(db)]
    expected = single_process(corpus)
    assert cli.main([*args, "--workers", "1", "--format", "jsonl"]) == cli.EXIT_PARTIAL
    first = capsys.readouterr().err
    assert "Dask with 1 workers" in first
    assert "failed documents are listed in" in first
    assert f"ledger: {len(expected)} stored, 0 replaced, 0 already there, 0 failed" in first
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert cli.main([*args, "--format", "jsonl"]) == cli.EXIT_PARTIAL
    second = capsys.readouterr().err
    assert "Dask" not in second  # nothing left to do: no cluster started
    assert "already done" in second
    assert f"ledger: 0 stored, 0 replaced, {len(expected)} already there" in second
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    assert output_lines(out, "jsonl") == expected
    from claimtrace.ledger import Store

    with Store(str(db), create=False) as store:
        assert store.count_documents() == len(expected)


def test_a_half_written_shard_is_redone(
    cluster: LocalCluster, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run = options(out, scheduler=cluster.scheduler_address)
    first = run_batch([str(corpus)], run)
    expected = output_lines(out, "parquet")
    # A crash mid-shard: part-00001 has a truncated file, a temp file and no manifest; part-00002
    # has its manifest but lost the end of a file.
    (out / "manifests" / "part-00001.json").unlink()
    data = out / "extractions" / "parquet" / "part-00001.parquet"
    data.write_bytes(data.read_bytes()[:50])
    (out / "extractions" / "parquet" / ".part-00001.parquet.0123.partial").write_bytes(b"PAR1")
    with (out / "extractions" / "jsonl" / "part-00002.jsonl").open("r+b") as handle:
        handle.truncate(10)
    again = run_batch([str(corpus)], run)
    assert again.skipped == first.shards - 2
    assert again.processed == sum(first.manifests[i].documents for i in (1, 2))
    assert output_lines(out, "parquet") == expected
    assert output_lines(out, "jsonl") == expected
    assert again.documents == first.documents


def test_parquet_input_gives_the_same_documents(
    cluster: LocalCluster, corpus: Path, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tests.batch.corpus import article

    texts = [article(i) for i in range(7)]
    path = tmp_path / "news.parquet"
    pq.write_table(pa.table({"text": texts, "title": [f"t{i}" for i in range(7)]}), path)
    summary = run_batch([str(path)], options(tmp_path / "out", scheduler=cluster.scheduler_address))
    table = pq.read_table(tmp_path / "out" / "extractions" / "parquet")
    assert summary.documents == 7
    assert sorted(table["title"].to_pylist()) == [f"t{i}" for i in range(7)]
    assert sum(table["claims"].to_pylist()) == summary.claims > 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--shard-size", "0"], "--shard-size must be at least 1"),
        (["--db", "mysql://db/x"], "--db mysql://db/x: only SQLite files and postgresql://"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(
    with_batch_command: None,
    corpus: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    code = cli.main(["batch", str(corpus), "--out", str(tmp_path / "o"), *extra])
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE
    assert "Traceback" not in err
    assert message in err


def test_an_out_folder_of_another_run_is_refused(
    with_batch_command: None, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "run.json").write_text('{"version": "0"}', "utf-8")
    code = cli.main(["batch", str(corpus), "--out", str(out), "--model", "rules"])
    assert code == cli.EXIT_USAGE
    assert "holds a run with other inputs or settings" in capsys.readouterr().err


def test_nothing_to_extract_exits_1(
    with_batch_command: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["batch", str(tmp_path / "missing"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == cli.EXIT_NOTHING
    assert f"claimtrace: error: {tmp_path / 'missing'}: no such file or directory" in err


def small_corpus(root: Path, documents: int = 100) -> Path:
    from tests.batch.corpus import article

    corpus = root / "small"
    corpus.mkdir()
    for i in range(documents):
        (corpus / f"{i:03d}.txt").write_text(article(i), "utf-8")
    return corpus


def recorded_shard_size(out: Path) -> int:
    size = json.loads((out / "run.json").read_text("utf-8"))["shard_size"]
    assert isinstance(size, int)
    return size


def test_the_automatic_shard_size_gives_every_worker_work_and_a_rerun_keeps_it(
    cluster: LocalCluster,
    with_batch_command: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    corpus, out = small_corpus(tmp_path), tmp_path / "out"
    run = options(out, shard_size=None, scheduler=cluster.scheduler_address, formats=("jsonl",))
    first = run_batch([str(corpus)], run)  # the scheduler's two workers
    assert recorded_shard_size(out) == 13
    assert first.shards == 8 >= 2  # about four per worker
    assert first.documents == 100
    assert len(first.manifests) == first.shards
    assert {m.documents for m in first.manifests} == {13, 9}
    # A re-run on one worker plans the same shards from run.json: nothing to do, no cluster.
    args = ["batch", str(corpus), "--out", str(out), "--model", "rules", "--format", "jsonl"]
    assert cli.main([*args, "--workers", "1"]) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "Dask" not in err
    assert "8 shards (8 already done)" in err
    # A lost shard is redone alone, with the same plan.
    (out / "manifests" / "part-00005.json").unlink()
    again = run_batch([str(corpus)], run)
    assert (again.shards, again.skipped, again.processed) == (8, 7, 13)
    assert output_lines(out, "jsonl") == single_process(corpus)
    # An explicit size that is not the recorded one is another plan: refused, not mixed.
    assert cli.main([*args, "--shard-size", "50"]) == cli.EXIT_USAGE
    assert "shard_size, plan differ" in capsys.readouterr().err


def test_an_explicit_shard_size_wins(cluster: LocalCluster, tmp_path: Path) -> None:
    corpus, out = small_corpus(tmp_path, 30), tmp_path / "out"
    summary = run_batch(
        [str(corpus)], options(out, shard_size=25, scheduler=cluster.scheduler_address)
    )
    assert recorded_shard_size(out) == 25
    assert [m.documents for m in summary.manifests] == [25, 5]
