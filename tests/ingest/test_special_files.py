"""Inputs that are not regular files, and folders that cannot be read.

A FIFO opened for reading blocks until a writer comes, so every test here that could hang on a
regression is bounded: readers run in a thread that is unblocked (by opening the FIFO's other
end) when it overruns, and the command line runs in a subprocess with a timeout.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from claimtrace.errors import InputError, InputNotFoundError, NotRegularFileError
from claimtrace.ingest import RawInput, count_inputs, iter_inputs

TIMEOUT = 20
ARTICLE = "Officials said on Monday that 40 people were hurt."
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo (POSIX)")


def read_bounded(*sources: str, fifos: tuple[Path, ...] = ()) -> list[RawInput | InputError]:
    """``iter_inputs`` in a thread; a reader stuck on a FIFO fails the test instead of hanging."""
    found: list[RawInput | InputError] = []
    worker = threading.Thread(
        target=lambda: found.extend(iter_inputs(sources, max_bytes=10_000)), daemon=True
    )
    worker.start()
    worker.join(TIMEOUT)
    if worker.is_alive():
        for fifo in fifos:  # a writer that comes and goes lets a blocked open return
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(TIMEOUT)
        pytest.fail(f"reading {sources} blocked for {TIMEOUT}s (a FIFO was opened)")
    return found


def messages(items: list[RawInput | InputError]) -> list[str]:
    return [str(item) if isinstance(item, InputError) else f"OK {item.name}" for item in items]


@needs_fifo
def test_fifo_given_directly_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "feed.fifo"
    os.mkfifo(fifo)
    (item,) = read_bounded(str(fifo), fifos=(fifo,))
    assert isinstance(item, NotRegularFileError)
    assert str(item) == (
        f"{fifo}: not a regular file (a FIFO/named pipe); claimtrace reads files, folders, "
        "and - for standard input"
    )


@needs_fifo
@pytest.mark.parametrize("name", ["news.fifo", "feed.jsonl"])  # a feed is opened differently
def test_fifo_inside_a_walked_folder_is_reported_and_the_walk_goes_on(
    tmp_path: Path, name: str
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    os.mkfifo(tmp_path / name)
    (tmp_path / "z.txt").write_text(ARTICLE)
    items = read_bounded(str(tmp_path), fifos=(tmp_path / name,))
    assert messages(items) == [
        f"OK {tmp_path / 'a.txt'}",
        f"{tmp_path / name}: not a regular file (a FIFO/named pipe); claimtrace reads files, "
        "folders, and - for standard input",
        f"OK {tmp_path / 'z.txt'}",
    ]
    assert count_inputs([str(tmp_path)]) == len(items)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_socket_and_device_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        items = read_bounded(str(path), os.devnull)
    finally:
        server.close()
    assert [type(item) for item in items] == [NotRegularFileError, NotRegularFileError]
    assert "not a regular file (a socket)" in str(items[0])
    if stat.S_ISCHR(os.stat(os.devnull).st_mode):
        assert "not a regular file (a character device)" in str(items[1])


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text(ARTICLE)
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    items = read_bounded(str(tmp_path / "link.txt"), str(tmp_path / "broken.txt"))
    assert isinstance(items[0], RawInput)
    assert items[0].data == ARTICLE.encode()
    assert isinstance(items[1], InputNotFoundError)


@needs_fifo
def test_cli_refuses_fifos_given_and_walked_with_one_line_each_and_exit_3(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    os.mkfifo(folder / "b.fifo")
    os.mkfifo(tmp_path / "direct.fifo")
    done = _cli(str(tmp_path / "direct.fifo"), str(folder))
    assert done.returncode == 3, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("claimtrace: error:")]
    assert errors == [
        f"claimtrace: error: {tmp_path / 'direct.fifo'}: not a regular file (a FIFO/named pipe); "
        "claimtrace reads files, folders, and - for standard input",
        f"claimtrace: error: {folder / 'b.fifo'}: not a regular file (a FIFO/named pipe); "
        "claimtrace reads files, folders, and - for standard input",
    ]
    assert "Traceback" not in done.stderr
    assert [line for line in done.stdout.splitlines() if '"input"' in line] == [
        f'    "input": "{folder / "a.txt"}",'
    ]


def test_cli_still_reads_stdin(tmp_path: Path) -> None:
    done = _cli("-", stdin=ARTICLE)
    assert done.returncode == 0, done.stderr
    assert '"input": "stdin"' in done.stdout


def test_unreadable_folder_is_an_error_in_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk's error path, on any platform and as any user: listing one folder fails."""
    for name in ("a.txt", "locked/x.txt", "m/y.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(ARTICLE)
    locked = str(tmp_path / "locked")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = read_bounded(str(tmp_path))
    assert messages(items) == [
        f"OK {tmp_path / 'a.txt'}",
        f"{locked}: cannot read folder: Permission denied; its files were skipped",
        f"OK {tmp_path / 'm' / 'y.txt'}",
    ]
    assert isinstance(items[1], InputNotFoundError)
    assert count_inputs([str(tmp_path)]) == 3


def test_cli_reports_a_folder_it_may_not_read_and_exits_3(tmp_path: Path) -> None:
    """A real permission check: chmod 000, read by a process the permission applies to.

    Root reads through chmod 000, so as root the command runs without the two capabilities
    that let it (``setpriv`` drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH): still root, but
    held to the folder's mode like anyone. Where that is not possible the test says so and skips.
    """
    folder = tmp_path / "pages"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE)
    (folder / "locked" / "secret.txt").write_text(ARTICLE)
    (folder / "locked").chmod(0)
    try:
        prefix = _unprivileged(folder / "locked")
        done = _cli(str(folder), prefix=prefix)
    finally:
        (folder / "locked").chmod(0o755)
    assert done.returncode == 3, done.stderr
    assert (
        f"claimtrace: error: {folder / 'locked'}: cannot read folder: Permission denied; "
        "its files were skipped"
    ) in done.stderr.splitlines()
    assert "secret.txt" not in done.stderr + done.stdout
    assert f'"input": "{folder / "a.txt"}"' in done.stdout


_DROP = "-dac_override,-dac_read_search"


def _unprivileged(locked: Path) -> list[str]:
    """A command prefix under which ``locked`` (mode 000) really cannot be listed."""
    prefix: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root, which reads chmod 000 folders, and no setpriv")
        prefix = [setpriv, f"--bounding-set={_DROP}", f"--inh-caps={_DROP}"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import os, sys; os.listdir(sys.argv[1])", str(locked)],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    if probe.returncode == 0:
        pytest.skip("this process can list a chmod 000 folder (privileges or file system)")
    return prefix


def _cli(
    *args: str, prefix: list[str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    command = [*(prefix or []), sys.executable, "-m", "claimtrace", "extract", "--model", "rules"]
    try:
        return subprocess.run(
            # Without the places stage, which would build its gazetteer cache first.
            [*command, "--skip", "places", "--quiet", *args],
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            timeout=TIMEOUT * 3,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"claimtrace extract {' '.join(args)} hung (more than {TIMEOUT * 3}s)")
