"""Pure rules of resource requests: each returns a decision naming its rule and the profile's article."""

from govit_kit.policy import Decision, PolicyProfile


def project_reference(profile: PolicyProfile, project_status: str | None) -> Decision | None:
    """L2: a request for a new system attaches its project's approval (checked with intake).

    None where the profile has no cloud regulation (no L2): the flow then still requires an
    approved project of the unit, as a plain check of the reference (docs/ARCHITECTURE.md).
    """
    if not profile.applies("L2"):
        return None
    if project_status is None:
        return Decision.refuse(
            profile, "L2", "the request names no project of the applicant unit", project_status=None
        )
    if project_status != "approved":
        return Decision.refuse(
            profile,
            "L2",
            f"the project is {project_status}, not approved",
            project_status=project_status,
        )
    return Decision.allow(profile, "L2", "the project is approved", project_status=project_status)
