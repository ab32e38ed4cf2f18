"""Operations: what running the platform on several servers needs, apart from the domain.

This package owns the health endpoint (`/health/`: database, cache, file storages and the
worker's heartbeat), the request id carried by every log line and the JSON log format
(`operations.logs`), and the backup / restore commands (`operations.backup`). It holds no
domain rule; docs/deployment.md describes how the parts are started and configured.
"""
