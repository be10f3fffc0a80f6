"""The HTTP API (FastAPI): routes, request bodies, and the mapping of every error to one JSON shape.

Errors: a problem with the input (a dataset, a policy, a request body) is HTTP 422 with
``{"error": "invalid data" | "invalid policy" | "invalid request", "problems": [{source, line, record, field,
message}, ...]}`` — every problem at once, as the library reports them. A missing or unknown API key is 401;
anything of another agency is 404, exactly like something that does not exist; a conflict (an idempotency key
reused for another request, a second adjustment) is 409.

Evaluation is CPU work: the routes are plain functions (run in the thread pool) or hand that work to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

import asn_kinerja
import attrs
from asn_kinerja import AsnKinerjaError, DataError, Problem
from fastapi import Depends, FastAPI, Header, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from psycopg_pool import ConnectionPool
from pydantic import BaseModel, Field, model_validator
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from asn_kinerja_service import __version__, auth, db, policies, repository
from asn_kinerja_service.config import Settings
from asn_kinerja_service.evaluations import NotFound, check_adjustable, compute, load_dataset, resolve_policy, store
from asn_kinerja_service.repository import PolicyRef, Row
from asn_kinerja_service.uploads import dataset_from_upload

__all__ = ["create_app"]


# --- request bodies ----------------------------------------------------------------------------------------------
class PolicyChoice(BaseModel):
    """A built-in policy by id (``policy``), or a policy uploaded by the agency (``policy_id``)."""

    policy: str | None = Field(None, description="A built-in policy id, e.g. permenpanrb-6-2022.")
    policy_id: int | None = Field(None, description="The id of a policy uploaded with POST /policies.")

    @model_validator(mode="after")
    def _one(self) -> PolicyChoice:
        if (self.policy is None) == (self.policy_id is None):
            raise ValueError("give either policy (a built-in id) or policy_id (an uploaded policy)")
        return self

    def ref(self) -> PolicyRef:
        return PolicyRef(builtin=self.policy, policy_id=self.policy_id)


class EvaluationIn(PolicyChoice):
    dataset_id: int


class CompareIn(BaseModel):
    a: PolicyChoice
    b: PolicyChoice


class AgencyIn(BaseModel):
    name: str = Field(min_length=1, max_length=300)


class AdjustmentIn(BaseModel):
    employee_id: str = Field(min_length=1)
    by: str = Field(min_length=1, description="Who decided: the NIP of the authorised official.")
    on: dt.date | None = Field(None, description="When it was decided (default: today).")
    to_predikat: str = Field(description="The predikat decided, e.g. baik or 'Sangat Baik'.")
    reason: str = Field(min_length=1, description="Why: the decision on the keberatan.")


@attrs.frozen
class Agency:
    id: int
    name: str


class Conflict(Exception):
    """A request that contradicts what is stored (HTTP 409)."""


# --- JSON of stored rows ---------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def dataset_json(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "format": row["format"],
        "sha256": row["sha256"],
        "agency": row["agency_name"],
        "period": {"id": row["period"], "start": _plain(row["starts"]), "end": _plain(row["ends"])},
        "units": row["units"],
        "employees": row["employees"],
        "idempotency_key": row["idempotency_key"],
        "created_at": _plain(row["created_at"]),
    }


def _ref(row: Row) -> PolicyRef:
    return PolicyRef(builtin=row["builtin_policy"], policy_id=row["policy_id"])


def evaluation_json(row: Row) -> dict[str, Any]:
    base = f"/evaluations/{row['id']}"
    return {
        "id": row["id"],
        "dataset_id": row["dataset_id"],
        "policy_ref": {"policy": row["builtin_policy"], "policy_id": row["policy_id"]},
        **row["header"],
        "employees": row["employees"],
        "adjustments_applied": row["adjustments"],
        "idempotency_key": row["idempotency_key"],
        "created_at": _plain(row["created_at"]),
        "links": {"employees": f"{base}/employees", "units": f"{base}/units", "adjustments": f"{base}/adjustments"},
    }


def adjustment_json(row: Row) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.items()}


def _page(rows: list[Row], key: str, limit: int) -> dict[str, Any]:
    return {"items": [r[key] for r in rows], "next_cursor": rows[-1]["ordinal"] if len(rows) == limit else None}


def problem_json(p: Problem) -> dict[str, Any]:
    return {"source": p.source, "line": p.line, "record": p.record, "field": p.field, "message": p.message}


# --- the work behind the routes (run in the thread pool) -------------------------------------------------------
def ingest(pool: ConnectionPool, agency_id: int, data: bytes, media_type: str, key: str | None) -> tuple[int, Row]:
    """Validate and store an upload: ``(status, dataset row)``; the same idempotency key gives the same row."""
    digest = hashlib.sha256(data).hexdigest()

    def replay(existing: Row) -> tuple[int, Row]:
        if existing["sha256"] != digest:
            raise Conflict("this Idempotency-Key was used for a different upload")
        return 200, existing

    if key is not None:
        with pool.connection() as conn:
            existing = repository.dataset_by_key(conn, agency_id, key)
        if existing is not None:
            return replay(existing)
    fmt, dataset = dataset_from_upload(data, media_type)
    fields = {
        "format": fmt,
        "content": data,
        "sha256": digest,
        "agency_name": dataset.agency,
        "units": len(dataset.units),
        "employees": len(dataset.employees),
    }
    with pool.connection() as conn, conn.transaction():
        period, stored = repository.period_id(conn, agency_id, dataset.period)
        if (stored["starts"], stored["ends"]) != (dataset.period.start, dataset.period.end):
            raise DataError(
                [
                    Problem(
                        f"period {dataset.period.id!r} is stored as {stored['starts']} – {stored['ends']}: a period "
                        "keeps its dates",
                        source="upload",
                        field="period",
                    )
                ]
            )
        new = repository.insert_dataset(conn, agency_id, period, key, fields)
        row = None if new is None else repository.dataset(conn, agency_id, new)
    if row is not None:
        return 201, row
    assert key is not None  # only an idempotency key makes the insert conflict: a concurrent twin won
    with pool.connection() as conn:
        twin = repository.dataset_by_key(conn, agency_id, key)
    assert twin is not None
    return replay(twin)


def run_evaluation(
    pool: ConnectionPool, settings: Settings, agency_id: int, dataset_id: int, ref: PolicyRef, key: str | None
) -> tuple[int, Row]:
    """Evaluate a stored dataset (with its adjustments) and store it: ``(status, evaluation row)``."""

    def replay(existing: Row) -> tuple[int, Row]:
        if existing["dataset_id"] != dataset_id or _ref(existing) != ref:
            raise Conflict("this Idempotency-Key was used for a different evaluation")
        return 200, existing

    with pool.connection() as conn:
        if key is not None and (existing := repository.evaluation_by_key(conn, agency_id, key)) is not None:
            return replay(existing)
        row = repository.dataset(conn, agency_id, dataset_id, content=True)
        if row is None:
            raise NotFound(f"dataset {dataset_id}")
        policy = resolve_policy(conn, agency_id, ref)
        adjustments = repository.adjustments_for(conn, agency_id, dataset_id, ref)
    computed = compute(policy, load_dataset(row, adjustments))
    evaluation_id, created = store(
        pool,
        agency_id=agency_id,
        dataset_id=dataset_id,
        ref=ref,
        key=key,
        computed=computed,
        adjustments=len(adjustments),
        hold_dir=settings.test_hold_dir,
    )
    with pool.connection() as conn:
        stored = repository.evaluation(conn, agency_id, evaluation_id)
    assert stored is not None
    return (201, stored) if created else replay(stored)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) beyond ``limit`` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the body is larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


_API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, description="The agency's API key.")


def current_agency(request: Request, key: Annotated[str | None, Security(_API_KEY)]) -> Agency:
    """The agency whose key the request carries (401 without a known key)."""
    if not key:
        raise HTTPException(401, "an API key is required (X-API-Key)")
    pool: ConnectionPool = request.app.state.pool
    with pool.connection() as conn:
        row = repository.agency_by_key_hash(conn, auth.key_hash(key))
    if row is None:
        raise HTTPException(401, "unknown API key")
    return Agency(id=row["id"], name=row["name"])


Me = Annotated[Agency, Depends(current_agency)]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200, description="Re-sending the same key returns the first result."),
]
Cursor = Annotated[int, Query(ge=-1, description="next_cursor of the previous page")]
Limit = Annotated[int, Query(ge=1, le=1000)]


# --- the app -----------------------------------------------------------------------------------------------------
def create_app(settings: Settings | None = None) -> FastAPI:
    """The application; its settings from the environment unless given (:class:`~.config.Settings`)."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pool = db.make_pool(settings.database_url, settings.pool_size)
        try:
            yield
        finally:
            app.state.pool.close()

    app = FastAPI(
        title="asn_kinerja reference district service",
        version=__version__,
        description=(
            "Upload an agency's dataset, evaluate it under a policy (PermenPANRB 6/2022 or an uploaded YAML), "
            "read the results per employee and per unit, compare two policies, record a keberatan and re-evaluate. "
            "Authenticate with the agency's key in the X-API-Key header."
        ),
        lifespan=lifespan,
    )

    def pool() -> ConnectionPool:
        p: ConnectionPool = app.state.pool
        return p

    # --- errors -----------------------------------------------------------------------------------------------
    @app.exception_handler(AsnKinerjaError)
    async def invalid_input(request: Request, err: AsnKinerjaError) -> JSONResponse:
        return JSONResponse(
            {"error": f"invalid {err.kind}", "problems": [problem_json(p) for p in err.problems]}, status_code=422
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, err: RequestValidationError) -> JSONResponse:
        problems = [
            {"source": "request", "line": None, "record": None,
             "field": ".".join(str(part) for part in e.get("loc", ())), "message": str(e.get("msg", ""))}
            for e in err.errors()
        ]  # fmt: skip
        return JSONResponse({"error": "invalid request", "problems": problems}, status_code=422)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, err: NotFound) -> JSONResponse:
        return JSONResponse({"error": f"not found: {err}"}, status_code=404)

    @app.exception_handler(Conflict)
    async def conflict(request: Request, err: Conflict) -> JSONResponse:
        return JSONResponse({"error": str(err)}, status_code=409)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException) -> JSONResponse:
        return JSONResponse({"error": err.detail}, status_code=err.status_code, headers=err.headers)

    def own_evaluation(agency: Agency, evaluation_id: int) -> Row:
        with pool().connection() as conn:
            row = repository.evaluation(conn, agency.id, evaluation_id)
        if row is None:
            raise NotFound(f"evaluation {evaluation_id}")
        return row

    # --- administration and the agency ----------------------------------------------------------------------
    @app.get("/healthz", tags=["service"])
    def healthz() -> dict[str, str]:
        with pool().connection() as conn:
            conn.execute("SELECT 1")
        return {"status": "ok", "asn_kinerja": asn_kinerja.__version__}

    @app.post("/admin/agencies", status_code=201, tags=["administration"])
    def create_agency(body: AgencyIn, token: Annotated[str | None, Header(alias="X-Admin-Token")] = None) -> Any:
        """Make an agency and its API key (shown only here, once)."""
        if not auth.admin_ok(token, settings.admin_token):
            raise HTTPException(403, "the administrator's token (X-Admin-Token) is required")
        key = auth.new_key()
        with pool().connection() as conn:
            row = repository.create_agency(conn, body.name, auth.key_hash(key))
        if row is None:
            raise Conflict(f"an agency named {body.name!r} exists")
        return {"id": row["id"], "name": row["name"], "api_key": key, "created_at": _plain(row["created_at"])}

    @app.get("/agency", tags=["agency"])
    def me(agency: Me) -> dict[str, Any]:
        return {"id": agency.id, "name": agency.name}

    @app.get("/periods", tags=["agency"])
    def list_periods(agency: Me) -> Any:
        with pool().connection() as conn:
            return [{k: _plain(v) for k, v in r.items()} for r in repository.periods(conn, agency.id)]

    # --- datasets ---------------------------------------------------------------------------------------------
    upload_body = {
        "requestBody": {
            "required": True,
            "content": {
                "application/zip": {
                    "schema": {"type": "string", "format": "binary"},
                    "description": "A zipped dataset folder: dataset.yaml with CSV or Parquet files.",
                },
                "application/json": {
                    "schema": {"type": "object"},
                    "description": "The JSON records of the developer tutorial.",
                },
            },
        }
    }

    @app.post("/datasets", status_code=201, tags=["datasets"], openapi_extra=upload_body)
    async def upload_dataset(request: Request, agency: Me, key: IdempotencyKey = None) -> JSONResponse:
        """Upload and validate a dataset: 201 when stored, 200 when the Idempotency-Key was seen with the same
        upload, 422 with every problem (file, line, record, field) when it is invalid."""
        data = await read_body(request, settings.max_upload)
        media = request.headers.get("content-type", "")
        status, row = await run_in_threadpool(ingest, pool(), agency.id, data, media, key)
        return JSONResponse(dataset_json(row), status_code=status)

    @app.get("/datasets", tags=["datasets"])
    def list_datasets(agency: Me, cursor: Cursor = 0, limit: Limit = 100) -> dict[str, Any]:
        with pool().connection() as conn:
            rows = repository.datasets(conn, agency.id, cursor, limit)
        return {"items": [dataset_json(r) for r in rows], "next_cursor": rows[-1]["id"] if len(rows) == limit else None}

    @app.get("/datasets/{dataset_id}", tags=["datasets"])
    def get_dataset(dataset_id: int, agency: Me) -> dict[str, Any]:
        """A dataset's description (never its records: they hold every individual rating)."""
        with pool().connection() as conn:
            row = repository.dataset(conn, agency.id, dataset_id)
        if row is None:
            raise NotFound(f"dataset {dataset_id}")
        return dataset_json(row)

    @app.post("/datasets/{dataset_id}/compare", tags=["datasets"])
    def compare(dataset_id: int, body: CompareIn, agency: Me) -> Any:
        """Compare two policies on a dataset (as uploaded): predikat transitions, unit verdicts, every change."""
        with pool().connection() as conn:
            row = repository.dataset(conn, agency.id, dataset_id, content=True)
            if row is None:
                raise NotFound(f"dataset {dataset_id}")
            a = resolve_policy(conn, agency.id, body.a.ref())
            b = resolve_policy(conn, agency.id, body.b.ref())
        return asn_kinerja.compare(a, b, load_dataset(row)).to_dict()

    # --- policies -----------------------------------------------------------------------------------------------
    @app.post(
        "/policies",
        status_code=201,
        tags=["policies"],
        openapi_extra={
            "requestBody": {"required": True, "content": {"application/yaml": {"schema": {"type": "string"}}}}
        },
    )
    async def upload_policy(request: Request, agency: Me) -> JSONResponse:
        """Upload a policy (YAML); it may extend only a built-in policy. 422 with every problem (line, key)."""
        data = await read_body(request, min(settings.max_upload, asn_kinerja.Limits().max_bytes))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise DataError([Problem("the policy must be UTF-8 text", source="upload")]) from None
        policy = await run_in_threadpool(policies.load_upload, text)
        with pool().connection() as conn:
            row = repository.insert_policy(conn, agency.id, policy.id, policy.title, policy.regime, text)
        return JSONResponse({k: _plain(v) for k, v in row.items()}, status_code=201)

    @app.get("/policies", tags=["policies"])
    def list_policies(agency: Me) -> dict[str, Any]:
        with pool().connection() as conn:
            rows = repository.policies(conn, agency.id)
        return {
            "builtin": list(asn_kinerja.builtin_ids()),
            "uploaded": [{k: _plain(v) for k, v in r.items()} for r in rows],
        }

    @app.get("/policies/{policy_id}", tags=["policies"])
    def get_policy(policy_id: int, agency: Me) -> dict[str, Any]:
        with pool().connection() as conn:
            row = repository.policy(conn, agency.id, policy_id)
        if row is None:
            raise NotFound(f"policy {policy_id}")
        return {k: _plain(v) for k, v in row.items()}

    # --- evaluations --------------------------------------------------------------------------------------------
    def evaluate_response(run: Callable[[], tuple[int, Row]]) -> JSONResponse:
        status, row = run()
        return JSONResponse(evaluation_json(row), status_code=status)

    @app.post("/evaluations", status_code=201, tags=["evaluations"])
    def evaluate(body: EvaluationIn, agency: Me, key: IdempotencyKey = None) -> JSONResponse:
        """Evaluate a dataset under a policy, with the adjustments recorded for that pair, and store it in one
        transaction: 201, or 200 for an Idempotency-Key already used for the same request."""
        return evaluate_response(lambda: run_evaluation(pool(), settings, agency.id, body.dataset_id, body.ref(), key))

    @app.get("/evaluations", tags=["evaluations"])
    def list_evaluations(
        agency: Me, dataset_id: int | None = None, cursor: Cursor = 0, limit: Limit = 100
    ) -> dict[str, Any]:
        with pool().connection() as conn:
            rows = repository.evaluations(conn, agency.id, cursor, limit, dataset_id)
        items = [evaluation_json(r) for r in rows]
        return {"items": items, "next_cursor": rows[-1]["id"] if len(rows) == limit else None}

    @app.get("/evaluations/{evaluation_id}", tags=["evaluations"])
    def get_evaluation(evaluation_id: int, agency: Me) -> dict[str, Any]:
        """The policy, the dataset, the predikat counts and the cascading defects of an evaluation."""
        return evaluation_json(own_evaluation(agency, evaluation_id))

    @app.get("/evaluations/{evaluation_id}/employees", tags=["results"])
    def employee_results(
        evaluation_id: int, agency: Me, unit_id: str | None = None, cursor: Cursor = -1, limit: Limit = 100
    ) -> dict[str, Any]:
        """Employees' results in (unit, employee id) order, a page at a time; ``unit_id`` keeps one unit's."""
        own_evaluation(agency, evaluation_id)
        with pool().connection() as conn:
            return _page(repository.results(conn, evaluation_id, cursor, limit, unit_id), "result", limit)

    @app.get("/evaluations/{evaluation_id}/employees/{employee_id}", tags=["results"])
    def employee_result(evaluation_id: int, employee_id: str, agency: Me) -> dict[str, Any]:
        """One employee's result and the steps that led to it, each with its legal reference."""
        own_evaluation(agency, evaluation_id)
        with pool().connection() as conn:
            row = repository.result(conn, evaluation_id, employee_id)
        if row is None:
            raise NotFound(f"employee {employee_id} in evaluation {evaluation_id}")
        return {"result": row["result"], "explain": row["explain"]}

    @app.get("/evaluations/{evaluation_id}/units", tags=["results"])
    def unit_results(evaluation_id: int, agency: Me, cursor: Cursor = -1, limit: Limit = 100) -> dict[str, Any]:
        """Per unit: counts and shares of predikat against the distribution guidance (SE MenPANRB 3/2023)."""
        own_evaluation(agency, evaluation_id)
        with pool().connection() as conn:
            return _page(repository.unit_reports(conn, evaluation_id, cursor, limit), "report", limit)

    # --- adjustments (keberatan) ----------------------------------------------------------------------------------
    @app.post("/evaluations/{evaluation_id}/adjustments", status_code=201, tags=["adjustments"])
    def record_adjustment(evaluation_id: int, body: AdjustmentIn, agency: Me) -> JSONResponse:
        """Record a keberatan decision: who, when, from → to, why. It applies from the next evaluation of the same
        dataset under the same policy (POST .../reevaluate)."""
        on = body.on or dt.date.today()
        with pool().connection() as conn, conn.transaction():
            ev = repository.evaluation(conn, agency.id, evaluation_id)
            if ev is None:
                raise NotFound(f"evaluation {evaluation_id}")
            stored = repository.result(conn, evaluation_id, body.employee_id)
            if stored is None:
                raise NotFound(f"employee {body.employee_id} in evaluation {evaluation_id}")
            if stored["adjusted"]:
                raise Conflict(f"the predikat of {body.employee_id} is already adjusted in this evaluation")
            origin, target = check_adjustable(ev, stored, body.to_predikat, on)
            row = repository.insert_adjustment(
                conn, agency_id=agency.id, dataset_id=ev["dataset_id"], ref=_ref(ev), evaluation_id=evaluation_id,
                employee_id=body.employee_id, by=body.by, on=on, from_predikat=origin, to_predikat=target,
                reason=body.reason,
            )  # fmt: skip
        if row is None:
            raise Conflict(f"an adjustment of {body.employee_id} is already recorded for this dataset and policy")
        return JSONResponse(adjustment_json(row), status_code=201)

    @app.get("/evaluations/{evaluation_id}/adjustments", tags=["adjustments"])
    def list_adjustments(evaluation_id: int, agency: Me) -> list[dict[str, Any]]:
        """The adjustments recorded for this evaluation's dataset and policy."""
        ev = own_evaluation(agency, evaluation_id)
        with pool().connection() as conn:
            rows = repository.adjustments_for(conn, agency.id, ev["dataset_id"], _ref(ev))
        return [adjustment_json(r) for r in rows]

    @app.post("/evaluations/{evaluation_id}/reevaluate", status_code=201, tags=["adjustments"])
    def reevaluate(evaluation_id: int, agency: Me, key: IdempotencyKey = None) -> JSONResponse:
        """A new evaluation of the same dataset under the same policy, with every adjustment recorded so far."""
        ev = own_evaluation(agency, evaluation_id)
        return evaluate_response(lambda: run_evaluation(pool(), settings, agency.id, ev["dataset_id"], _ref(ev), key))

    return app
