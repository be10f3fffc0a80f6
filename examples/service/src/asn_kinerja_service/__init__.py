"""asn_kinerja_service: a reference district service — the asn_kinerja library behind an HTTP API on PostgreSQL.

Modules: :mod:`.config` (settings from the environment), :mod:`.db` (connection pool, SQL migrations),
:mod:`.localpg` (a throw-away local PostgreSQL), :mod:`.uploads` and :mod:`.records` (datasets from uploads),
:mod:`.policies`, :mod:`.repository` (every SQL statement), :mod:`.evaluations` (evaluate and store in one
transaction), :mod:`.auth`, :mod:`.api` (the HTTP routes) and :mod:`.devserver` (one command to run it all locally).
"""

__version__ = "0.1.0"
