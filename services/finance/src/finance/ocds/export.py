"""Procurement and contract data as Open Contracting Data Standard 1.1.5 releases.

One release per procurement (its ocid): the tender, the award to the contractor and the contract,
whose supplementary contracts (E3) are amendments and add to its value.
"""

import json
import re
import uuid
from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.procurement.enums import ProcurementCategory as C
from finance.procurement.enums import ProcurementMethod as M
from finance.procurement.models import Adjustment, Contract, Contractor, Procurement
from govit_kit.db import utcnow

OCID_PREFIX = "ocds-govit"
# OCDS's closed method codelist against the methods of the Government Procurement Law.
METHOD = {
    M.PUBLIC_TENDER: "open",
    M.INVITED_TENDER: "selective",
    M.COMPETITIVE_NEGOTIATION: "limited",
    M.COMPETITIVE_CONSULTATION: "limited",
    M.INQUIRY: "limited",
    M.FRAMEWORK: "selective",
    M.SINGLE_SOURCE: "direct",
}
METHOD_DETAILS = {
    M.PUBLIC_TENDER: "公开招标",
    M.INVITED_TENDER: "邀请招标",
    M.COMPETITIVE_NEGOTIATION: "竞争性谈判",
    M.COMPETITIVE_CONSULTATION: "竞争性磋商",
    M.INQUIRY: "询价",
    M.FRAMEWORK: "框架协议采购",
    M.SINGLE_SOURCE: "单一来源采购",
}

# OCDS's closed mainProcurementCategory codelist; a procurement that does not say has none.
CATEGORY = {
    C.GOODS: "goods",
    C.WORKS: "works",
    C.SERVICES: "services",
    C.CLOUD_SERVICES: "services",
}


def _value(amount: Decimal) -> dict:
    return {"amount": amount, "currency": "CNY"}


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _day(day) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"  # a local date, at midnight in Asia/Shanghai


def release(
    procurement: Procurement,
    contractor: Contractor,
    contracts: list[Contract],
    adjustments: dict[str, Adjustment],
) -> dict:
    """The release of one procurement."""
    ocid = f"{OCID_PREFIX}-{procurement.id}"
    award_id = f"{procurement.id}-award"
    buyer = {"id": procurement.org_id, "name": procurement.org_id}
    supplier = {"id": contractor.id, "name": contractor.name}
    originals = [c for c in contracts if c.parent_contract_id is None]
    ocds_contracts = []
    for original in originals:
        supplements = [c for c in contracts if c.parent_contract_id == original.id]
        entry = {
            "id": original.id,
            "awardID": award_id,
            "status": "active",
            "value": _value(original.amount + sum((s.amount for s in supplements), Decimal(0))),
            "dateSigned": _day(original.signed_on),
        }
        if supplements:
            entry["amendments"] = [
                {
                    "id": s.id,
                    "date": _day(s.signed_on),
                    "rationale": f"补充合同, 调整批复 {adjustments[s.adjustment_id].document}",
                    "description": f"supplementary contract of {s.amount} CNY",
                }
                for s in supplements
            ]
        ocds_contracts.append(entry)
    moments = [procurement.recorded_at, *(c.recorded_at for c in contracts)]
    latest = max(moments)
    tags = ["award"] + (["contract"] if originals else [])
    if any(c.parent_contract_id for c in contracts):
        tags.append("contractAmendment")
    return {
        "ocid": ocid,
        "id": f"{ocid}-{latest.strftime('%Y%m%dT%H%M%S%f')}",
        "date": _iso(latest),
        "tag": tags,
        "initiationType": "tender",
        "language": "zh",
        "parties": [
            {**buyer, "roles": ["buyer", "procuringEntity"]},
            {
                **supplier,
                "identifier": {"scheme": "CN-USCC", "id": contractor.credit_code},
                "roles": ["supplier", "tenderer"],
            },
        ],
        "buyer": buyer,
        "tender": {
            "id": procurement.id,
            "title": procurement.title,
            "status": "complete",
            "procurementMethod": METHOD[M(procurement.method)],
            "procurementMethodDetails": METHOD_DETAILS[M(procurement.method)],
            **(
                {"mainProcurementCategory": CATEGORY[C(procurement.category)]}
                if procurement.category in CATEGORY
                else {}
            ),
            "value": _value(procurement.amount),
            "procuringEntity": buyer,
        },
        "awards": [
            {
                "id": award_id,
                "status": "active",
                "date": _day(procurement.awarded_on),
                "value": _value(procurement.amount),
                "suppliers": [supplier],
            }
        ],
        "contracts": ocds_contracts,
    }


async def release_package(
    session: AsyncSession,
    *,
    uri: str,
    publisher: str,
    org_scope: str | None,
    project_id: str | None,
) -> dict:
    """A release package of the procurements the caller may see."""
    query = select(Procurement).order_by(Procurement.recorded_at, Procurement.id)
    if org_scope is not None:
        query = query.where(Procurement.org_id == org_scope)
    if project_id:
        query = query.where(Procurement.project_id == project_id)
    # A few queries for the whole package, not a few per procurement: the contractors, the
    # contracts and the adjustments of the procurements selected, each through the same filter.
    chosen = query.with_only_columns(Procurement.id).order_by(None)
    contractors = {
        c.id: c
        for c in await session.scalars(
            select(Contractor).where(
                Contractor.id.in_(query.with_only_columns(Procurement.contractor_id).order_by(None))
            )
        )
    }
    contracts_of: dict[str, list[Contract]] = defaultdict(list)
    for contract in await session.scalars(
        select(Contract)
        .where(Contract.procurement_id.in_(chosen))
        .order_by(Contract.recorded_at, Contract.id)
    ):
        contracts_of[contract.procurement_id].append(contract)
    adjustments = {
        a.id: a
        for a in await session.scalars(
            select(Adjustment).where(
                Adjustment.id.in_(
                    select(Contract.adjustment_id).where(
                        Contract.procurement_id.in_(chosen), Contract.adjustment_id.is_not(None)
                    )
                )
            )
        )
    }
    releases = []
    for procurement in (await session.execute(query)).scalars():
        contracts = contracts_of.get(procurement.id, [])
        releases.append(
            release(
                procurement,
                contractors.get(procurement.contractor_id),
                contracts,
                {
                    c.adjustment_id: adjustments.get(c.adjustment_id)
                    for c in contracts
                    if c.adjustment_id
                },
            )
        )
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _iso(utcnow()),
        "publisher": {"name": publisher},
        "releases": releases,
    }


def dumps(document: dict) -> str:
    """JSON with every amount written as its exact decimal number (never through a float)."""
    # Each Decimal becomes a string token, then one pass puts the numbers in place of the quoted
    # tokens. The nonce keeps a text that happens to look like a token from being replaced.
    nonce = uuid.uuid4().hex
    exact: list[str] = []

    def mark(value):
        if isinstance(value, Decimal):
            exact.append(format(value, "f"))
            return f"__decimal_{nonce}_{len(exact) - 1}__"
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    text = json.dumps(mark(document), ensure_ascii=False)
    token = re.compile(f'"__decimal_{nonce}_([0-9]+)__"')
    return token.sub(lambda m: exact[int(m.group(1))], text)
