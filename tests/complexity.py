"""Measures of work that do not depend on how busy the machine is.

A test must not assert a wall-clock bound: on a loaded machine a one-second budget fails for reasons that have
nothing to do with the code. These helpers measure what the code does instead:

- :func:`parser_events` counts the YAML events the policy reader pulls from the parser, so that a test can assert
  that a hostile input is rejected after a bounded amount of reading, whatever its size;
- :func:`bytes_read` counts the bytes read from files, so that a test can assert that an oversized file is refused
  without being read;
- :func:`growth` compares the CPU time of one call at two input sizes in the same run (best of a few tries), so that
  a test can tell linear from quadratic growth with a wide margin.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from unittest import mock

import yaml

from asn_kinerja.yamlschema import tree as yamltree


@contextlib.contextmanager
def parser_events() -> Iterator[list[int]]:
    """Count the events the policy reader pulls from the YAML parser; the count is ``counter[0]`` afterwards."""
    counter = [0]
    parse = yaml.parse

    def counting(*args: Any, **kwargs: Any) -> Iterator[yaml.Event]:
        for event in parse(*args, **kwargs):
            counter[0] += 1
            yield event

    with mock.patch.object(yamltree.yaml, "parse", counting):
        yield counter


class _CountingFile:
    def __init__(self, file: IO[bytes], counter: list[int]) -> None:
        self._file, self._counter = file, counter

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self._counter[0] += len(data)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)

    def __enter__(self) -> _CountingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


@contextlib.contextmanager
def bytes_read() -> Iterator[list[int]]:
    """Count the bytes read from files opened in binary mode, by ``Path.open`` or by ``os.fdopen`` (the library's
    bounded reader); the count is ``counter[0]`` afterwards."""
    counter = [0]
    path_open, fdopen = Path.open, os.fdopen

    def counting_open(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        file = path_open(self, mode, *args, **kwargs)
        return _CountingFile(file, counter) if "b" in mode else file

    def counting_fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        file = fdopen(fd, mode, *args, **kwargs)
        return _CountingFile(file, counter) if "b" in mode else file

    with mock.patch.object(Path, "open", counting_open), mock.patch.object(os, "fdopen", counting_fdopen):
        yield counter


def growth(call: Callable[[int], object], small: int, large: int, tries: int = 3) -> float:
    """How many times more CPU time ``call(large)`` takes than ``call(small)``, best of ``tries`` each.

    CPU time of this process, not wall-clock time, so that other processes on the machine matter little; the
    best of a few tries, so that a pause of the garbage collector or the scheduler does not decide the result.
    Linear work gives about ``large / small``; quadratic work its square.
    """

    def best(n: int) -> float:
        times = []
        for _ in range(tries):
            start = time.process_time()
            call(n)
            times.append(time.process_time() - start)
        return max(min(times), 1e-6)

    return best(large) / best(small)
