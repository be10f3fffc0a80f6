"""Scores the policy withholds (privacy.publish_scores, docs/privacy.md) never leave the service.

The attack of the library's own privacy tests, through HTTP: two uploads that differ only in what one anonymous
peer gave must give byte-identical responses everywhere (no level flips for this change), while under a policy
that publishes every score the same change shows — so the comparison can fail."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx

from conftest import BUNGO, POLICIES, Server, upload, zip_folder

RATEE, RATER, CRITERION = "197505191997092012", "198210142017062018", "berorientasi_pelayanan"  # a peer (rekan)
THREE_SIXTY = (POLICIES / "three-sixty.yaml").read_text()
PUBLISHING = THREE_SIXTY.replace("id: bungo-360", "id: bungo-360-published") + "privacy: {publish_scores: always}\n"
# Ids, times and the hash of the upload itself (the agency's own file) differ between the two uploads.
VOLATILE = {"id", "sha256", "dataset_id", "created_at", "links", "policy_ref", "idempotency_key", "evaluation_id"}


def peer_changed() -> bytes:
    """The example agency with one peer's rating of one value changed from 3 to 4."""
    rows = list(csv.DictReader(io.StringIO((BUNGO / "ratings.csv").read_text(), newline="")))
    hits = [r for r in rows if (r["ratee_id"], r["rater_id"], r["criterion"]) == (RATEE, RATER, CRITERION)]
    assert len(hits) == 1 and hits[0]["group"] == "rekan" and hits[0]["score"] == "3"
    hits[0]["score"] = "4"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return zip_folder(BUNGO, {"ratings.csv": out.getvalue()})


def strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def everything(client: httpx.Client, dataset_id: int, policy_id: int) -> list[Any]:
    """Every response about a dataset evaluated under a policy: the evaluation, every page of results, every
    employee's result and explanation, the unit reports, a comparison with the built-in policy."""
    evaluation = client.post("/evaluations", json={"dataset_id": dataset_id, "policy_id": policy_id})
    assert evaluation.status_code == 201, evaluation.text
    e = evaluation.json()["id"]
    out: list[Any] = [evaluation.json(), client.get(f"/evaluations/{e}").json()]
    employees = client.get(f"/evaluations/{e}/employees", params={"limit": 1000}).json()
    out.append(employees)
    out += [client.get(f"/evaluations/{e}/employees/{r['employee_id']}").json() for r in employees["items"]]
    out.append(client.get(f"/evaluations/{e}/units").json())
    compare = client.post(
        f"/datasets/{dataset_id}/compare", json={"a": {"policy": "permenpanrb-6-2022"}, "b": {"policy_id": policy_id}}
    )
    assert compare.status_code == 200, compare.text
    out.append(compare.json())
    out.append(client.get(f"/datasets/{dataset_id}").json())
    return [strip(x) for x in out]


def test_withheld_scores_never_leave_the_service(server: Server, bungo_zip: bytes) -> None:
    with server.agency() as client:
        original = upload(client, bungo_zip).json()["id"]
        changed = upload(client, peer_changed()).json()["id"]
        policy = client.post("/policies", content=THREE_SIXTY.encode(), headers={"Content-Type": "application/yaml"})
        published = client.post("/policies", content=PUBLISHING.encode(), headers={"Content-Type": "application/yaml"})
        assert (policy.status_code, published.status_code) == (201, 201), published.text

        a = everything(client, original, policy.json()["id"])
        b = everything(client, changed, policy.json()["id"])
        detail = next(x for x in a if isinstance(x, dict) and x.get("result", {}).get("employee_id") == RATEE)
        assert detail["result"]["scores_withheld"] is True
        assert detail["result"]["perilaku_score"] is None
        assert detail["result"]["perilaku_groups"]["rekan"]["score"] is None
        assert any(s["value"] == "withheld" for s in detail["explain"])
        withheld = [x["result"] for x in a if isinstance(x, dict) and "result" in x and x["result"]["scores_withheld"]]
        assert len(withheld) > 5 and all(r["perilaku_score"] is None and r["self_gap"] is None for r in withheld)
        assert a == b  # what one peer gave is nowhere in any response

        # Where the policy publishes every score, the same change is visible: the comparison above can fail.
        a_pub = everything(client, original, published.json()["id"])
        b_pub = everything(client, changed, published.json()["id"])
        assert a_pub != b_pub
