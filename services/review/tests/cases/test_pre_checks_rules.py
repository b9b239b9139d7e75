"""D5/D8 pre-checks over the five profiles: which grounds are raised and what each cites."""

import pytest

from govit_kit.policy import Outcome, load_profile
from review.cases import rules
from review.cases.enums import Track
from review.cases.rules import pre_checks


def cited(profile, **attrs):
    return {
        g: (d.rule_id, d.article, d.figures.get("item"), d.outcome.value)
        for g, d in pre_checks(load_profile(profile), attrs).items()
    }


SN = "SN P art19(二)"


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ({"new_data_centre": True}, {"new_data_centre": ("D5", SN, 1, "refuse")}),
        ({"new_server_hardware": True}, {"new_server_hardware": ("D5", SN, 1, "refuse")}),
        ({"private_lines": True}, {"private_lines": ("D5", SN, 2, "refuse")}),
        ({"on_government_cloud": False}, {"not_on_cloud": ("D5", SN, 3, "refuse")}),
        ({"on_government_cloud": True}, {}),
        ({"on_government_cloud": None}, {}),  # undeclared raises nothing
        ({"rebuilds_shared_system": True}, {"rebuilds_shared_system": ("D5", SN, 4, "refuse")}),
        (
            {"data_sharing_commitment": False},
            {"no_data_sharing_commitment": ("D5", SN, 5, "refuse")},
        ),
        ({"data_sharing_commitment": True}, {}),
        (
            {"duplicates_system_id": "sys-9"},
            {"duplicates_registered_system": ("D5", SN, 8, "refuse")},
        ),
        (
            {"predecessor_project_id": "p-0"},
            {"unaccepted_predecessor": ("D8", "SN P art19(二)8", None, "refuse")},
        ),
        (
            {"predecessor_project_id": "p-0", "predecessor_accepted": False},
            {"unaccepted_predecessor": ("D8", "SN P art19(二)8", None, "refuse")},
        ),
        ({"predecessor_project_id": "p-0", "predecessor_accepted": True}, {}),
        # 非涉密 only: a classified project raises none of items 1-3.
        (
            {"classified": True, "new_data_centre": True, "on_government_cloud": False},
            {},
        ),
    ],
)
def test_suining_grounds_at_their_edges(attrs, expected):
    assert cited("suining", **attrs) == expected


def test_every_ground_at_once_in_suining():
    got = cited(
        "suining",
        new_data_centre=True,
        new_server_hardware=True,
        private_lines=True,
        on_government_cloud=False,
        rebuilds_shared_system=True,
        data_sharing_commitment=False,
        duplicates_system_id="sys-1",
        predecessor_project_id="p-0",
    )
    assert len(got) == 8


@pytest.mark.parametrize(
    ("profile", "article"),
    [
        ("pingdingshan", "PDS P art2; PDS C art3"),
        ("wuhai", "WH art4"),
        ("xianyang", "XY art8; XY 整合 art4"),
    ],
)
def test_cloud_first_backs_the_cloud_grounds_without_d5(profile, article):
    # No D5 here: only the grounds A1 (cloud first) covers are raised, citing A1.
    got = cited(profile, new_data_centre=True, on_government_cloud=False, private_lines=True)
    assert got == {
        "new_data_centre": ("A1", article, None, "refuse"),
        "not_on_cloud": ("A1", article, None, "refuse"),
    }


def test_yunyang_has_neither_d5_nor_a1():
    assert cited("yunyang", new_data_centre=True, predecessor_project_id="p-0") == {}


@pytest.mark.parametrize(
    ("profile", "track", "declared", "expected"),
    [
        ("suining", Track.TECHNICAL_REVIEW, False, ("D5", "SN P art19(二)")),
        ("suining", Track.TECHNICAL_REVIEW, True, None),
        ("suining", Track.FILING, False, None),  # filing only (D2): no pre-checks to wait for
        ("pingdingshan", Track.TECHNICAL_REVIEW, False, ("A1", "PDS P art2; PDS C art3")),
        ("wuhai", Track.TECHNICAL_REVIEW, False, ("A1", "WH art4")),
        ("yunyang", Track.TECHNICAL_REVIEW, False, None),  # no D5, D8 or A1
    ],
)
def test_approval_waits_for_the_pre_checks(profile, track, declared, expected):
    got = rules.pre_checks_have_run(load_profile(profile), track, declared)
    assert (got and (got.rule_id, got.article, got.outcome)) == (
        expected and (*expected, Outcome.REFUSE)
    )
