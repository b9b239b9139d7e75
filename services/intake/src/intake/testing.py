"""For other services' tests: file an application through intake's REST API the way the active
profile requires (every required material, the chief data officer's sign-off), then submit it."""

import httpx


async def file_project(
    http: httpx.AsyncClient, *, staff: dict[str, str], cdo: dict[str, str], body: dict
) -> dict:
    """Create, complete and submit an application; returns the submitted project.

    staff and cdo are the Authorization headers of the unit's staff and chief data officer."""
    r = await http.post("/v1/projects", headers=staff, json=body)
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    required = await http.get(f"/v1/projects/{pid}/required-materials", headers=staff)
    assert required.status_code == 200, required.text
    for material in required.json():
        r = await http.put(
            f"/v1/projects/{pid}/materials/{material['kind']}",
            params={"filename": f"{material['kind']}.pdf"},
            headers={**staff, "content-type": "application/pdf"},
            content=f"%PDF-1.7 {material['kind']}".encode(),
        )
        assert r.status_code == 200, r.text
    r = await http.post(f"/v1/projects/{pid}/cdo-signoff", headers=cdo)
    assert r.status_code == 200, r.text
    r = await http.post(f"/v1/projects/{pid}/submit", headers=staff)
    assert r.status_code == 200, r.text
    return r.json()
