"""Policy profiles: which rules apply in a jurisdiction, on which article, with which figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from .calendar import incomplete_declared_years

# Rule ids of /work/shared/RULES.md: letter -> number of rules in that section.
_SECTIONS = {
    "A": 3,
    "B": 6,
    "C": 7,
    "D": 8,
    "E": 7,
    "F": 6,
    "G": 7,
    "H": 2,
    "I": 6,
    "J": 4,
    "K": 6,
    "L": 19,
}
RULE_IDS: tuple[str, ...] = tuple(f"{s}{i}" for s, n in _SECTIONS.items() for i in range(1, n + 1))

# Built-in profiles: name -> code (RULES.md's jurisdiction table).
BUILTIN_CODES = {
    "pingdingshan": "PDS",
    "wuhai": "WH",
    "suining": "SN",
    "yunyang": "YY",
    "xianyang": "XY",
}

# Every figure name states its unit; _wan and _ratio become Decimal (money is never float).
DECIMAL_SUFFIXES = ("_wan", "_ratio")
INT_SUFFIXES = (
    "_working_days",
    "_days",
    "_months",
    "_years",
    "_month",
    "_day_of_month",
    "_percent",
    "_tb",
    "_per_year",
)

# Figures that name a choice rather than a quantity: name -> the values it may take.
CHOICE_FIGURES: dict[str, frozenset[str]] = {
    # What a threshold figure of the same rule is compared with: the project's total investment
    # (e.g. XY art11 "项目投资超过100万元的") or the single purchase (e.g. 政府采购限额标准).
    "measured_on": frozenset({"project_investment", "purchase"}),
    # The first stage of a project's life at which a rule's requirement holds; it holds at every
    # later stage too (STAGES). C2: YY art14 makes the catalog a condition of approval
    # (submission), WH art15 asks for it before acceptance (项目验收前).
    "required_from": frozenset({"submission", "acceptance"}),
    # What an emergency project (A3) is: one that bypasses the annual plan with the government's
    # approval and then joins it (PDS P art8, SN P art17, YY art9), or one wholly outside the
    # measures (WH art22: 紧急项目,不适用本办法), which the platform does not put on a plan.
    "emergency_projects": frozenset({"plan_addition", "outside_measures"}),
}

# The stages a requirement can fall due at (`required_from`), in the order a project meets them.
STAGES: tuple[str, ...] = ("submission", "acceptance")

# The kinds of project an application can be (C1: 新建, 续建, 改扩建, 运维, 购买服务; WH art2 names
# the five). Intake's ProjectType has exactly these values.
PROJECT_TYPES = frozenset({"new", "continued", "expansion", "operations", "service_purchase"})

# The kinds of material an application carries (C1's attachments, C3's chapters, C7, A1).
# Intake's MaterialKind has exactly these values.
MATERIAL_KINDS = frozenset(
    {
        "feasibility_study",
        "budget_detail",
        "project_proposal",
        "implementation_plan",
        "data_governance",
        "data_sharing_analysis",
        "network_security",
        "crypto_plan",
        "intensive_construction",
        "predecessor_evaluation",
        "current_it_status",
        "no_duplication_statement",
        "system_integration",
        "cloud_and_data_status",
        "problem_and_result",
        "service_purchase_conditions",
        "cloud_exception_justification",
        "other",
    }
)

# Figures that list choices: name -> the values its items may take. A list, each value once,
# kept as a tuple in the profile's order; non-empty unless the figure is in EMPTY_LIST_FIGURES.
CHOICE_LIST_FIGURES: dict[str, frozenset[str]] = {
    # C2: the project types a rule covers (WH art15 asks the catalog of 新建 projects only).
    "project_types": PROJECT_TYPES,
    # C1: the materials the application form asks to be attached (YY annex 1: 申报时应附材料);
    # PDS P art9's form asks none of its own (its documents are C3's).
    "attachments": MATERIAL_KINDS,
    # C3: the chapters or statements every application carries, as the article lists them
    # (YY art14, SN P art15, PDS P art9).
    "chapters": MATERIAL_KINDS,
    # C3: what a 改扩建 (expansion) application carries besides (YY art14: the earlier
    # project's third-party post-evaluation); SN P art15 and PDS P art9 ask nothing more.
    "expansion_chapters": MATERIAL_KINDS,
}
# List figures an article may leave empty (a jurisdiction asking nothing of that kind).
EMPTY_LIST_FIGURES = frozenset({"attachments", "expansion_chapters"})

# Figures naming an article (a citation of the profile's own documents), e.g. I3's article of
# each ground (YY art28, art30) where the rule's article lists several: a non-empty string.
ARTICLE_SUFFIX = "_article"

# The longest article a profile may name, a rule's or an _article figure's: the narrowest column
# the services store an article in (String(200): review's, finance's, broker's, intake's
# register). Checked at load, so a longer one stops the service at start-up naming the rule,
# rather than failing the write of a decision later.
ARTICLE_MAX_CHARS = 200

# Figures whose unit alone does not bound them, as RULE.figure: the whole numbers the code can
# use them with, and how the allowed range is said. Checked at load, so a profile with one out
# of range stops the service at start-up rather than failing requests or the scheduler later.
FIGURE_RANGES: dict[tuple[str, str], tuple[frozenset[int], str]] = {
    # The report on a month is due by this day of a later month (PDS C art14: 每月5日前): a day
    # every month has, or February would have no due date.
    ("L13", "report_due_day_of_month"): (
        frozenset(range(1, 29)),
        "1 to 28 (a day every month has)",
    ),
    # The monthly report is due this many months after its month (0 would make every report
    # late the moment its month ends).
    ("L13", "report_interval_months"): (
        frozenset(range(1, 13)),
        "1 to 12 (months after the reported month)",
    ),
    # Utilisation is reported and classified by calendar month (periods YYYY-MM): another
    # interval is not built, so a profile asking for one is refused rather than ignored.
    ("L11", "monitoring_interval_months"): (
        frozenset({1}),
        "1 (the platform classifies utilisation by calendar month)",
    ),
    # Assessment periods tile the year (SN C art32: 每季度, 3): 12 / interval periods.
    ("L18", "provider_assessment_interval_months"): (
        frozenset({1, 2, 3, 4, 6, 12}),
        "1, 2, 3, 4, 6 or 12 (a divisor of 12, so the periods tile the year)",
    ),
}

Figure = Decimal | int | bool | str | tuple[str, ...]


class PolicyError(Exception):
    """Base of the policy package's errors."""


class UnknownProfile(PolicyError):
    """No built-in profile or YAML file by that name."""


class ProfileInvalid(PolicyError, ValueError):
    """A profile file that does not pass validation."""


class UnknownRule(PolicyError, LookupError):
    """A rule id that is not one of RULE_IDS."""


class MissingFigure(PolicyError, LookupError):
    """A figure the profile does not define for that rule."""


def _figure(name: str, value: Any) -> Figure:
    """Check one figure against the unit its name declares and return it typed."""
    if name in CHOICE_LIST_FIGURES:
        choices = CHOICE_LIST_FIGURES[name]
        empty_ok = name in EMPTY_LIST_FIGURES
        if not isinstance(value, (list, tuple)) or not (value or empty_ok):
            said = "a list" if empty_ok else "a non-empty list"
            raise ValueError(
                f"figure {name}={value!r} must be {said} of: {', '.join(sorted(choices))}"
            )
        bad = [v for v in value if not isinstance(v, str) or v not in choices]
        if bad:
            raise ValueError(
                f"figure {name} lists {', '.join(map(repr, bad))}: each must be one of "
                f"{', '.join(sorted(choices))}"
            )
        if len(set(value)) != len(value):
            raise ValueError(f"figure {name} lists a value twice")
        return tuple(value)
    if name in CHOICE_FIGURES:
        choices = CHOICE_FIGURES[name]
        if not isinstance(value, str) or value not in choices:
            raise ValueError(f"figure {name}={value!r} must be one of {', '.join(sorted(choices))}")
        return value
    if name.endswith(ARTICLE_SUFFIX):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"figure {name}={value!r} must name an article (a non-empty string)")
        if len(value) > ARTICLE_MAX_CHARS:
            raise ValueError(
                f"figure {name} is {len(value)} characters long: an article is at most "
                f"{ARTICLE_MAX_CHARS} (the narrowest column storing one)"
            )
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        # YAML floats are binary: quote decimals ("0.10") so they stay exact.
        raise ValueError(f"figure {name}={value!r} is a float; write it as a quoted decimal string")
    if name.endswith(DECIMAL_SUFFIXES):
        if name.endswith("_ratio") and not isinstance(value, (str, Decimal)):
            raise ValueError(f'figure {name} must be a decimal string such as "0.10"')
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"figure {name}={value!r} is not a decimal number") from None
        if not number.is_finite() or number < 0 or (name.endswith("_ratio") and number > 1):
            raise ValueError(f"figure {name}={value!r} is out of range")
        return number
    if not name.endswith(INT_SUFFIXES):
        raise ValueError(
            f"figure {name} has no unit suffix "
            f"(one of {', '.join(DECIMAL_SUFFIXES + INT_SUFFIXES + (ARTICLE_SUFFIX,))})"
        )
    if not isinstance(value, int) or value < 0:
        raise ValueError(f"figure {name}={value!r} must be a non-negative integer")
    return value


class RuleEntry(BaseModel):
    """One rule in one profile: whether it applies, the article it rests on, its figures."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    applies: bool
    article: str | None = None
    figures: dict[str, Any] = {}
    note: str | None = None

    @field_validator("figures", mode="before")
    @classmethod
    def _typed_figures(cls, value: Any) -> dict[str, Figure]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ValueError("figures must be a mapping of name to value")
        return {str(k): _figure(str(k), v) for k, v in value.items()}

    @model_validator(mode="after")
    def _article_when_applying(self) -> RuleEntry:
        # Every decision names its article, so a rule that applies must have one.
        if self.applies and not (self.article and self.article.strip()):
            raise ValueError("a rule that applies must name its article")
        return self


class CalendarOverride(BaseModel):
    """A day whose working status the operator fixes (a new year's holidays, a local change)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date
    workday: bool
    note: str | None = None


class PolicyProfile(BaseModel):
    """A jurisdiction's profile: its documents, calendar overrides and one entry per rule id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name: str
    jurisdiction: str
    documents: dict[str, str]
    document_number: str | None = None
    year: int | None = None
    seed: str | None = None
    # Working-day rules follow the State Council calendar, so the only zone is Shanghai.
    timezone: Literal["Asia/Shanghai"] = "Asia/Shanghai"
    note: str | None = None
    calendar_overrides: list[CalendarOverride] = []
    rules: dict[str, RuleEntry]

    @field_validator("rules")
    @classmethod
    def _every_rule_id(cls, rules: dict[str, RuleEntry]) -> dict[str, RuleEntry]:
        missing = [r for r in RULE_IDS if r not in rules]
        unknown = sorted(set(rules) - set(RULE_IDS))
        if missing or unknown:
            raise ValueError(
                f"rules must list every rule id of RULES.md; "
                f"missing: {missing or 'none'}; unknown: {unknown or 'none'}"
            )
        return rules

    @model_validator(mode="after")
    def _articles_fit(self) -> PolicyProfile:
        long = [
            f"{rule_id}.article is {len(entry.article)} characters long"
            for rule_id, entry in self.rules.items()
            if entry.article and len(entry.article) > ARTICLE_MAX_CHARS
        ]
        if long:
            raise ValueError(
                f"{'; '.join(long)}: an article is at most {ARTICLE_MAX_CHARS} characters (the "
                "narrowest column storing one); cite the articles shorter, e.g. 'SN P art14-15'"
            )
        return self

    @model_validator(mode="after")
    def _figures_in_range(self) -> PolicyProfile:
        bad = []
        for (rule_id, name), (allowed, said) in FIGURE_RANGES.items():
            figures = self.rules[rule_id].figures
            if name not in figures:
                continue
            value = figures[name]
            if isinstance(value, bool) or value not in allowed:
                bad.append(f"{rule_id}.{name}={value!r} is out of range: it must be {said}")
        if bad:
            raise ValueError("; ".join(bad))
        return self

    @field_validator("calendar_overrides")
    @classmethod
    def _one_override_per_date(cls, overrides: list[CalendarOverride]) -> list[CalendarOverride]:
        dates = [o.date for o in overrides]
        if len(dates) != len(set(dates)):
            raise ValueError("calendar_overrides lists a date twice")
        # A year nobody has published is the operator's once any day of it is overridden (its
        # unlisted days follow Monday to Friday): refuse part of a notice rather than silently
        # drop the statutory holidays the kit would otherwise compute for the year.
        if missing := incomplete_declared_years(dates):
            said = "; ".join(
                f"{year} lacks {', '.join(d.isoformat() for d in days)}"
                for year, days in missing.items()
            )
            raise ValueError(
                "calendar_overrides declare part of a year no published calendar covers: "
                f"{said} (statutory holidays on weekdays). Enter the State Council's whole "
                "notice for the year (every holiday on a weekday with workday: false, every "
                "make-up workday with workday: true), or no day of it"
            )
        return overrides

    def rule(self, rule_id: str) -> RuleEntry:
        """The entry for a rule id; UnknownRule if the id is not in RULES.md."""
        try:
            return self.rules[rule_id]
        except KeyError:
            raise UnknownRule(
                f"unknown rule id {rule_id!r} (profile {self.name}); "
                "rule ids are A1..L19 of RULES.md"
            ) from None

    def citation(self, rule_id: str) -> str:
        """A rule as messages cite it: RULE (article), or RULE where the profile names none."""
        article = self.rule(rule_id).article
        return f"{rule_id} ({article})" if article else rule_id

    def cite(self, text: str, *rule_ids: str) -> str:
        """Text followed by the citations of the rules it rests on that the profile applies,
        each with its article: "text (B3 (SN P art16, art17); B2 (SN P art17))". A rule the
        profile does not apply is not cited; where none applies, the text alone."""
        cited = [self.citation(r) for r in rule_ids if self.applies(r)]
        return f"{text} ({'; '.join(cited)})" if cited else text

    def applies(self, rule_id: str) -> bool:
        """Whether the rule applies in this jurisdiction."""
        return self.rule(rule_id).applies

    def required_at(self, rule_id: str, stage: str, project_type: str) -> bool:
        """Whether a rule whose requirement falls due at a stage (its `required_from` figure,
        one of STAGES; it holds at every later stage too) for some project types (its
        `project_types` figure) requires it of a project of this type at this stage. False
        where the rule does not apply. C2: YY art14 from submission for every type; WH art15
        before acceptance, for 新建 projects only."""
        if stage not in STAGES:
            raise ValueError(f"stage {stage!r} is not one of {', '.join(STAGES)}")
        if not self.applies(rule_id):
            return False
        start = self.figure(rule_id, "required_from")
        covered = self.figure(rule_id, "project_types")
        return STAGES.index(stage) >= STAGES.index(start) and project_type in covered

    def figure(self, rule_id: str, name: str) -> Figure:
        """A named figure of a rule: Decimal for _wan and _ratio, a string for a choice
        (CHOICE_FIGURES) or an article (_article), a tuple of strings for a list of choices
        (CHOICE_LIST_FIGURES), int (or bool) otherwise."""
        figures = self.rule(rule_id).figures
        if name not in figures:
            known = ", ".join(figures) or "none"
            raise MissingFigure(
                f"profile {self.name} ({self.code}) has no figure {name!r} "
                f"for rule {rule_id} (it has: {known})"
            )
        return figures[name]


def builtin_profiles() -> list[str]:
    """The names of the built-in profiles."""
    return list(BUILTIN_CODES)


def _parse(text: str, source: str) -> PolicyProfile:
    """Validate YAML text as a profile, naming the source in any error."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileInvalid(f"profile {source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ProfileInvalid(f"profile {source}: expected a mapping at the top level")
    try:
        return PolicyProfile.model_validate(data)
    except ValidationError as exc:
        raise ProfileInvalid(f"profile {source} is invalid:\n{exc}") from exc


@cache
def _load_builtin(name: str) -> PolicyProfile:
    text = (
        resources.files(__package__)
        .joinpath("profiles", f"{name}.yaml")
        .read_text(encoding="utf-8")
    )
    profile = _parse(text, f"{name} (built-in)")
    if (profile.name, profile.code) != (name, BUILTIN_CODES[name]):
        raise ProfileInvalid(
            f"built-in profile file {name}.yaml declares {profile.name}/{profile.code}"
        )
    return profile


def missing_figures(profile: PolicyProfile) -> list[str]:
    """Figures an operator's profile lacks, as RULE.name, judged against the built-ins (whose
    figures the code is written for): for each rule it applies, the figures every built-in that
    applies the rule defines, and, with each figure it sets, the figures every built-in setting
    that figure defines beside it (XY's E1 `tender_above_wan` comes with `measured_on`). Checked
    at load, so a copied profile missing one stops the service at start-up rather than failing
    requests later with MissingFigure."""
    builtins = [_load_builtin(name) for name in BUILTIN_CODES]
    missing = []
    for rule_id, entry in profile.rules.items():
        peers = [set(b.rule(rule_id).figures) for b in builtins if b.applies(rule_id)]
        if not entry.applies or not peers:
            continue
        needed = set.intersection(*peers)
        for name in entry.figures:
            if beside := [f for f in peers if name in f]:
                needed |= set.intersection(*beside)
        missing += [f"{rule_id}.{name}" for name in sorted(needed - set(entry.figures))]
    return missing


def load_profile(name_or_path: str) -> PolicyProfile:
    """A built-in profile by name or code (any case), or an operator's profile from a YAML path."""
    key = str(name_or_path).strip()
    by_code = {code.lower(): name for name, code in BUILTIN_CODES.items()}
    name = key.lower() if key.lower() in BUILTIN_CODES else by_code.get(key.lower())
    if name:
        return _load_builtin(name)
    path = Path(key).expanduser()
    if path.is_file():
        profile = _parse(path.read_text(encoding="utf-8"), str(path))
        if missing := missing_figures(profile):
            raise ProfileInvalid(
                f"profile {path} lacks figures the rules it applies are read with: "
                f"{', '.join(missing)} (every built-in profile that applies the rule, or sets "
                "the figure beside it, defines them; copy them from a built-in profile)"
            )
        return profile
    builtins = ", ".join(f"{n} ({c})" for n, c in BUILTIN_CODES.items())
    raise UnknownProfile(
        f"no policy profile {key!r}: not a built-in ({builtins}) and not a YAML file"
    )
