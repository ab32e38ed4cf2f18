"""导入: bringing the old platform's records in from xlsx / csv files (docs/imports.md).

This package owns the import of every kind of record the old platform held —
预警点 with their 负责人 / 工作人员 / 联系企业 / 领导小组, 预警信息 with their
final review outcome and every later decision, 季度形势分析 and 年度工作总结
with their files, and subsite articles — with their original dates:

- ``tables``: reading a file (xlsx, csv, or a zip holding one table and the
  files it names) into tablib Datasets, with the refusals of a bad file;
- ``cells``: turning one cell into a value, or a Chinese reason;
- ``kinds``: one class per kind of record: its Chinese columns, its natural
  key, its checks and how it writes a row;
- ``engine``: the run of one file — check every row (the dry run stops
  there), then write them all in one transaction, idempotently;
- ``history``: the log action 导入 written on every imported item.

The management command ``import_records`` and the admin screens
(``views``, wired in ``wagtail_hooks``) both call ``engine.run_import``.
Imported items never enter a workflow and nothing here notifies anyone.
"""
