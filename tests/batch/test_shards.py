"""Planning shards and reading them back: names, order and errors as `extract` gives them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimtrace.batch.runner import shard_size_for
from claimtrace.batch.shards import (
    MAX_SHARD_SIZE,
    Shard,
    auto_shard_size,
    count_items,
    plan_shards,
    read_shard,
)
from claimtrace.errors import EmptyInputError, InputError, InputNotFoundError
from claimtrace.ingest import RawInput, iter_inputs
from tests.batch.corpus import article, make_corpus


def names(items: list[RawInput | InputError]) -> list[str]:
    return [item.name if isinstance(item, RawInput) else f"ERR {item.input}" for item in items]


def test_shards_read_back_the_inputs_of_extract_in_order(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    shards, problems = plan_shards([str(corpus)], shard_size=4)
    assert problems == []
    read = [item for shard in shards for item in read_shard(shard, 10_000)]
    assert names(read) == names(list(iter_inputs([str(corpus)], max_bytes=10_000)))
    assert [s.index for s in shards] == list(range(len(shards)))


def test_a_feed_is_cut_every_n_lines_at_line_breaks(tmp_path: Path) -> None:
    feed = tmp_path / "news.jsonl"
    lines = [json.dumps({"text": article(i)}) for i in range(7)]
    feed.write_text("\n".join(lines) + "\n", "utf-8")
    shards, _ = plan_shards([str(feed)], shard_size=3)
    assert [(s.first_number, s.count) for s in shards] == [(1, 3), (4, 3), (7, 1)]
    assert shards[-1].byte_end == feed.stat().st_size
    assert [s.byte_start for s in shards[1:]] == [s.byte_end for s in shards[:-1]]
    last = list(read_shard(shards[-1], 10_000))
    assert names(last) == [f"{feed}:7"]


def test_files_are_grouped_and_a_feed_ends_the_group(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "d.txt"):
        (tmp_path / name).write_text(article(1), "utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": article(2)}) + "\n", "utf-8")
    shards, _ = plan_shards([str(tmp_path)], shard_size=10)
    assert [s.kind for s in shards] == ["files", "feed", "files"]
    assert [Path(f).name for f in shards[0].files] == ["a.txt", "b.txt"]


def test_missing_inputs_and_empty_feeds_are_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"")
    shards, problems = plan_shards(
        [str(tmp_path / "nope.txt"), str(tmp_path / "empty.jsonl")], shard_size=5
    )
    assert shards == []
    assert [type(p) for p in problems] == [InputNotFoundError, EmptyInputError]


def test_parquet_is_cut_within_row_groups(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "news.parquet"
    table = pa.table(
        {"text": [article(i) for i in range(5)], "published": ["2024-01-02"] * 4 + [None]}
    )
    pq.write_table(table, path, row_group_size=3)
    shards, problems = plan_shards([str(path)], shard_size=2)
    assert problems == []
    assert [(s.row_group, s.row_offset, s.count) for s in shards] == [
        (0, 0, 2),
        (0, 2, 1),
        (1, 0, 2),
    ]
    read = [item for shard in shards for item in read_shard(shard, 10_000)]
    assert names(read) == [f"{path}:{n}" for n in range(1, 6)]
    assert all(isinstance(item, RawInput) for item in read)
    assert [item.data for item in read if isinstance(item, RawInput)] == table["text"].to_pylist()


def test_parquet_without_a_text_column_is_a_problem(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "other.parquet"
    pq.write_table(pa.table({"body": ["x"]}), path)
    shards, problems = plan_shards([str(path)], shard_size=2)
    assert shards == []
    assert "needs a 'text' or 'html' column" in problems[0].message


def test_count_items_counts_files_feed_lines_and_parquet_rows(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    corpus = make_corpus(tmp_path)  # a feed of 15 lines, 9 files
    (tmp_path / "tail.jsonl").write_text("{}\n\n{}", "utf-8")  # no line feed at the end
    pq.write_table(pa.table({"text": [article(i) for i in range(5)]}), tmp_path / "n.parquet")
    sources = [str(corpus), str(tmp_path / "tail.jsonl"), str(tmp_path / "n.parquet")]
    shards, _ = plan_shards(sources, shard_size=1)
    assert count_items(sources) == len(shards) == 15 + 9 + 3 + 5
    assert count_items([*sources, str(tmp_path / "missing")]) == len(shards)
    assert 10 <= count_items(sources, stop_at=10) < len(shards)  # the feed alone reaches 10


def test_automatic_shard_size_gives_every_worker_work(tmp_path: Path) -> None:
    for i in range(100):
        (tmp_path / f"{i:03d}.txt").write_text(article(i), "utf-8")
    size = shard_size_for([str(tmp_path)], workers=2)
    shards, _ = plan_shards([str(tmp_path)], size)
    assert size == 13
    assert len(shards) == 8 >= 2 * 4  # four per worker: the last ones to finish are short
    assert sum(s.count for s in shards) == 100
    assert plan_shards([str(tmp_path)], shard_size_for([str(tmp_path)], workers=2)) == (shards, [])
    assert shard_size_for([str(tmp_path)], workers=64) == 1
    assert shard_size_for([str(tmp_path)], workers=0) == MAX_SHARD_SIZE  # no workers known yet


def test_automatic_shard_size_is_bounded() -> None:
    assert [auto_shard_size(n, 2) for n in (0, 1, 8, 9, 100, 1600, 10**7)] == [
        1,
        1,
        1,
        2,
        13,
        200,
        200,
    ]


def test_planning_never_opens_a_fifo_and_reports_it(tmp_path: Path) -> None:
    """A .jsonl FIFO in a folder hung planning (it was opened to count its lines)."""
    import os
    import threading

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(article(1))
    os.mkfifo(folder / "b.jsonl")
    os.mkfifo(tmp_path / "direct.txt")
    done: list[tuple[list[Shard], list[InputError]]] = []
    worker = threading.Thread(
        target=lambda: done.append(plan_shards([str(folder), str(tmp_path / "direct.txt")], 10)),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # unblock the reader so the test run can end
        with open(folder / "b.jsonl", "wb"), open(tmp_path / "direct.txt", "wb"):
            pass
        pytest.fail("planning blocked on a FIFO")
    shards, problems = done[0]
    assert sum(s.count for s in shards) == 1
    messages = sorted(p.message for p in problems)
    assert len(messages) == 2
    assert all("not a regular file (a FIFO/named pipe)" in m for m in messages)
