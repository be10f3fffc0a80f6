"""The one way the library reads and writes files: bounded reads of regular files, atomic writes.

Every file asn_kinerja opens for reading (a policy, a policy case file, a dataset manifest and its tables, an SKM
survey) goes through :func:`check_readable` — the path is looked up (``stat``) *before* it is opened — and, where
the library reads the bytes itself, :func:`read_bytes`:

- a file that does not exist, or a symlink whose target does not, is an error;
- anything but a regular file (a folder, a character or block device such as ``/dev/zero``, a FIFO, a socket) is
  refused without being opened, so nothing blocks and nothing endless is read;
- a file larger than the limit given by the caller is refused before it is read, and no more than the limit
  (plus one byte, to tell) is ever read, even when the file grows in between.

The errors are :class:`~asn_kinerja.DataError` (or the class the caller names, e.g. a
:class:`~asn_kinerja.PolicyError` for a policy) naming the file; they never quote its content.

:func:`write_text` writes a command's output: to a regular file (or a new path) atomically — a temporary file in
the same folder renamed over it, so a reader never sees half an output; through a symlink to the file it points
to, atomically in the same way (the symlink stays); to a character device or a FIFO (``/dev/stdout``, a pipe)
directly, since such a node cannot be replaced; anything else (a folder, a socket, a block device) is refused.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text(folder / "out.txt", "hello\\n")
>>> read_bytes(folder / "out.txt", limit=100)
b'hello\\n'
>>> read_bytes(folder / "out.txt", limit=3, source="out.txt")
Traceback (most recent call last):
...
asn_kinerja.errors.DataError: 1 problem in the data:
  out.txt: the file is 6 bytes, more than the limit of 3 bytes
>>> check_readable(folder, limit=100, source="the folder")
Traceback (most recent call last):
...
asn_kinerja.errors.DataError: 1 problem in the data:
  the folder: not a regular file (a folder): refused
>>> import shutil; shutil.rmtree(folder)
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TextIO

from asn_kinerja.errors import AsnKinerjaError, DataError, Problem

__all__ = ["DATA_LIMIT", "check_readable", "output_problem", "read_bytes", "write_file", "write_stream", "write_text"]

#: The largest data file (a table, a survey) read by default: 2 GiB.
DATA_LIMIT = 2 << 30

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a file"


def _fail(error: type[AsnKinerjaError], message: str, source: str) -> AsnKinerjaError:
    return error([Problem(message, source=source)])


def _check_stat(st: os.stat_result, limit: int, source: str, error: type[AsnKinerjaError], hint: str = "") -> int:
    if not stat.S_ISREG(st.st_mode):
        raise _fail(error, f"not a regular file ({_kind(st.st_mode)}): refused", source)
    if st.st_size > limit:
        raise _fail(error, f"the file is {st.st_size} bytes, more than the limit of {limit} bytes{hint}", source)
    return st.st_size


def check_readable(
    path: str | os.PathLike[str],
    limit: int = DATA_LIMIT,
    *,
    source: str | None = None,
    error: type[AsnKinerjaError] = DataError,
    hint: str = "",
) -> int:
    """The size of ``path`` after checking, without opening it, that it exists (a symlink: that its target
    does), is a regular file and is at most ``limit`` bytes; otherwise ``error`` naming ``source`` (by default
    the path). A reader of its own (pyarrow, say) calls this first."""
    label = os.fspath(path) if source is None else source
    try:
        st = os.stat(path)
    except FileNotFoundError:
        missing = "a symlink to a file that does not exist" if os.path.islink(path) else "no such file"
        raise _fail(error, missing, label) from None
    except (OSError, ValueError) as exc:  # permission, a name too long, a NUL character ...
        raise _fail(error, f"cannot read the file: {getattr(exc, 'strerror', None) or exc}", label) from None
    return _check_stat(st, limit, label, error, hint)


def read_bytes(
    path: str | os.PathLike[str],
    limit: int = DATA_LIMIT,
    *,
    source: str | None = None,
    error: type[AsnKinerjaError] = DataError,
    hint: str = "",
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (see :func:`check_readable`); never more than
    ``limit + 1`` bytes are read, and the file opened is checked again (it may have been replaced in between).
    ``hint`` is added to the message of a file over the limit (how to raise it)."""
    label = os.fspath(path) if source is None else source
    check_readable(path, limit, source=label, error=error, hint=hint)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _fail(error, f"cannot read the file: {exc.strerror or exc}", label) from None
    with os.fdopen(fd, "rb") as file:
        _check_stat(os.fstat(fd), limit, label, error, hint)
        try:
            data = file.read(limit + 1)
        except OSError as exc:
            raise _fail(error, f"cannot read the file: {exc.strerror or exc}", label) from None
    if len(data) > limit:
        raise _fail(error, f"the file is over the limit of {limit} bytes{hint}", label)
    return data


def _output(path: str | os.PathLike[str]) -> tuple[Path, os.stat_result | None, str | None]:
    """Where an output goes (the file a symlink points to), its ``stat`` (``None``: a new file), and why it is
    refused (``None``: it is not)."""
    try:
        target = Path(os.path.realpath(path))  # a symlink (even a chain of them): the file it points to
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except (OSError, ValueError) as exc:  # permission, a name too long, a NUL character ...
        return Path(os.fspath(path)), None, f"cannot write there: {getattr(exc, 'strerror', None) or exc}"
    if st is None:
        return target, None, None if target.parent.is_dir() else "cannot write there: no such folder"
    if stat.S_ISREG(st.st_mode) or stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return target, st, None
    return target, st, f"not a regular file ({_kind(st.st_mode)}): refused as an output"


def output_problem(path: str | os.PathLike[str]) -> str | None:
    """Why :func:`write_text` would refuse ``path``, or ``None``: checked before the work whose output it is.

    >>> output_problem("/"), output_problem("/dev/null")
    ('not a regular file (a folder): refused as an output', None)
    """
    return _output(path)[2]


def write_file(path: str | os.PathLike[str], fill: Callable[[BinaryIO], None]) -> None:
    """Write a file by ``fill(stream)``, ``stream`` an open binary file, with the rules of :func:`write_text`: into a
    temporary file renamed over a regular file or a new path (a symlink: over its target), straight into a character
    device or a FIFO; anything else is refused with a :class:`~asn_kinerja.DataError`. Nothing is left half-written
    on a regular file. A failed write (a full disk, say) is a :class:`~asn_kinerja.DataError` naming ``path``.
    Binary writers (Parquet) use this; :func:`write_stream` is this for text.

    The temporary file is written through the descriptor that made it, never opened again with truncation: on ext4
    a file truncated and then written is flushed to the disk when it is closed (the ``auto_da_alloc`` safeguard),
    which made closing a million employees' JSON (1.2 GB) take half a second."""
    target, st, problem = _output(path)
    if problem is not None:
        raise _fail(DataError, problem, os.fspath(path))
    try:
        if st is not None and not stat.S_ISREG(st.st_mode):  # a device or a FIFO: written through, not replaced
            with open(target, "wb") as stream:
                fill(stream)
        else:
            _replace(target, st, fill)
    except OSError as exc:
        raise _fail(DataError, f"cannot write the output: {exc.strerror or exc}", os.fspath(path)) from None


def _replace(target: Path, st: os.stat_result | None, fill: Callable[[BinaryIO], None]) -> None:
    """``fill`` a temporary file beside ``target`` and rename it over ``target`` (keeping its mode); the temporary
    file is removed if anything fails."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            fill(stream)
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``: atomically to a regular file or a new path, through a symlink to its
    target, directly to a character device or a FIFO; anything else is refused with a
    :class:`~asn_kinerja.DataError`. Nothing is left half-written on a regular file."""
    write_stream(path, lambda stream: stream.write(text))


def write_stream(path: str | os.PathLike[str], write: Callable[[TextIO], object]) -> None:
    """Write the text that ``write(stream)`` gives piece by piece (UTF-8) to ``path``, with the rules of
    :func:`write_text` (a large output is never held whole)."""

    def fill(binary: BinaryIO) -> None:
        with io.TextIOWrapper(binary, encoding="utf-8", newline="") as stream:
            write(stream)

    write_file(path, fill)
