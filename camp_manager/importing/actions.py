"""What an import does with one row, and how the preview names it.

Not a stored code (those have their labels in `camp_manager.labels`): an import's own word.
"""

from __future__ import annotations

from enum import StrEnum

from camp_manager.i18n import tr


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"


def action_label(action: Action) -> str:
    return {
        Action.CREATE: tr("새로 등록"),
        Action.UPDATE: tr("수정"),
        Action.UNCHANGED: tr("변경 없음"),
        Action.ERROR: tr("오류"),
    }[action]
