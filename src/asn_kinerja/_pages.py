"""Memory pages for the command line's large arrays, and the memory it frees kept for the next ones.

numpy asks the Linux kernel for transparent huge pages for each large array (``madvise``). Where the kernel then
compacts memory to find them (``/sys/kernel/mm/transparent_hugepage/defrag`` set to ``madvise``, a common
default) and memory is fragmented, every fresh array of a national run waits for it: evaluating 1 000 000 employees
spent 11–12 s of kernel time on it against 2.4–2.8 s with ordinary pages, for the same work (user time 2.4–2.9 s
either way), on the project's 2-core benchmark machine. The command line therefore asks numpy for ordinary pages,
unless the environment variable ``NUMPY_MADVISE_HUGEPAGE`` (numpy's own switch) says what to do. A program that
uses the library can do the same by setting that variable to ``0`` before numpy is imported.

Each fresh page the kernel hands over costs time too (on the benchmark machine, a virtual machine that gives freed
memory back to its host, ~3 µs a page: a national run touched 8.9 GB of fresh pages, 7–10 s of kernel time). The C
library gives every large array back to the kernel as soon as it is freed (arrays over 32 MB are mapped and unmapped
one by one), so the next array of the same size is fresh pages again. The command line therefore asks glibc to take
large arrays from its heap and keep what is freed for the next ones (:func:`reuse_freed_memory`); the readers still
give the memory back at the end of each file (``malloc_trim``), which bounds the peak. A national run then took
1.44–1.51 M page faults instead of 2.21 M (kernel time 6.9–7.0 s, not 8.6–8.7 s) for a peak of 3.1–3.3 GB, not
3.0 GB. Without those trims it took 1.34 M, but its peak grew to 4.6 GB.
"""

from __future__ import annotations

import ctypes
import importlib
import os
import sys
from typing import Any

__all__ = ["page_choice", "prefer_small_pages", "reuse_freed_memory"]

#: numpy's own switch, read when numpy is imported; where it is set, it is left to decide.
ENVIRONMENT = "NUMPY_MADVISE_HUGEPAGE"


def _switch() -> Any:
    """numpy's runtime switch of huge pages (``None`` where this numpy has none)."""
    return getattr(importlib.import_module("numpy._core.multiarray"), "_set_madvise_hugepage", None)


def prefer_small_pages() -> bool:
    """Ask numpy not to request huge pages for the arrays made from now on in this process, unless
    ``NUMPY_MADVISE_HUGEPAGE`` is set; whether huge pages were requested before (``False`` where the environment
    decides or numpy has no switch). Results are the same either way; only the kernel's work differs.

    >>> import os
    >>> before = prefer_small_pages()
    >>> _switch()(False) if ENVIRONMENT not in os.environ else False  # the switch now reads "no huge pages"
    False
    """
    switch = _switch()
    if ENVIRONMENT in os.environ or switch is None:
        return False
    return bool(switch(False))


#: glibc's ``mallopt`` parameters (``malloc.h``): how many blocks it may map on their own, and how much free memory
#: at the top of its heap it keeps before giving it back.
M_TRIM_THRESHOLD, M_MMAP_MAX = -1, -4
#: glibc's own switches of the same settings, read when a process starts; where one is set, it is left to decide.
MALLOC_ENVIRONMENT = ("MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_")
#: The free memory at the top of the heap kept for the next arrays: the most ``mallopt`` takes (an ``int``).
KEPT_BYTES = (1 << 31) - 1


def reuse_freed_memory() -> bool:
    """Ask the C library (glibc) to take large blocks from its heap rather than map each on its own, and to keep
    the memory freed at the top of its heap, for the rest of this process: a freed array's pages serve the next
    one instead of going back to the kernel (explicit trims, ``malloc_trim``, still give them back). Whether it
    was asked (``False`` where the C library is not glibc or ``MALLOC_MMAP_MAX_``/``MALLOC_TRIM_THRESHOLD_`` is
    set). Results are the same either way; only the kernel's work and the peak memory differ.

    >>> reuse_freed_memory() in (True, False)
    True
    """
    mallopt = _mallopt()
    if mallopt is None or any(name in os.environ for name in MALLOC_ENVIRONMENT):
        return False
    return bool(mallopt(M_MMAP_MAX, 0)) and bool(mallopt(M_TRIM_THRESHOLD, KEPT_BYTES))


def _mallopt() -> Any:
    """glibc's ``mallopt`` (``None`` elsewhere)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
    except OSError:  # pragma: no cover - no C library to load
        return None
    if not hasattr(libc, "gnu_get_libc_version"):  # pragma: no cover - musl and others: another allocator
        return None
    mallopt = libc.mallopt
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt


def page_choice() -> str:
    """:func:`prefer_small_pages` and :func:`reuse_freed_memory` as the command line calls them, then which pages
    this process uses, in words (what the benchmarks report beside their figures).

    >>> page_choice().startswith(("ordinary (as the command line)", ENVIRONMENT))
    True
    """
    reused = " (freed memory reused)" if reuse_freed_memory() else ""
    if ENVIRONMENT in os.environ:
        return f"{ENVIRONMENT}={os.environ[ENVIRONMENT]}{reused}"
    prefer_small_pages()
    return f"ordinary (as the command line){reused}"
