"""gRPC: ReviewService."""

from govit.common.v1 import common_pb2
from govit.review.v1 import review_service_pb2 as pb
from govit.review.v1 import review_service_pb2_grpc as pb_grpc
from govit_kit.auth import PROJECT_READERS
from govit_kit.convert import to_decision, to_timestamp
from govit_kit.http import fetch_page
from govit_kit.rpc import current_principal, page_from
from review.cases import service
from review.cases.flows import CONCLUSION_PB
from review.cases.models import ReviewCase
from review.rectification import rules as rectification_rules
from review.rectification import service as rectification


def case_message(c: ReviewCase) -> pb.ReviewCase:
    """A case row as its protobuf message."""
    return pb.ReviewCase(
        case_id=c.id,
        project_id=c.project_id,
        org_id=c.org_id,
        track=c.track,
        status=c.status,
        conclusion=CONCLUSION_PB.get(c.conclusion, 0) if c.conclusion else 0,
        reason=c.reason or "",
        opened_at=to_timestamp(c.opened_at),
        concluded_at=to_timestamp(c.concluded_at),
        round=c.round,
        chain_stage=c.chain_stage or "",
    )


class ReviewServicer(pb_grpc.ReviewServiceServicer):
    """Answers on behalf of the caller."""

    def __init__(self, rt) -> None:
        self.rt = rt

    async def GetReviewCase(self, request, context) -> pb.GetReviewCaseResponse:
        """One case."""
        async with self.rt.db.sessions() as session:
            case = await service.get(
                session=session, case_id=request.case_id, who=current_principal()
            )
            return pb.GetReviewCaseResponse(review_case=case_message(case))

    async def ListReviewCases(self, request, context) -> pb.ListReviewCasesResponse:
        """Cases of a project the caller may see."""
        paging = page_from(request.page)
        async with self.rt.db.sessions() as session:
            rows, nxt = await fetch_page(
                session, service.visible(current_principal(), request.project_id or None), paging
            )
        return pb.ListReviewCasesResponse(
            cases=[case_message(c) for c in rows],
            page=common_pb2.PageInfo(next_page_token=nxt or ""),
        )

    async def GetUnitStanding(self, request, context) -> pb.GetUnitStandingResponse:
        """J3: whether the unit may start new projects (the bureau roles, or the unit itself)."""
        who = current_principal()
        who.check_owner(request.org_id, PROJECT_READERS, "unit")
        async with self.rt.db.sessions() as session:
            n = await rectification.open_security_orders(session=session, org_id=request.org_id)
        gate = rectification_rules.new_project_gate(self.rt.profile, n)
        return pb.GetUnitStandingResponse(
            org_id=request.org_id,
            open_security_orders=n,
            blocked=gate is not None,
            decisions=[to_decision(gate)] if gate else [],
        )


def servicers(rt) -> list:
    """Review's gRPC servicers."""
    return [
        (
            pb_grpc.add_ReviewServiceServicer_to_server,
            ReviewServicer(rt),
            pb.DESCRIPTOR.services_by_name["ReviewService"].full_name,
        )
    ]
