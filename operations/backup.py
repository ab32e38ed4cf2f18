"""Backup and restore: the database and every uploaded file, in one tar.gz.

A backup holds `manifest.json` (database vendor, time, file list per storage), the
database dump and the files of the upload storages (`default`: media; `private`: report
attachments and periodic reports, where configured), read through Django's storage API
so the same command works on local disk and on S3. The dump is the database's own:
`pg_dump -Fc` for PostgreSQL (restored with `pg_restore --clean`), SQLite's online backup
API for SQLite; a backup restores into the same kind of database it was taken from.

A restore makes the database and each storage equal to the backup: tables are replaced,
files not in the backup are deleted. Stop the app servers and the worker first
(docs/deployment.md, "Backup and restore").
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

UPLOAD_STORAGES = ("default", "private")
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database/sqlite3.db", "postgresql": "database/postgresql.dump"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the operator (Chinese)."""


def upload_storages():
    return [alias for alias in UPLOAD_STORAGES if alias in settings.STORAGES]


def walk(storage, path=""):
    """Every file name below path in a storage (empty when the storage does not exist yet)."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{path}/{name}" if path else name
    for directory in directories:
        yield from walk(storage, f"{path}/{directory}" if path else directory)


# --- database ----------------------------------------------------------------------------------


def _pg_args_and_env():
    db = connection.settings_dict
    args = ["-h", db["HOST"] or "localhost", "-p", str(db["PORT"] or 5432), "-U", db["USER"] or "postgres"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env, db["NAME"]


def _run(command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()}")


def dump_database(target):
    """Write the current database into the file `target`; return the manifest's vendor."""
    vendor = connection.vendor
    if vendor == "postgresql":
        args, env, name = _pg_args_and_env()
        _run(["pg_dump", "-Fc", "--no-owner", "--no-acl", *args, "-f", str(target), name], env)
    elif vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        raise BackupError(f"不支持备份 {vendor} 数据库")
    return vendor


def load_database(source, vendor):
    """Replace the current database's contents with the dump in `source`."""
    if vendor != connection.vendor:
        raise BackupError(f"备份来自 {vendor} 数据库，不能恢复到 {connection.vendor} 数据库")
    if vendor == "postgresql":
        connection.close()
        args, env, name = _pg_args_and_env()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                *args,
                "-d",
                name,
                str(source),
            ],
            env,
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(source) as dump:
            dump.backup(connection.connection)
        dump.close()


# --- the archive -------------------------------------------------------------------------------


def backup(path):
    """Write a backup of the database and the upload storages to `path`; return its manifest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="yujing-backup-"))
    try:
        vendor_dump = workdir / "database"
        vendor = dump_database(vendor_dump)
        manifest = {"created": timezone.now().isoformat(), "database": vendor, "files": {}}
        with tarfile.open(path, "w:gz") as archive:
            archive.add(vendor_dump, arcname=DUMPS[vendor])
            for alias in upload_storages():
                storage = storages[alias]
                names = sorted(walk(storage))
                for name in names:
                    info = tarfile.TarInfo(f"files/{alias}/{name}")
                    info.size = storage.size(name)
                    info.mtime = int(timezone.now().timestamp())
                    with storage.open(name, "rb") as handle:
                        archive.addfile(info, handle)
                manifest["files"][alias] = names
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
        return manifest
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def restore(path):
    """Make the database and the upload storages equal to the backup at `path`; return its manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"备份文件 {path} 不存在")
    workdir = Path(tempfile.mkdtemp(prefix="yujing-restore-"))
    try:
        with tarfile.open(path, "r:gz") as archive:
            try:
                manifest = json.load(archive.extractfile(MANIFEST))
            except KeyError:
                raise BackupError(f"{path} 不是本平台的备份（缺少 {MANIFEST}）") from None
            vendor = manifest["database"]
            if vendor != connection.vendor:
                raise BackupError(f"备份来自 {vendor} 数据库，不能恢复到 {connection.vendor} 数据库")
            archive.extract(DUMPS[vendor], workdir, filter="data")
            load_database(workdir / DUMPS[vendor], vendor)
            for alias, names in manifest["files"].items():
                if alias not in settings.STORAGES:
                    raise BackupError(f"备份含有存储 {alias} 的文件，但当前配置没有这个存储")
                storage = storages[alias]
                for name in list(walk(storage)):
                    storage.delete(name)
                for name in names:
                    handle = archive.extractfile(f"files/{alias}/{name}")
                    saved = storage.save(name, File(handle, name=name))
                    if saved != name:
                        raise BackupError(f"文件 {name} 恢复后名称变为 {saved}")
        return manifest
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
