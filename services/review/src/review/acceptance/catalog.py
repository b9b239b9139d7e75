"""C2 before acceptance: review asks intake, which holds the data resource catalog, whether the
project's catalog is complete (gRPC IntakeService.CheckCatalog, on behalf of the caller)."""

from dataclasses import dataclass

from govit.intake.v1 import intake_service_pb2 as intake_pb
from govit.intake.v1 import intake_service_pb2_grpc as intake_grpc
from govit_kit.auth import Principal
from govit_kit.errors import NotFound
from govit_kit.policy import Decision, Outcome
from govit_kit.rpc import call_peer


@dataclass(frozen=True)
class CatalogCheck:
    """Intake's answer: complete or not, how many rows, its C2 refusals, and the project's type
    (C2's project_types is read with it; None when intake holds no such project)."""

    complete: bool
    entries: int
    refusals: tuple[Decision, ...] = ()
    project_type: str | None = None

    def facts(self) -> dict:
        """What the acceptance record keeps of the check."""
        return {
            "complete": self.complete,
            "entries": self.entries,
            "project_type": self.project_type,
            "source": "intake",
        }


async def check_catalog(*, rt, project_id: str, who: Principal) -> CatalogCheck:
    """Intake's C2 check of the project's catalog. Call it outside any database transaction:
    an unavailable intake is a 503 (Unavailable), never a guess."""
    stub = intake_grpc.IntakeServiceStub(rt.channel("intake"))
    try:
        resp = await call_peer(
            stub.CheckCatalog, intake_pb.CheckCatalogRequest(project_id=project_id), who
        )
    except NotFound:
        return CatalogCheck(
            False,
            0,
            (
                Decision.refuse(
                    rt.profile,
                    "C2",
                    "intake holds no application of this project, so no data resource catalog",
                    project_id=project_id,
                ),
            ),
        )
    refusals = tuple(
        Decision(d.rule_id, d.article, Outcome(d.outcome), d.reason)
        for d in resp.decisions
        if d.outcome == Outcome.REFUSE
    )
    if not resp.complete and not refusals:
        refusals = (Decision.refuse(rt.profile, "C2", "intake reports the catalog incomplete"),)
    return CatalogCheck(resp.complete, resp.entries, refusals, resp.project_type or None)
