"""The warning app's models, one module per part of the domain.

regions    — 地市 and 区县 of Zhejiang
reference  — 所属行业 and 审核意见 presets
points     — 预警点 and its related people and enterprises
profiles   — which point or city a user is bound to (the role scope)
reports    — 预警信息 (warning reports) and their review consequences
periodic   — 季度形势分析 and 年度工作总结
messaging  — 消息中心 messages and 商务局预警信息 notices
yearclose  — 确认年度结果: a confirmed year's snapshot of every point's score
"""

from .messaging import Message, Notice, NoticeRecipient
from .periodic import AnnualSummary, QuarterlyAnalysis
from .points import (
    ContactEnterprise,
    LeadershipMember,
    ResponsiblePerson,
    StaffMember,
    WarningPoint,
)
from .profiles import Profile
from .reference import Industry, ReviewOpinion
from .regions import City, District
from .reports import (
    CityReviewTask,
    ProvincialReviewTask,
    ReportAttachment,
    ReviewRecord,
    WarningReport,
)
from .yearclose import PointYearSnapshot, YearConfirmation

__all__ = [
    "AnnualSummary",
    "City",
    "CityReviewTask",
    "ContactEnterprise",
    "District",
    "Industry",
    "LeadershipMember",
    "Message",
    "Notice",
    "NoticeRecipient",
    "PointYearSnapshot",
    "Profile",
    "ProvincialReviewTask",
    "QuarterlyAnalysis",
    "ReportAttachment",
    "ResponsiblePerson",
    "ReviewOpinion",
    "ReviewRecord",
    "StaffMember",
    "WarningPoint",
    "WarningReport",
    "YearConfirmation",
]
