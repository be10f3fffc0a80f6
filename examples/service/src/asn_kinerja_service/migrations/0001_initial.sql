-- The first schema: agencies and their API keys, periods, datasets, policies, evaluations with their results,
-- explain steps and unit reports, and adjustments (keberatan).

CREATE TABLE agencies (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL UNIQUE CHECK (name <> ''),
    api_key_hash bytea NOT NULL UNIQUE,           -- SHA-256 of the key; the key itself is shown once
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE periods (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id  bigint NOT NULL REFERENCES agencies,
    period     text NOT NULL,                     -- the dataset's period id, e.g. '2025'
    starts     date NOT NULL,
    ends       date NOT NULL,
    kind       text NOT NULL,
    UNIQUE (agency_id, period)
);

CREATE TABLE datasets (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id       bigint NOT NULL REFERENCES agencies,
    period_id       bigint NOT NULL REFERENCES periods,
    idempotency_key text,
    format          text NOT NULL CHECK (format IN ('csv-zip', 'parquet-zip', 'json')),
    content         bytea NOT NULL,               -- the upload as received, validated
    sha256          text NOT NULL,
    agency_name     text NOT NULL,                -- as the dataset names it
    units           integer NOT NULL,
    employees       integer NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (agency_id, idempotency_key)
);
CREATE INDEX datasets_agency ON datasets (agency_id, id);

CREATE TABLE policies (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id  bigint NOT NULL REFERENCES agencies,
    policy     text NOT NULL,                     -- the policy's own id
    title      text NOT NULL,
    regime     text NOT NULL,
    yaml       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX policies_agency ON policies (agency_id, id);

CREATE TABLE evaluations (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id       bigint NOT NULL REFERENCES agencies,
    dataset_id      bigint NOT NULL REFERENCES datasets,
    builtin_policy  text,
    policy_id       bigint REFERENCES policies,
    idempotency_key text,
    regime          text NOT NULL,
    header          json NOT NULL,                -- the library's JSON: policy, dataset, summary, cascading
    employees       integer NOT NULL,
    adjustments     integer NOT NULL,             -- adjustments recorded in the service that were applied
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((builtin_policy IS NULL) <> (policy_id IS NULL)),
    UNIQUE (agency_id, idempotency_key)
);
CREATE INDEX evaluations_agency ON evaluations (agency_id, id);

CREATE TABLE results (
    evaluation_id   bigint NOT NULL REFERENCES evaluations ON DELETE CASCADE,
    ordinal         integer NOT NULL,             -- the library's order: unit id, then employee id
    employee_id     text NOT NULL,
    unit_id         text NOT NULL,
    predikat        text NOT NULL,                -- final label (after any adjustment)
    predikat_matrix text,                         -- the matrix's label (PermenPANRB 6/2022 only)
    adjusted        boolean NOT NULL,
    result          json NOT NULL,                -- EmployeeResult.to_dict(): published figures only
    explain         json NOT NULL,                -- explain().to_list()
    PRIMARY KEY (evaluation_id, ordinal),
    UNIQUE (evaluation_id, employee_id)
);
CREATE INDEX results_unit ON results (evaluation_id, unit_id, ordinal);

CREATE TABLE unit_reports (
    evaluation_id bigint NOT NULL REFERENCES evaluations ON DELETE CASCADE,
    ordinal       integer NOT NULL,
    unit_id       text NOT NULL,
    report        json NOT NULL,                  -- UnitReport.to_dict(): counts, shares, distribution guidance
    PRIMARY KEY (evaluation_id, ordinal),
    UNIQUE (evaluation_id, unit_id)
);

-- A keberatan: the predikat of one employee changed by an authorised person, for one dataset under one policy;
-- every later evaluation of that dataset under that policy applies it.
CREATE TABLE adjustments (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id      bigint NOT NULL REFERENCES agencies,
    dataset_id     bigint NOT NULL REFERENCES datasets,
    builtin_policy text,
    policy_id      bigint REFERENCES policies,
    evaluation_id  bigint NOT NULL REFERENCES evaluations,   -- the evaluation objected to
    employee_id    text NOT NULL,
    decided_by     text NOT NULL CHECK (decided_by <> ''),   -- who decided (NIP of the authorised official)
    decided_on     date NOT NULL,                            -- when it was decided
    from_predikat  text NOT NULL,
    to_predikat    text NOT NULL,
    reason         text NOT NULL CHECK (reason <> ''),
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((builtin_policy IS NULL) <> (policy_id IS NULL)),
    CHECK (from_predikat <> to_predikat)
);
CREATE UNIQUE INDEX adjustments_once ON adjustments
    (dataset_id, coalesce(builtin_policy, ''), coalesce(policy_id, 0), employee_id);
