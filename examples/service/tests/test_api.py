"""The API end to end: upload, evaluate, read back, 422 problems, idempotency, isolation, adjustments, compare."""

from __future__ import annotations

import json
import threading

import asn_kinerja
import httpx

from asn_kinerja_service.localpg import LocalPostgres
from conftest import BUNGO, POLICIES, Server, count, evaluate, upload, zip_folder


def test_upload_evaluate_and_read_back_match_the_library(server: Server, bungo_zip: bytes) -> None:
    with server.agency() as client:
        created = upload(client, bungo_zip)
        assert created.status_code == 201, created.text
        dataset = created.json()
        assert (dataset["format"], dataset["employees"], dataset["units"]) == ("csv-zip", 61, 8)
        assert dataset["period"] == {"id": "2025", "start": "2025-01-01", "end": "2025-12-31"}

        response = evaluate(client, dataset["id"])
        assert response.status_code == 201, response.text
        evaluation = response.json()
        expected = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), asn_kinerja.load_dataset(BUNGO))
        payload = expected.to_dict()
        assert evaluation["summary"] == payload["summary"]
        assert evaluation["policy"] == payload["policy"]
        assert evaluation["cascading"] == payload["cascading"]

        employees, cursor = [], -1
        while cursor is not None:  # pages of 25 in the library's order
            page = client.get(f"/evaluations/{evaluation['id']}/employees", params={"cursor": cursor, "limit": 25})
            assert page.status_code == 200
            employees += page.json()["items"]
            cursor = page.json()["next_cursor"]
        assert employees == payload["employees"]

        units = client.get(f"/evaluations/{evaluation['id']}/units", params={"limit": 1000}).json()
        assert units["items"] == payload["units"] and units["next_cursor"] is None
        assert any(u["distribution"] is not None for u in units["items"])  # the distribution guidance is there

        one = payload["employees"][3]["employee_id"]
        unit = payload["employees"][3]["unit_id"]
        by_unit = client.get(f"/evaluations/{evaluation['id']}/employees", params={"unit_id": unit}).json()["items"]
        assert [r["employee_id"] for r in by_unit] == [
            r["employee_id"] for r in payload["employees"] if r["unit_id"] == unit
        ]
        detail = client.get(f"/evaluations/{evaluation['id']}/employees/{one}").json()
        assert detail["result"] == expected[one].to_dict()
        assert detail["explain"] == expected[one].explain().to_list()
        assert client.get(f"/evaluations/{evaluation['id']}/employees/nobody").status_code == 404


def test_openapi_is_served(server: Server) -> None:
    with server.client() as client:
        spec = client.get("/openapi.json").json()
        assert {"/datasets", "/evaluations", "/evaluations/{evaluation_id}/adjustments"} <= set(spec["paths"])
        assert client.get("/docs").status_code == 200


def test_every_dataset_problem_is_a_422_with_file_line_record_field(server: Server) -> None:
    indicators = (BUNGO / "indicators.csv").read_text().splitlines()
    header = indicators[0].split(",")
    row = indicators[2].split(",")
    row[header.index("target")] = "0"
    indicators[2] = ",".join(row)
    employees = (BUNGO / "employees.csv").read_text().splitlines()
    employees[5] = employees[5].replace(",JA,", ",staf,").replace(",JF,", ",staf,")
    bad = zip_folder(
        BUNGO, {"indicators.csv": "\n".join(indicators) + "\n", "employees.csv": "\n".join(employees) + "\n"}
    )
    with server.agency() as client:
        response = upload(client, bad)
        assert response.status_code == 422
        body = response.json()
        assert body["error"] == "invalid data"
        problems = body["problems"]
        assert {"source", "line", "record", "field", "message"} == set(problems[0])
        assert {"source": "indicators.csv", "line": 3, "record": row[0], "field": "target"}.items() <= problems[
            [p["source"] for p in problems].index("indicators.csv")
        ].items()
        assert any(
            p["source"] == "employees.csv" and p["line"] == 6 and p["field"] == "jenis_jabatan" for p in problems
        )
        assert count_datasets(client) == 0  # nothing stored

        period = {"id": "2025", "start": "2025-01-01", "end": "2025-13-01"}
        records = {"agency": "X", "period": period, "units": [], "employees": [{"employee_id": "E"}], "rhk": [],
                   "indicators": []}  # fmt: skip
        response = upload(client, json.dumps(records).encode(), media="application/json")
        assert response.status_code == 422
        fields = {p["field"] for p in response.json()["problems"]}
        assert {"period.end", "employees[0].name", "employees[0].unit_id", "employees[0].jenis_jabatan"} <= fields

        assert upload(client, b"PK not a zip").json()["problems"][0]["message"] == "not a zip file"
        assert upload(client, b"x", media="text/csv").status_code == 422
        body_problem = client.post("/evaluations", json={"dataset_id": "one"}).json()
        assert body_problem["error"] == "invalid request"
        assert {p["field"] for p in body_problem["problems"]} >= {"body.dataset_id"}


def count_datasets(client: httpx.Client) -> int:
    return len(client.get("/datasets").json()["items"])


def test_json_records_of_the_tutorial_are_accepted(server: Server) -> None:
    body = {
        "agency": "Dinas Kominfo",
        "period": {"id": "2025", "start": "2025-01-01", "end": "2025-12-31"},
        "units": [{"unit_id": "KOMINFO", "name": "Dinas Komunikasi dan Informatika"}],
        "employees": [
            {"employee_id": "197003152000031001", "name": "Rahmat Hidayat", "unit_id": "KOMINFO",
             "jenis_jabatan": "JPT"},
            {"employee_id": "199107072019031003", "name": "Andi Pratama", "unit_id": "KOMINFO", "jenis_jabatan": "JA",
             "superior_id": "197003152000031001"},
        ],
        "rhk": [{"rhk_id": "RHK-1", "employee_id": "197003152000031001", "text": "Keterbukaan informasi"},
                {"rhk_id": "RHK-3", "employee_id": "199107072019031003", "intervensi_id": "RHK-1", "text": "Layanan"}],
        "indicators": [{"indicator_id": "IKI-1", "rhk_id": "RHK-1", "text": "Indeks", "target": 80, "realisasi": 84},
                       {"indicator_id": "IKI-3", "rhk_id": "RHK-3", "text": "Hari", "aspect": "waktu",
                        "direction": "lower", "target": [5, 7], "realisasi": 8}],
        "evaluations": [{"employee_id": "197003152000031001", "rating_hasil_kerja": "sesuai",
                         "rating_perilaku_kerja": "sesuai"},
                        {"employee_id": "199107072019031003", "rating_perilaku_kerja": "sesuai"}],
    }  # fmt: skip
    with server.agency() as client:
        created = upload(client, json.dumps(body).encode(), media="application/json")
        assert created.status_code == 201, created.text
        assert created.json()["format"] == "json"
        evaluation = evaluate(client, created.json()["id"]).json()
        andi = client.get(f"/evaluations/{evaluation['id']}/employees/199107072019031003").json()["result"]
        assert (andi["capaian"], andi["rating_hasil_kerja"]) == ("85.71", "di_bawah")


def test_the_same_idempotency_key_stores_one_dataset(server: Server, postgres: LocalPostgres, bungo_zip: bytes) -> None:
    with server.agency() as client:
        agency_id = client.get("/agency").json()["id"]
        results: list[int] = []

        def send() -> None:
            response = upload(client, bungo_zip, key="upload-2025-01")
            results.append(response.status_code)

        threads = [threading.Thread(target=send) for _ in range(4)]  # concurrent twins, then one more
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        send()
        assert sorted(results) == [200, 200, 200, 200, 201]
        assert count(postgres.conninfo, "SELECT count(*) FROM datasets WHERE agency_id = %s", agency_id) == 1
        other = zip_folder(BUNGO, {"adjustments.csv": "employee_id,by,on,from_predikat,to_predikat,reason\n"})
        assert upload(client, other, key="upload-2025-01").status_code == 409  # same key, another upload
        assert upload(client, other, key="upload-2025-02").status_code == 201

        dataset_id = client.get("/datasets").json()["items"][0]["id"]
        first = client.post(
            "/evaluations", json={"dataset_id": dataset_id, "policy": "permenpanrb-6-2022"},
            headers={"Idempotency-Key": "eval-1"},
        )  # fmt: skip
        again = client.post(
            "/evaluations", json={"dataset_id": dataset_id, "policy": "permenpanrb-6-2022"},
            headers={"Idempotency-Key": "eval-1"},
        )  # fmt: skip
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"]
        assert count(postgres.conninfo, "SELECT count(*) FROM evaluations WHERE agency_id = %s", agency_id) == 1


def test_an_agency_never_reads_another_agencys_data(server: Server, bungo_zip: bytes) -> None:
    with server.agency() as a, server.agency() as b:
        dataset = upload(a, bungo_zip).json()
        evaluation = evaluate(a, dataset["id"]).json()
        policy = a.post("/policies", content=(POLICIES / "three-sixty.yaml").read_bytes(),
                        headers={"Content-Type": "application/yaml"}).json()  # fmt: skip
        e = evaluation["id"]
        employee = a.get(f"/evaluations/{e}/employees", params={"limit": 1}).json()["items"][0]["employee_id"]
        for path in [f"/datasets/{dataset['id']}", f"/evaluations/{e}", f"/evaluations/{e}/employees",
                     f"/evaluations/{e}/employees/{employee}", f"/evaluations/{e}/units",
                     f"/evaluations/{e}/adjustments", f"/policies/{policy['id']}"]:  # fmt: skip
            assert a.get(path).status_code == 200, path
            assert b.get(path).status_code == 404, path
        assert b.get("/datasets").json()["items"] == []
        assert b.get("/evaluations").json()["items"] == []
        assert b.get("/policies").json()["uploaded"] == []
        assert evaluate(b, dataset["id"]).status_code == 404
        assert b.post("/evaluations", json={"dataset_id": dataset["id"], "policy_id": policy["id"]}).status_code == 404
        b_dataset = upload(b, bungo_zip).json()
        assert (
            b.post("/evaluations", json={"dataset_id": b_dataset["id"], "policy_id": policy["id"]}).status_code == 404
        )
        compare = {"a": {"policy": "permenpanrb-6-2022"}, "b": {"policy": "permenpanrb-6-2022"}}
        assert b.post(f"/datasets/{dataset['id']}/compare", json=compare).status_code == 404
        adjustment = {"employee_id": employee, "by": "x", "to_predikat": "baik", "reason": "r"}
        assert b.post(f"/evaluations/{e}/adjustments", json=adjustment).status_code == 404
        assert b.post(f"/evaluations/{e}/reevaluate").status_code == 404
    with server.client() as anonymous, server.client("ak_not-a-key") as wrong:
        assert anonymous.get(f"/datasets/{dataset['id']}").status_code == 401
        assert wrong.get(f"/datasets/{dataset['id']}").status_code == 401
        assert anonymous.post("/admin/agencies", json={"name": "x"}).status_code == 403


def test_an_adjustment_is_recorded_and_applied_by_re_evaluation(server: Server, bungo_zip: bytes) -> None:
    with server.agency() as client:
        dataset = upload(client, bungo_zip).json()
        first = evaluate(client, dataset["id"]).json()
        items = client.get(f"/evaluations/{first['id']}/employees", params={"limit": 1000}).json()["items"]
        target = next(r for r in items if r["predikat"] == "butuh_perbaikan" and r["adjustment"] is None)
        already = next(r for r in items if r["adjustment"] is not None)  # adjusted in the upload's adjustments.csv
        url = f"/evaluations/{first['id']}/adjustments"
        decision = {"employee_id": target["employee_id"], "by": "197502132009021002", "on": "2026-01-28",
                    "to_predikat": "baik", "reason": "Keberatan diterima: realisasi terlambat diinput"}  # fmt: skip
        recorded = client.post(url, json=decision)
        assert recorded.status_code == 201, recorded.text
        assert {k: recorded.json()[k] for k in ("employee_id", "decided_by", "decided_on", "from_predikat",
                                                "to_predikat", "reason")} == {
            "employee_id": target["employee_id"], "decided_by": "197502132009021002", "decided_on": "2026-01-28",
            "from_predikat": "butuh_perbaikan", "to_predikat": "baik", "reason": decision["reason"]}  # fmt: skip
        assert client.post(url, json=decision).status_code == 409  # once per employee, dataset and policy
        assert client.post(url, json={**decision, "employee_id": already["employee_id"]}).status_code == 409
        same = client.post(url, json={**decision, "employee_id": items[0]["employee_id"],
                                      "to_predikat": items[0]["predikat"]})  # fmt: skip
        assert same.status_code == 422 and same.json()["problems"][0]["field"] == "to_predikat"
        assert client.post(url, json={**decision, "to_predikat": "luar biasa"}).status_code == 422

        second = client.post(f"/evaluations/{first['id']}/reevaluate")
        assert second.status_code == 201, second.text
        second_id = second.json()["id"]
        assert second_id != first["id"] and second.json()["adjustments_applied"] == 1
        after = client.get(f"/evaluations/{second_id}/employees/{target['employee_id']}").json()
        assert (after["result"]["predikat"], after["result"]["predikat_label"]) == ("baik", "Baik")
        assert after["result"]["predikat_matrix"] == "butuh_perbaikan"
        assert after["result"]["adjustment"] == {
            "by": "197502132009021002", "on": "2026-01-28", "from": "butuh_perbaikan", "from_label": "Butuh Perbaikan",
            "to": "baik", "to_label": "Baik", "reason": decision["reason"],
        }  # fmt: skip
        counts = second.json()["summary"]["predikat"]
        before = first["summary"]["predikat"]
        assert (counts["baik"], counts["butuh_perbaikan"]) == (before["baik"] + 1, before["butuh_perbaikan"] - 1)
        # the first evaluation is kept as it was
        unchanged = client.get(f"/evaluations/{first['id']}/employees/{target['employee_id']}").json()
        assert unchanged["result"]["predikat"] == "butuh_perbaikan"
        assert len(client.get(f"/evaluations/{second_id}/adjustments").json()) == 1


def test_two_policies_are_compared_and_uploaded_policies_are_checked(server: Server, bungo_zip: bytes) -> None:
    with server.agency() as client:
        dataset = upload(client, bungo_zip).json()
        policy = client.post("/policies", content=(POLICIES / "supervisor-only.yaml").read_bytes(),
                             headers={"Content-Type": "application/yaml"})  # fmt: skip
        assert policy.status_code == 201, policy.text
        response = client.post(
            f"/datasets/{dataset['id']}/compare",
            json={"a": {"policy": "permenpanrb-6-2022"}, "b": {"policy_id": policy.json()["id"]}},
        )
        assert response.status_code == 200, response.text
        expected = asn_kinerja.compare(
            "permenpanrb-6-2022", POLICIES / "supervisor-only.yaml", asn_kinerja.load_dataset(BUNGO)
        ).to_dict()
        assert response.json() == expected

        outside = client.post("/policies", content=b"id: x\nextends: ../../../etc/passwd\n",
                              headers={"Content-Type": "application/yaml"})  # fmt: skip
        assert outside.status_code == 422
        assert outside.json()["problems"][0]["field"] == "extends"
        broken = client.post("/policies", content=b"id: x\nextends: permenpanrb-6-2022\nmatrix: 3\nmatrix: 4\n",
                             headers={"Content-Type": "application/yaml"})  # fmt: skip
        assert broken.status_code == 422 and broken.json()["error"] == "invalid policy"
        assert all(p["line"] is not None for p in broken.json()["problems"])
        unknown = client.post("/evaluations", json={"dataset_id": dataset["id"], "policy": "no-such-policy"})
        assert unknown.status_code == 422 and unknown.json()["problems"][0]["field"] == "policy"
