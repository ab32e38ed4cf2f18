"""One cell of an import table turned into a value, or a Chinese reason why not.

xlsx cells arrive typed (numbers, datetimes); csv cells arrive as text. Both
are accepted: a time may be an Excel date cell or text such as
``2019-01-22 11:10:26`` (also with ``/`` or without seconds), read as
Asia/Shanghai time, the time the old platform showed.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
YES, NO = "是", "否"

_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日")


class CellError(ValueError):
    """A cell's value cannot be used; the message is the Chinese reason shown with row and column."""


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def text(value, *, max_length=None, required=False):
    if is_blank(value):
        if required:
            raise CellError("不能为空")
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed into an Excel number cell
    result = str(value).strip()
    if max_length and len(result) > max_length:
        raise CellError(f"不能超过 {max_length} 个字（现有 {len(result)} 个）")
    return result


def integer(value, *, minimum=None, maximum=None, required=False):
    if is_blank(value):
        if required:
            raise CellError("不能为空")
        return None
    try:
        number = float(str(value).strip()) if not isinstance(value, int | float) else value
    except ValueError:
        raise CellError(f"应为整数，收到“{value}”") from None
    if not float(number).is_integer():
        raise CellError(f"应为整数，收到“{value}”")
    number = int(number)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise CellError(f"应在 {minimum} 至 {maximum} 之间，收到 {number}")
    return number


def moment(value, *, required=False):
    """A point in time, aware, in Asia/Shanghai."""
    if is_blank(value):
        if required:
            raise CellError("不能为空")
        return None
    if isinstance(value, datetime):
        naive = value.replace(tzinfo=None)
    elif isinstance(value, date):
        naive = datetime.combine(value, time())
    else:
        raw = str(value).strip()
        naive = None
        for fmt in _DATETIME_FORMATS + _DATE_FORMATS:
            try:
                naive = datetime.strptime(raw, fmt)
                break
            except ValueError:
                continue
        if naive is None:
            raise CellError(f"时间格式应为“2019-01-22 11:10:26”，收到“{raw}”")
    if not 2000 <= naive.year <= 2100:
        raise CellError(f"年份应在 2000 至 2100 之间，收到“{naive:%Y-%m-%d %H:%M:%S}”")
    return naive.replace(tzinfo=SHANGHAI)


def day(value, *, required=False):
    """A calendar date (a datetime cell gives its date)."""
    result = moment(value, required=required)
    return result.date() if result else None


def yes_no(value, *, default=False):
    if is_blank(value):
        return default
    raw = str(value).strip()
    if raw == YES:
        return True
    if raw == NO:
        return False
    raise CellError(f"应填“{YES}”或“{NO}”，收到“{raw}”")


def choice(value, labels, *, default=None, required=False):
    """The stored value of a choice given by its Chinese label (`labels`: label → value)."""
    if is_blank(value):
        if required:
            raise CellError("不能为空")
        return default
    raw = str(value).strip()
    if raw not in labels:
        raise CellError(f"应为{'、'.join(f'“{label}”' for label in labels)}之一，收到“{raw}”")
    return labels[raw]
