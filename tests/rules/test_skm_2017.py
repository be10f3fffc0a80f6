"""Tests of the SKM index (PermenPANRB 14/2017)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_kinerja.dataset.survey import read_survey_csv
from asn_kinerja.errors import DataError
from asn_kinerja.report.ikm import format_table
from asn_kinerja.rules.skm_2017 import (
    MUTU,
    UNSUR,
    Survey,
    ikm,
    ikm_from_responses,
    mutu_pelayanan,
    sample_size,
)

TOTALS = [105, 101, 100, 116, 102, 105, 106, 105, 115]


def rows_with_totals(totals: list[int], n: int) -> list[list[int]]:
    """``n`` respondents whose answers to each unsur sum to the given totals."""
    columns = []
    for total in totals:
        q, r = divmod(total, n)
        columns.append([q + 1] * r + [q] * (n - r))
    return [list(row) for row in zip(*columns, strict=True)]


WORKED = rows_with_totals(TOTALS, 29)


def test_unsur_order_and_labels() -> None:
    assert list(UNSUR) == [
        "persyaratan",
        "sistem_mekanisme_prosedur",
        "waktu_penyelesaian",
        "biaya_tarif",
        "produk_spesifikasi_jenis_pelayanan",
        "kompetensi_pelaksana",
        "perilaku_pelaksana",
        "penanganan_pengaduan",
        "sarana_prasarana",
    ]
    assert UNSUR["sarana_prasarana"] == "Sarana dan Prasarana"
    assert all(label for label in UNSUR.values())


# ------------------------------------------------------------------------------------------- worked example


def test_worked_example_from_responses() -> None:
    assert [sum(col) for col in zip(*WORKED, strict=True)] == TOTALS
    r = ikm_from_responses(WORKED)
    assert r.respondents == 29
    assert r.indeks == Fraction(955, 29 * 9)
    assert r.konversi == Decimal("91.48")
    assert (r.mutu, r.kinerja) == ("A", "Sangat Baik")
    assert r.nrr["persyaratan"] == Fraction(105, 29)
    assert r.weights["persyaratan"] == Fraction(1, 9)
    assert r.answered is not None
    assert set(r.answered.values()) == {29}


def test_worked_example_from_nrr_sequence_and_mapping() -> None:
    nrr = [Fraction(t, 29) for t in TOTALS]
    by_seq = ikm(nrr)
    by_map = ikm(dict(zip(UNSUR, nrr, strict=True)))
    assert by_seq == by_map
    assert by_seq.konversi == Decimal("91.48")
    assert by_seq.respondents is None


@pytest.mark.parametrize(
    ("printed_weight", "nrr_places", "konversi"),
    [
        (None, None, "91.48"),  # the regulation: exact NRR, weight exactly 1/9
        (Decimal("0.11"), None, "90.56"),  # the printed-weight report: 955/29 × 0.11 × 25 = 90.5603…
        (Decimal("0.11"), 3, "90.56"),  # NRR printed to 3 decimals: Σ 32.932 × 0.11 × 25 = 90.563
        (Decimal("0.11"), 2, "90.59"),  # NRR printed to 2 decimals: Σ 32.94 × 0.11 × 25 = 90.585
        (Decimal("0.111"), None, "91.38"),
        (None, 2, "91.50"),  # Σ 32.94 / 9 × 25
        (None, 3, "91.48"),
    ],
)
def test_report_variants(printed_weight: Decimal | None, nrr_places: int | None, konversi: str) -> None:
    r = ikm_from_responses(WORKED, printed_weight=printed_weight, nrr_places=nrr_places)
    assert r.konversi == Decimal(konversi)


def test_printed_weight_bypasses_the_sum_check_but_weights_do_not() -> None:
    assert ikm([4] * 9, printed_weight="0.11").indeks == Fraction("3.96")
    with pytest.raises(DataError, match="sum to exactly 1"):
        ikm([4] * 9, weights=[Decimal("0.11")] * 9)
    with pytest.raises(DataError, match="not both"):
        ikm([4] * 9, weights=[Fraction(1, 9)] * 9, printed_weight="0.11")
    with pytest.raises(DataError, match="greater than zero"):
        ikm([4] * 9, printed_weight=0)


def test_nrr_used_is_rounded_and_nrr_is_exact() -> None:
    r = ikm_from_responses(WORKED, nrr_places=2)
    assert r.nrr["persyaratan"] == Fraction(105, 29)
    assert r.nrr_used["persyaratan"] == Fraction("3.62")
    assert ikm_from_responses(WORKED).nrr_used["persyaratan"] == Fraction(105, 29)


def test_indeks_decimal_view() -> None:
    r = ikm_from_responses(WORKED)
    assert r.indeks_decimal.quantize(Decimal("0.0001")) == Decimal("3.6590")
    assert ikm([3] * 9).indeks_decimal == Decimal(3)


def test_custom_weights_summing_to_one() -> None:
    weights = {u: Fraction(1, 18) for u in UNSUR} | {"persyaratan": Fraction(10, 18)}
    assert sum(weights.values()) == 1
    r = ikm([4] + [1] * 8, weights=weights)
    assert r.indeks == Fraction(4 * 10 + 8, 18)
    assert ikm([4] + [1] * 8, weights=["0.2"] + ["0.1"] * 8).indeks == Fraction("1.6")


def test_bad_nrr_and_weights() -> None:
    with pytest.raises(DataError, match="between 1 and 4") as err:
        ikm([0.5] + [3] * 7 + [4.5])
    assert len(err.value.problems) == 2
    with pytest.raises(DataError, match="needs 9 values"):
        ikm([3] * 8)
    with pytest.raises(DataError) as err:
        ikm({"persyaratan": 3, "unsur_baru": 3})
    messages = {(p.field, p.message) for p in err.value.problems}
    assert ("unsur_baru", "unknown unsur in nrr") in messages
    assert ("sarana_prasarana", "missing from nrr") in messages
    with pytest.raises(DataError, match="must not be negative"):
        ikm([3] * 9, weights=[Fraction(2, 9)] + [Fraction(1, 9)] * 7 + [Fraction(-1, 9)])


# ------------------------------------------------------------------------------------------- mutu bands


@pytest.mark.parametrize(
    ("konversi", "mutu", "kinerja"),
    [
        ("100.00", "A", "Sangat Baik"),
        ("88.31", "A", "Sangat Baik"),
        ("88.30", "B", "Baik"),
        ("76.61", "B", "Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("65.00", "C", "Kurang Baik"),
        ("64.99", "D", "Tidak Baik"),
        ("25.00", "D", "Tidak Baik"),
        ("88.305", "A", "Sangat Baik"),  # rounded half-up to 88.31 first
        ("88.3049", "B", "Baik"),
        ("64.995", "C", "Kurang Baik"),
    ],
)
def test_mutu_band_edges(konversi: str, mutu: str, kinerja: str) -> None:
    assert mutu_pelayanan(konversi) == (mutu, kinerja)


@pytest.mark.parametrize(
    ("nrr", "konversi", "mutu"),
    [
        ("3.532", "88.30", "B"),
        ("3.5324", "88.31", "A"),
        ("3.5322", "88.31", "A"),  # exactly 88.305: the band is read on the rounded value
        ("3.064", "76.60", "C"),
        ("3.0644", "76.61", "B"),
        ("2.5996", "64.99", "D"),
        ("2.6", "65.00", "C"),
    ],
)
def test_mutu_band_edges_through_the_index(nrr: str, konversi: str, mutu: str) -> None:
    r = ikm([Decimal(nrr)] * 9)
    assert (r.konversi, r.mutu) == (Decimal(konversi), mutu)


def test_mutu_table_is_contiguous() -> None:
    for (low, _h, _m, _k), (_l, high, _m2, _k2) in itertools.pairwise(MUTU):
        assert low - high == Decimal("0.01")


def test_tie_rounds_half_up() -> None:
    # 8 respondents, 45 answers of 4 and 27 of 3: konversi is exactly 261 × 25 / 72 = 90.625.
    answers = [4] * 45 + [3] * 27
    rows = [answers[i * 9 : (i + 1) * 9] for i in range(8)]
    r = ikm_from_responses(rows)
    assert r.indeks * 25 == Fraction("90.625")
    assert r.konversi == Decimal("90.63")
    assert round(90.625, 2) == 90.62  # Python's half-even rounding would publish another figure


# ------------------------------------------------------------------------------------------- sample size


@pytest.mark.parametrize(("population", "required"), [(1, 1), (10, 10), (100, 80), (1_000, 278), (10**6, 384)])
def test_sample_size(population: int, required: int) -> None:
    assert sample_size(population) == required


@pytest.mark.parametrize("population", [0, -5, True, 1.5, "100"])
def test_sample_size_rejects_non_positive_int(population: object) -> None:
    with pytest.raises(DataError, match="positive int"):
        sample_size(population)  # type: ignore[arg-type]


def test_sample_flag() -> None:
    small = ikm_from_responses(WORKED, population=100)
    assert (small.sample_required, small.sample_sufficient) == (80, False)
    assert small.konversi == Decimal("91.48")  # still computed
    enough = ikm_from_responses(WORKED, population=30)
    assert (enough.sample_required, enough.sample_sufficient) == (28, True)
    unflagged = ikm_from_responses(WORKED)
    assert (unflagged.sample_required, unflagged.sample_sufficient) == (None, None)
    assert ikm([3] * 9, respondents=100, population=100).sample_sufficient is True


# ------------------------------------------------------------------------------------------- bad answers


@pytest.mark.parametrize("answer", [0, 5, 2.5, -1, True, "3", Decimal("3.5"), float("inf")])
def test_answer_outside_scale_names_row_and_unsur(answer: object) -> None:
    rows: list[list[object]] = [[3] * 9, [3] * 9]
    rows[1][4] = answer
    with pytest.raises(DataError) as err:
        ikm_from_responses(rows)
    (problem,) = err.value.problems
    assert (problem.record, problem.field) == ("row 2", "produk_spesifikasi_jenis_pelayanan")
    assert "integer 1–4" in problem.message


def test_integral_floats_and_numpy_scalars_are_answers() -> None:
    rows = [[3.0, np.int64(4), np.float64(2), Decimal("1"), 4, 4, 4, 4, Fraction(4)]]
    assert ikm_from_responses(rows).nrr["persyaratan"] == 3


def test_missing_answer_error() -> None:
    rows: list[list[int | None]] = [[3] * 9, [3, None, 3, 3, 3, 3, 3, 3, 3]]
    with pytest.raises(DataError, match='missing="skip"') as err:
        ikm_from_responses(rows)
    (problem,) = err.value.problems
    assert (problem.record, problem.field) == ("row 2", "sistem_mekanisme_prosedur")


def test_all_problems_in_one_error() -> None:
    rows: list[list[int | None]] = [[0, 3, 3, 3, 3, 3, 3, 3, 5], [3, None, 3, 3, 3, 3, 3, 3, 3], [3] * 8]
    with pytest.raises(DataError) as err:
        ikm_from_responses(rows)
    assert len(err.value.problems) == 4
    assert {p.record for p in err.value.problems} == {"row 1", "row 2", "row 3"}


def test_missing_skip_divides_by_respondents_answering() -> None:
    rows: list[list[int | None]] = [[4, 4, None, 4, 4, 4, 4, 4, 4], [2] * 9, [None] * 9]
    r = ikm_from_responses(rows, missing="skip")
    assert r.nrr["persyaratan"] == 3
    assert r.nrr["waktu_penyelesaian"] == 2
    assert r.respondents == 2
    assert r.answered is not None
    assert r.answered["waktu_penyelesaian"] == 1


def test_missing_skip_with_an_unanswered_unsur() -> None:
    with pytest.raises(DataError, match="no respondent answered this unsur"):
        ikm_from_responses([[4, 4, None, 4, 4, 4, 4, 4, 4]], missing="skip")
    with pytest.raises(DataError, match="no respondent answered"):
        ikm_from_responses([], missing="skip")
    with pytest.raises(DataError, match='"error" or "skip"'):
        ikm_from_responses(WORKED, missing="ignore")  # type: ignore[arg-type]


def test_numpy_arrays() -> None:
    array = np.array(WORKED, dtype=np.int64)
    assert ikm_from_responses(array) == ikm_from_responses(WORKED)
    with_nan = array.astype(float)
    with_nan[0, 0] = np.nan
    with pytest.raises(DataError, match="missing answer"):
        ikm_from_responses(with_nan)
    skipped = ikm_from_responses(with_nan, missing="skip")
    assert skipped.nrr["persyaratan"] == Fraction(105 - WORKED[0][0], 28)
    with pytest.raises(DataError, match="2-D"):
        ikm_from_responses(np.array([3] * 9))


# ------------------------------------------------------------------------------------------- properties

answers = st.integers(min_value=1, max_value=4)
tables = st.lists(st.lists(answers, min_size=9, max_size=9), min_size=1, max_size=15)


@settings(max_examples=60, deadline=None)
@given(tables)
def test_index_within_scale(rows: list[list[int]]) -> None:
    r = ikm_from_responses(rows)
    assert 1 <= r.indeks <= 4
    assert Decimal(25) <= r.konversi <= Decimal(100)
    assert r.mutu in {"A", "B", "C", "D"}


@settings(max_examples=60, deadline=None)
@given(tables, st.randoms(use_true_random=False))
def test_permutation_of_respondents_changes_nothing(rows: list[list[int]], rnd: object) -> None:
    shuffled = list(rows)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert ikm_from_responses(shuffled) == ikm_from_responses(rows)


@settings(max_examples=60, deadline=None)
@given(tables, st.data())
def test_raising_one_answer_never_lowers_the_index(rows: list[list[int]], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(rows) - 1))
    j = data.draw(st.integers(0, 8))
    raised = [list(row) for row in rows]
    raised[i][j] = data.draw(st.integers(rows[i][j], 4))
    before, after = ikm_from_responses(rows), ikm_from_responses(raised)
    assert after.indeks >= before.indeks
    assert after.konversi >= before.konversi


@settings(max_examples=60, deadline=None)
@given(tables)
def test_index_from_responses_equals_index_from_nrr(rows: list[list[int]]) -> None:
    r = ikm_from_responses(rows)
    assert ikm(r.nrr).indeks == r.indeks


# ------------------------------------------------------------------------------------------- CSV and table


def write(tmp_path: Path, text: str, name: str = "skm.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_survey_csv_with_identifiers_id_and_extra_columns(tmp_path: Path) -> None:
    header = "responden,umur," + ",".join(UNSUR)
    lines = [header] + [f"R{n},30," + ",".join(map(str, row)) for n, row in enumerate(WORKED, 1)]
    survey = read_survey_csv(write(tmp_path, "\n".join(lines) + "\n"))
    assert isinstance(survey, Survey)
    assert len(survey) == 29
    assert survey.ids[0] == "R1"
    assert survey.lines[:2] == (2, 3)
    assert ikm_from_responses(survey).konversi == Decimal("91.48")


def test_read_survey_csv_semicolons_bom_blank_lines_and_missing(tmp_path: Path) -> None:
    text = "\ufeffNo;U1;U2;U3;U4;U5;U6;U7;U8;U9\n1;4;3;3;4;3;3;4;4;4\n\n2;3;;3;4;3;3;3;3;4\n"
    survey = read_survey_csv(write(tmp_path, text))
    assert survey.rows == ((4, 3, 3, 4, 3, 3, 4, 4, 4), (3, None, 3, 4, 3, 3, 3, 3, 4))
    assert survey.lines == (2, 4)
    with pytest.raises(DataError) as err:
        ikm_from_responses(survey)
    (problem,) = err.value.problems
    assert (problem.source, problem.line, problem.record, problem.field) == (
        str(tmp_path / "skm.csv"),
        4,
        "2",
        "sistem_mekanisme_prosedur",
    )
    assert ikm_from_responses(survey, missing="skip").nrr["sistem_mekanisme_prosedur"] == 3


def test_read_survey_csv_reports_bad_cells_with_file_line_and_column(tmp_path: Path) -> None:
    text = "u1,u2,u3,u4,u5,u6,u7,u8,u9\n4,3,3,4,3,3,4,4,x\n0,3,3,4,3,3,4,4,4\n4,3,2.5,4,3,3,4,4,4\n"
    path = write(tmp_path, text)
    with pytest.raises(DataError) as err:
        read_survey_csv(path)
    found = {(p.source, p.line, p.field) for p in err.value.problems}
    assert found == {(str(path), 2, "u9"), (str(path), 3, "u1"), (str(path), 4, "u3")}


def test_read_survey_csv_header_problems(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="missing column") as err:
        read_survey_csv(write(tmp_path, "u1,u2,u3,u4,u5,u6,u7,u8\n4,3,3,4,3,3,4,4\n"))
    assert err.value.problems[0].line == 1
    with pytest.raises(DataError, match="duplicate column"):
        read_survey_csv(write(tmp_path, "u1,persyaratan,u2,u3,u4,u5,u6,u7,u8,u9\n"))
    with pytest.raises(DataError, match="duplicate respondent id"):
        read_survey_csv(write(tmp_path, "id,u1,u2,u3,u4,u5,u6,u7,u8,u9\nA,4,4,4,4,4,4,4,4,4\nA,4,4,4,4,4,4,4,4,4\n"))
    with pytest.raises(DataError, match="empty"):
        read_survey_csv(write(tmp_path, ""))
    with pytest.raises(DataError, match=r"absent\.csv: no such file"):
        read_survey_csv(tmp_path / "absent.csv")


def test_format_table() -> None:
    text = format_table(ikm_from_responses(WORKED, population=100))
    assert "Persyaratan" in text
    assert "Penanganan Pengaduan, Saran dan Masukan" in text
    assert "3.621" in text
    assert "1/9" in text
    assert "IKM konversi: 91.48" in text
    assert "Mutu pelayanan: A (Sangat Baik)" in text
    assert "80, KURANG" in text
    printed = format_table(ikm_from_responses(WORKED, printed_weight=Decimal("0.11"), nrr_places=2))
    assert " 3.62  0.11" in printed
    assert "IKM konversi: 90.59" in printed
