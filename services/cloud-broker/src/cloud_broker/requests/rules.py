"""Pure rules of resource requests: each returns a decision naming its rule and the profile's article."""

from govit_kit.policy import Decision, PolicyProfile


def project_reference(profile: PolicyProfile, project_status: str | None) -> Decision:
    """L2: a request for a new system attaches its project's approval (checked with intake)."""
    if project_status is None:
        return Decision.refuse(profile, "L2", "the request names no project of the applicant unit",
                               project_status=None)
    if project_status != "approved":
        return Decision.refuse(profile, "L2", f"the project is {project_status}, not approved",
                               project_status=project_status)
    return Decision.allow(profile, "L2", "the project is approved", project_status=project_status)
