"""make_* helpers for warning reports in review tests: drafts written and submitted the way the admin does."""

import itertools

from warning import review
from warning.models import Industry, WarningReport

_seq = itertools.count(1)


def make_report(point, editor, title=None, submit=True, **fields):
    """A report of `point` written by `editor` (a point editor), with a first revision; submitted unless told not."""
    defaults = dict(
        point=point,
        title=title or f"测试预警信息{next(_seq)}",
        industry=Industry.objects.get(name="化工"),
        country="US",
        author="张三",
        phone="13800000000",
        body="<p>美国对进口产品启动反倾销调查。</p>",
        created_by=editor,
        live=False,  # as Wagtail's CreateAction does: a report goes live only with the provincial 通过
    )
    defaults.update(fields)
    report = WarningReport.objects.create(**defaults)
    report.save_revision(user=editor, clean=False)
    if submit:
        report = review.submit(report, editor)
    return report


def decide(report, user, action, comment="意见", options=()):
    """Act on the report's current task state as `user` (the reviewer's screen does the same)."""
    task_state = review.current_task_state(report)
    return review.apply_action(report, user, action, comment=comment, options=options, task_state_id=task_state.pk)
