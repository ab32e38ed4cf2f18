"""Admin wiring of the warning app, one module per screen family.

wagtail_hooks.py imports each module; the modules register menu items,
viewsets and URLs, and call the domain modules (review, statistics,
exports …) for every rule. MENU_ORDER keeps the seed's menu order.
"""

MENU_ORDER = {
    "子网站信息发布": 9100,
    "商务局预警信息": 9200,
    "地市审核进度查询": 9300,
    "原创预警信息审核": 9400,
    "审核意见配置": 9500,
    "预警点管理": 9600,
    "季度形势分析": 9700,
    "年度工作总结": 9800,
    "统计分析": 9900,
    "期刊杂志": 10000,
    "内部交流": 10100,
    "消息中心": 10200,
}
