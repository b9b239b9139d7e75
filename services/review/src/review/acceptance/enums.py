"""Enumerations of acceptance (验收) and evaluation (绩效评价)."""

import enum


class Stage(enum.StrEnum):
    """Which acceptance: pingdingshan accepts twice (初验, then 终验 after stable running)."""

    SINGLE = "single"  # 竣工验收
    INITIAL = "initial"  # 初验
    FINAL = "final"  # 终验


class Material(enum.StrEnum):
    """G3's acceptance materials."""

    SUMMARY = "summary"  # 项目总结
    FINANCIAL_REPORT = "financial_report"  # 财务报告
    AUDIT_REPORT = "audit_report"  # 审计报告
    SECURITY_ASSESSMENT = "security_assessment"  # 等保测评和备案
    CRYPTO_ASSESSMENT = "crypto_assessment"  # 密评
    DATA_DICTIONARY = "data_dictionary"  # 数据字典


class SecurityEvaluation(enum.StrEnum):
    """G6: the result of the security evaluation (安全评测) the acceptance took."""

    PASSED = "passed"
    FAILED = "failed"


class PreApprovalStatus(enum.StrEnum):
    """Where the data bureau's pre-approval of acceptance (履约验收前置核准, G2) stands."""

    REQUESTED = "requested"
    GRANTED = "granted"
    REFUSED = "refused"


class EvaluationStatus(enum.StrEnum):
    """Where a performance evaluation stands."""

    PENDING = "pending"
    RECORDED = "recorded"


class Grade(enum.StrEnum):
    """An evaluation's result (H2: it decides the next O&M funds and approvals)."""

    EXCELLENT = "excellent"
    GOOD = "good"
    PASS = "pass"
    FAIL = "fail"


class ReportRecipient(enum.StrEnum):
    """Who the acceptance report is filed with (G7, PDS P art18)."""

    DATA_BUREAU = "data_bureau"  # 市政务服务和大数据管理局
    NDRC = "ndrc"  # 市发改委
    FINANCE = "finance"  # 市财政局
    AUDIT = "audit"  # 市审计局
