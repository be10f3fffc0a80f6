"""Reading citizen survey answers (SKM, PermenPANRB 14/2017) from a CSV file into a validated
:class:`~asn_kinerja.rules.skm_2017.Survey`, which :func:`~asn_kinerja.rules.skm_2017.ikm_from_responses` computes
the index of.
"""

from __future__ import annotations

import csv
import decimal
import os
from decimal import Decimal

from asn_kinerja._files import DATA_LIMIT, read_bytes
from asn_kinerja.errors import DataError, Problem
from asn_kinerja.rules.skm_2017 import UNSUR, Answer, Survey, _answer

__all__ = ["read_survey_csv"]


_ID_COLUMNS = {"id", "no", "nomor", "respondent", "respondentid", "responden", "idresponden"}


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _column_unsur(name: str) -> str | None:
    key = _fold(name)
    for number, (u, label) in enumerate(UNSUR.items(), start=1):
        if key in (f"u{number}", _fold(u), _fold(label)):
            return u
    return None


def _cell(text: str) -> tuple[Answer, str | None]:
    text = text.strip()
    if not text:
        return None, None
    try:
        value = Decimal(text)
    except decimal.InvalidOperation:
        return None, f"answer must be an integer 1–4, got {text!r}"
    answer, message = _answer(value)
    if answer is None:
        return None, f"answer must be an integer 1–4, got {text!r}"
    return answer, message


def read_survey_csv(path: str | os.PathLike[str]) -> Survey:
    """Read survey answers from a CSV file (UTF-8, a BOM allowed; comma, semicolon or tab separated).

    The first line is a header. Nine columns hold the answers, named ``u1`` … ``u9`` or by the unsur
    identifiers of :data:`UNSUR` (case, spaces and punctuation ignored; the labels work too). An optional
    respondent id column is named ``id``, ``no``, ``nomor``, ``responden``, ``respondent`` or
    ``id_responden``; without one, the row number is the id. Other columns (age, sex, education …) are
    ignored. A cell holds an integer 1–4; an empty cell is a missing answer (see ``missing=`` in
    :func:`ikm_from_responses`); blank lines are skipped. Every bad cell, missing or duplicate column and
    duplicate id is reported in one :class:`~asn_kinerja.DataError` with file, line and column.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "skm.csv").write_text("id,u1,u2,u3,u4,u5,u6,u7,u8,u9\\nR1,4,3,3,4,3,3,4,4,4\\n"
    ...                                     "R2,3,3,,4,3,3,3,3,4\\n")
    >>> survey = read_survey_csv(folder / "skm.csv")
    >>> survey.ids, survey[1]
    (('R1', 'R2'), (3, 3, None, 4, 3, 3, 3, 3, 4))
    >>> _ = (folder / "bad.csv").write_text("u1,u2,u3,u4,u5,u6,u7,u8,u9\\n4,3,3,4,3,3,4,4,x\\n")
    >>> read_survey_csv(folder / "bad.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    asn_kinerja.errors.DataError: 1 problem in the data:
      ...bad.csv:2: record 1: u9: answer must be an integer 1–4, got 'x'
    >>> import shutil; shutil.rmtree(folder)
    """
    source = os.fspath(path)
    lines_of_text = _lines(path, source)
    first = lines_of_text[0] if lines_of_text else ""
    reader = csv.reader(lines_of_text, delimiter=max(",;\t", key=first.count))  # comma, semicolon or tab
    header: list[str] | None = None
    for fields in reader:
        if any(f.strip() for f in fields):
            header = fields
            break
    if header is None:
        raise DataError([Problem("the file is empty: it needs a header line", source=source)])
    columns, id_column = _columns(header, source, reader.line_num)
    rows: list[tuple[Answer, ...]] = []
    ids: list[str] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        line = reader.line_num
        rid = fields[id_column].strip() if id_column is not None and id_column < len(fields) else ""
        if not rid:
            rid = str(len(rows) + 1)
        if rid in seen:
            duplicate = f"duplicate respondent id (first on line {seen[rid]})"
            problems.append(Problem(duplicate, source=source, line=line, record=rid))
        else:
            seen[rid] = line
        answers: list[Answer] = []
        for u in UNSUR:
            index = columns[u]
            answer, message = _cell(fields[index] if index < len(fields) else "")
            if message is not None:
                problems.append(Problem(message, source=source, line=line, record=rid, field=header[index].strip()))
            answers.append(answer)
        rows.append(tuple(answers))
        ids.append(rid)
        lines.append(line)
    if problems:
        raise DataError(problems)
    return Survey(rows=tuple(rows), ids=tuple(ids), lines=tuple(lines), source=source)


def _lines(path: str | os.PathLike[str], source: str) -> list[str]:
    """The lines of a survey file as UTF-8 text, each with its end."""
    data = read_bytes(path, DATA_LIMIT, source=source)
    try:
        return data.decode("utf-8-sig").splitlines(keepends=True)
    except UnicodeDecodeError as exc:
        raise DataError([Problem(f"not UTF-8 text (byte offset {exc.start})", source=source)]) from None


def _columns(header: list[str], source: str, line: int) -> tuple[dict[str, int], int | None]:
    """The column of each unsur and of the respondent id (``None`` without one); every header problem at once."""
    problems: list[Problem] = []
    id_column: int | None = None
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        u = _column_unsur(name)
        if u is not None:
            if u in columns:
                problems.append(Problem(f"duplicate column for unsur {u}", source=source, line=line, field=name))
            columns[u] = index
        elif _fold(name) in _ID_COLUMNS:
            if id_column is not None:
                problems.append(Problem("a second respondent id column", source=source, line=line, field=name))
            id_column = index
    for number, u in enumerate(UNSUR, start=1):
        if u not in columns:
            problems.append(Problem(f"missing column (u{number} or {u})", source=source, line=line, field=f"u{number}"))
    if problems:
        raise DataError(problems)
    return columns, id_column
