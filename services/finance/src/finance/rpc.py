"""gRPC: FinanceService."""

from finance.funding import service
from finance.funding.models import FundingLine
from govit.common.v1 import common_pb2
from govit.finance.v1 import finance_service_pb2 as pb
from govit.finance.v1 import finance_service_pb2_grpc as pb_grpc
from govit_kit.convert import to_money, to_timestamp
from govit_kit.http import fetch_page
from govit_kit.rpc import current_principal, page_from


def funding_line_message(f: FundingLine) -> pb.FundingLine:
    """A funding line row as its protobuf message."""
    return pb.FundingLine(
        funding_line_id=f.id,
        project_id=f.project_id,
        org_id=f.org_id,
        fiscal_year=f.fiscal_year,
        kind=f.kind,
        source=f.source,
        amount=to_money(f.amount),
        opened_at=to_timestamp(f.opened_at),
    )


class FinanceServicer(pb_grpc.FinanceServiceServicer):
    """Answers on behalf of the caller."""

    def __init__(self, rt) -> None:
        self.rt = rt

    async def ListFundingLines(self, request, context) -> pb.ListFundingLinesResponse:
        """Funding lines of a project the caller may see."""
        paging = page_from(request.page)
        query = service.visible(current_principal(), request.project_id or None)
        async with self.rt.db.sessions() as session:
            rows, nxt = await fetch_page(session, query, paging)
        return pb.ListFundingLinesResponse(
            funding_lines=[funding_line_message(f) for f in rows],
            page=common_pb2.PageInfo(next_page_token=nxt or ""),
        )


def servicers(rt) -> list:
    """Finance's gRPC servicers."""
    return [
        (
            pb_grpc.add_FinanceServiceServicer_to_server,
            FinanceServicer(rt),
            pb.DESCRIPTOR.services_by_name["FinanceService"].full_name,
        )
    ]
