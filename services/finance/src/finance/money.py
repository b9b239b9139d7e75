"""Money in request bodies: exact yuan with at most two decimals (fen), never float."""

from decimal import Decimal
from typing import Annotated

from pydantic import Field

# A positive amount in yuan, e.g. "4000000.00" (400万).
Yuan = Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=2)]
# A signed amount in yuan (an adjustment may cut a line).
SignedYuan = Annotated[Decimal, Field(max_digits=16, decimal_places=2)]

WAN = Decimal(10_000)  # profile figures are in 万元


def wan_to_yuan(wan: Decimal | int) -> Decimal:
    """A profile figure in 万元 as yuan."""
    return (Decimal(wan) * WAN).quantize(Decimal("0.01"))
