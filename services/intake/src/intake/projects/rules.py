"""What an application must carry before it may leave the unit (pure functions of the profile).

Which attachments C1 asks for and which chapters C3 asks for are the text of each
jurisdiction's article: the profile lists them (figures `attachments`, `chapters`,
`expansion_chapters`), validated when it loads, and a profile applying the rule must list
them (an operator's copy keeps its own lists, under whatever code)."""

from decimal import Decimal

from govit_kit.policy import Decision, PolicyProfile
from govit_kit.policy.profile import ARTICLE_SUFFIX
from intake.orgs.enums import FundingGround as G
from intake.projects.enums import MaterialKind as K
from intake.projects.enums import ProjectType


def _kinds(profile: PolicyProfile, rule_id: str, name: str) -> tuple[K, ...]:
    """A list figure of material kinds (the kit checks its values against MATERIAL_KINDS)."""
    return tuple(K(v) for v in profile.figure(rule_id, name))


# C1 form fields (YY annex 1; PDS P art9), by attribute, with the form's own label.
C1_FIELDS = {
    "name": "项目名称",
    "project_type": "项目类型",
    "supervising_department": "行政主管部门",
    "leader_name": "分管领导",
    "leader_phone": "分管领导联系电话",
    "contact_name": "项目联系人",
    "contact_phone": "项目联系人联系电话",
    "background": "建设背景和依据",
    "basis_documents": "文件依据(文件名和文号)",
    "total_investment": "经费估算",
    "preparation_status": "前期准备情况",
    "schedule": "进度计划",
    "yearly_funding": "年度资金估算",
}


def required_materials(
    profile: PolicyProfile,
    project_type: ProjectType,
    total_investment: Decimal,
    *,
    cloud_exception: bool = False,
    upper_level_funded: bool = False,
    classified: bool = False,
) -> list[tuple[K, str]]:
    """The kinds of material an application must carry, each with the rule asking for it.

    No seed ties a chapter to the amount at application time (SN's 30万 line decides review or
    filing of the technical plan, D2, after approval), so the amount changes nothing today; it is
    an input because the issue's rules may. An upper-level funded project that is only filed
    (B6) was approved where it is funded, so it carries no C3 chapters here. A classified
    project (one that reaches this only where A2 does not apply, e.g. XY art14) owes no A1
    justification: cloud first is for non-classified systems, and a classified one is built
    under the confidentiality rules (XY art8: 除有关法律法规规定的情况外; art14)."""
    del total_investment
    kinds: list[tuple[K, str]] = []
    if profile.applies("A1") and cloud_exception and not classified:
        # A1: building off the government cloud needs the bureau-approved written justification.
        kinds.append((K.CLOUD_EXCEPTION_JUSTIFICATION, "A1"))
    if profile.applies("C1"):
        kinds += [(k, "C1") for k in _kinds(profile, "C1", "attachments")]
    if profile.applies("C3") and not (upper_level_funded and profile.applies("B6")):
        kinds += [(k, "C3") for k in _kinds(profile, "C3", "chapters")]
        if project_type is ProjectType.EXPANSION:
            kinds += [(k, "C3") for k in _kinds(profile, "C3", "expansion_chapters")]
    if profile.applies("C7") and project_type is ProjectType.SERVICE_PURCHASE:
        # SN P art22(二): the four conditions of a purchase of service, argued in writing.
        kinds.append((K.SERVICE_PURCHASE_CONDITIONS, "C7"))
    seen: set[K] = set()
    return [(k, r) for k, r in kinds if not (k in seen or seen.add(k))]


def missing_materials(
    profile: PolicyProfile,
    project_type: ProjectType,
    total_investment: Decimal,
    present: set[str],
    **flags: bool,
) -> list[Decision]:
    """One refusal per required kind not uploaded, naming the kind and its rule."""
    return [
        Decision.refuse(profile, rule, f"material missing: {kind.value}", kind=kind.value)
        for kind, rule in required_materials(profile, project_type, total_investment, **flags)
        if kind.value not in present
    ]


def is_filing(profile: PolicyProfile, upper_level_funded: bool) -> bool:
    """B6: an upper-level funded project is filed with the bureau rather than approved here."""
    return upper_level_funded and profile.applies("B6")


def missing_form_fields(profile: PolicyProfile, values: dict) -> list[Decision]:
    """C1: each empty field of the application form, where the profile has the form."""
    if not profile.applies("C1"):
        return []
    return [
        Decision.refuse(profile, "C1", f"form field empty: {attr} ({label})", field=attr)
        for attr, label in C1_FIELDS.items()
        if values.get(attr) in (None, "", [])
    ]


def only_recorded(profile: PolicyProfile, classified: bool) -> bool:
    """A2: where the profile has it, a classified project is only recorded. Where it does not
    (XY art14 keeps classified projects inside the measures, under the confidentiality rules),
    a classified project is an ordinary application that keeps its flag."""
    return classified and profile.applies("A2")


def classified_decision(profile: PolicyProfile) -> Decision:
    """A2: a classified project is recorded and nothing more; it never goes through the platform.
    Only where the profile applies A2 (see only_recorded)."""
    return Decision.refuse(
        profile, "A2", "a classified (涉密) project is only recorded here; file it offline"
    )


def rectification_decisions(
    profile: PolicyProfile, project_type: ProjectType, open_findings: list[str]
) -> list[Decision]:
    """J3: a unit with an unresolved crypto/security rectification may not start a new project
    (SN P art43: 不得新建信息化项目), nor, where the profile's `bars_expansions` says so, rebuild
    or extend a system (YY art29: 不得新建、改扩建政务信息系统). A 续建, 运维 or 购买服务 application
    goes through: the unit may need one to carry out the rectification itself."""
    if not open_findings or not profile.applies("J3"):
        return []
    barred = [ProjectType.NEW]
    if profile.figure("J3", "bars_expansions"):
        barred.append(ProjectType.EXPANSION)
    if project_type not in barred:
        return []
    return [
        Decision.refuse(
            profile,
            "J3",
            f"the unit has {len(open_findings)} open security rectification(s); until they "
            f"close it may not file a {' or '.join(t.value for t in barred)} project",
            findings=open_findings,
            project_type=project_type.value,
        )
    ]


# I3's bars on new projects: which project types each ground bars, as the articles say (YY
# art28, art29: 不得新建、改扩建政务信息系统; art30: 不支持新建信息化项目). A 续建, 运维 or 购买服务
# application is not a new or extended system and goes through.
GROUND_BARS: dict[G, tuple[ProjectType, ...]] = {
    G.NOT_SHARING_DATA: (ProjectType.NEW, ProjectType.EXPANSION),
    G.COLLECTS_TWICE: (ProjectType.NEW, ProjectType.EXPANSION),
    G.NOT_INTEGRATED: (ProjectType.NEW,),
}
# The article of each ground is the profile's (I3 figure `<ground>_article`, e.g. YY art28 and
# art30); a profile naming none cites its I3 article whole.
_GROUND_WHY = {
    G.NOT_SHARING_DATA: ("does not share its data as required", "未按要求共享数据资源"),
    G.COLLECTS_TWICE: ("collects data twice", "重复采集数据"),
}


def grounds_bar(profile: PolicyProfile) -> bool:
    """I3: whether finance's grounds also bar the unit's new projects here (figure
    `bars_new_projects`; a profile without it, or without I3, bars nothing)."""
    return profile.applies("I3") and bool(profile.rule("I3").figures.get("bars_new_projects"))


def ground_decisions(
    profile: PolicyProfile, project_type: ProjectType, grounds: list[tuple[str, str | None, str]]
) -> list[Decision]:
    """I3: one refusal per standing ground (ground, project id or None for the unit's own,
    document) that bars this type of project, naming the ground, its article and the project."""
    if not grounds_bar(profile):
        return []
    figures = profile.rule("I3").figures
    refusals = []
    for ground, project_id, document in grounds:
        kind = G(ground)
        if project_type not in GROUND_BARS[kind]:
            continue
        article = figures.get(f"{kind.value}{ARTICLE_SUFFIX}") or profile.rule("I3").article
        by = f", the data bureau's finding {document}" if document else ""
        if kind is G.NOT_INTEGRATED:
            reason = (
                f"{article}: the unit failed to integrate its existing projects or systems as "
                f"required (应整合而未整合{by}): no new project (不支持新建信息化项目)"
            )
        else:
            why, zh = _GROUND_WHY[kind]
            reason = (
                f"{article}: the system of project {project_id} {why} ({zh}{by}): the unit may "
                "not build or extend a system (不得新建、改扩建政务信息系统)"
            )
        said = {"ground": kind.value, "ground_article": article}
        if project_id:
            said["project_id"] = project_id
        if document:
            said["document"] = document
        refusals.append(Decision.refuse(profile, "I3", reason, **said))
    return refusals


def signoff_decision(
    profile: PolicyProfile, signed_by: str | None, registered_cdo: str | None = None
) -> Decision | None:
    """C4: where the profile requires it, the unit's chief data officer approves first; where
    the unit's record names its CDO, the sign-off is that person's."""
    if not profile.applies("C4"):
        return None
    if not signed_by:
        return Decision.refuse(
            profile, "C4", "the unit's chief data officer (首席数据官) has not signed off"
        )
    if registered_cdo and signed_by != registered_cdo:
        return Decision.refuse(
            profile,
            "C4",
            f"signed off by {signed_by}, not the unit's registered chief data officer "
            f"{registered_cdo}",
            signed_by=signed_by,
            cdo_subject=registered_cdo,
        )
    return None
