"""Pure rules of the draw (D6): who may be drawn, and a pick anyone can re-run from the record."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from govit_kit.policy import Decision, PolicyProfile


@dataclass(frozen=True)
class Member:
    """What the draw needs to know of a pool member."""

    id: str
    specialties: tuple[str, ...]
    available: bool
    employer_org_id: str | None
    conflicts: tuple[str, ...]


def eligibility(
    members: Iterable[Member],
    *,
    specialty: str,
    applicant_org_id: str,
    involved: Iterable[str],
    already_drawn: Iterable[str] = (),
) -> tuple[list[str], list[dict[str, str]]]:
    """The sorted ids of members who may be drawn, and each excluded member with the reason.

    Excluded: the unavailable, those of the applicant unit (same employer), those who declared
    involvement in the unit, the project or its contractor, and those already drawn for the case.
    Members without the specialty are not candidates and are not listed.
    """
    involved_set = {i for i in involved if i}
    drawn = set(already_drawn)
    candidates, excluded = [], []
    for m in sorted(members, key=lambda m: m.id):
        if specialty not in m.specialties:
            continue
        if m.id in drawn:
            reason = "already drawn for this case"
        elif not m.available:
            reason = "not available"
        elif m.employer_org_id and m.employer_org_id == applicant_org_id:
            reason = "employed by the applicant unit"
        elif hit := sorted(involved_set.intersection(m.conflicts)):
            reason = f"declared conflict: {', '.join(hit)}"
        else:
            candidates.append(m.id)
            continue
        excluded.append({"member_id": m.id, "reason": reason})
    return candidates, excluded


def draw_order(seed: str, candidates: Iterable[str]) -> list[str]:
    """Candidates ordered by SHA-256(seed + ":" + id): the same seed and list give the same order
    on any machine and any Python version, so an auditor can re-run a draw by hand."""
    return sorted(candidates, key=lambda c: (hashlib.sha256(f"{seed}:{c}".encode()).hexdigest(), c))


def pick(seed: str, candidates: Iterable[str], count: int) -> list[str]:
    """The first `count` members in draw order."""
    return draw_order(seed, candidates)[:count]


def draw_basis(profile: PolicyProfile, reason: str) -> Decision:
    """The rule a draw rests on: D6 where the profile has an expert pool; else the bureau's
    duty to organise experts or a third party (D3 in suining, D1 elsewhere)."""
    for rule in ("D6", "D3", "D1"):
        if profile.applies(rule):
            return Decision.allow(profile, rule, reason)
    return Decision.allow(profile, "D6", reason)
