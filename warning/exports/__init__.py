"""Excel (openpyxl) writers. One module per export; the admin buttons and the
management commands call the same function, so both produce the same file.

contacts   — 导出预警点联系人信息
info_list  — 导出信息清单 (docs/rules.md §4)
scores     — 分数详情 as xlsx and JSON (docs/rules.md §6)
"""
