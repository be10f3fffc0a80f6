"""The regulations as small pure functions and data tables, with exact arithmetic.

One module a regulation: :mod:`~asn_kinerja.rules.permenpanrb_6_2022`, :mod:`~asn_kinerja.rules.pp30_2019`,
:mod:`~asn_kinerja.rules.pp46_2011`, :mod:`~asn_kinerja.rules.skm_2017`,
:mod:`~asn_kinerja.rules.angka_kredit_2023`.
"""
