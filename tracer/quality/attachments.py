"""Photos and files of a signal, kept content-addressed with the ledger.

The ledger holds events, not blobs: a signal names each file by its sha256.
Beside an SQLite ledger the bytes live in ``<ledger>.files/<sha256[:2]>/<sha256>``
(a laptop's files merge by copying the folder); in a PostgreSQL ledger they
live in the database (`tracer.ledger.postgres.files`), where every station
reaches them. Either way the same photo attached twice is stored once, and
anyone can check that a file is the one the signed event names.

`where` is the ledger itself, or (SQLite only) its file path.
"""

from __future__ import annotations

import hashlib
import mimetypes
import shutil
from pathlib import Path
from typing import Any

from tracer.quality.signal_model import Attachment, SignalError

Where = str | Path | Any  # an SQLite ledger's path, or an open ledger of either backend


def _server(where: Where) -> Any | None:
    """The open PostgreSQL ledger, if `where` is one."""
    return where if getattr(where, "backend", None) == "postgresql" else None


def _folder_ledger(where: Where) -> Path:
    if isinstance(where, (str, Path)):
        if str(where).lower().startswith(("postgresql:", "postgres:")):
            raise SignalError("give the open ledger, not its URL, to store files on a server")
        return Path(where)
    return Path(where.path)


def files_dir(ledger_path: str | Path) -> Path:
    p = Path(ledger_path)
    return p.with_name(p.name + ".files")


def attachment_path(ledger_path: str | Path, sha256: str) -> Path:
    return files_dir(ledger_path) / sha256[:2] / sha256


def _digest(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def store_attachment(where: Where, file: str | Path) -> Attachment:
    """Copy `file` into the ledger's file store (once) and describe it."""
    src = Path(file)
    if not src.is_file():
        raise SignalError(f"attachment {src} is not a readable file")
    sha, size = _digest(src)
    media_type = mimetypes.guess_type(src.name)[0]
    server = _server(where)
    if server is not None:
        from tracer.ledger.postgres.files import put_file

        put_file(server, sha, src.read_bytes())
        return Attachment(src.name, sha, size, media_type)
    _copy_in(src, attachment_path(_folder_ledger(where), sha))
    return Attachment(src.name, sha, size, media_type)


def _copy_in(src: Path, dest: Path) -> bool:
    """Copy into the folder store (once, whole or not at all); True if it was not there."""
    if dest.exists():
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".part")
    shutil.copyfile(src, tmp)
    tmp.replace(dest)
    return True


def read_attachment(where: Where, attachment: Attachment) -> bytes | None:
    """The stored bytes, or None when the file is missing or not what the event names."""
    server = _server(where)
    if server is not None:
        from tracer.ledger.postgres.files import get_file

        data = get_file(server, attachment.sha256)
    else:
        p = attachment_path(_folder_ledger(where), attachment.sha256)
        data = p.read_bytes() if p.is_file() else None
    if data is None or hashlib.sha256(data).hexdigest() != attachment.sha256:
        return None
    return data


def check_attachment(where: Where, attachment: Attachment) -> bool:
    """True if the stored file is there and still has the digest the event names."""
    if _server(where) is not None:
        return read_attachment(where, attachment) is not None
    p = attachment_path(_folder_ledger(where), attachment.sha256)
    return p.is_file() and _digest(p)[0] == attachment.sha256


def copy_attachments(local: Any, shared: Any) -> int:
    """Send the files kept beside a station's SQLite ledger to the shared ledger's store.

    `tracer sync` runs this after the events, so a signal recorded offline
    keeps its photos on the server. Content-addressed, hence idempotent: a
    file already there is not stored again. Returns the number of files sent.
    """
    if _server(local) is not None:
        return 0  # a server ledger's files are already where every station reaches them
    folder = files_dir(_folder_ledger(local))
    if not folder.is_dir():
        return 0
    server = _server(shared)
    there: set[str] = set()
    if server is not None:
        from tracer.ledger.postgres.files import file_digests, put_file

        there = file_digests(server)  # one query: files already on the server are not re-sent
    sent = 0
    for path in sorted(p for p in folder.glob("??/*") if p.is_file() and p.suffix != ".part"):
        sha = path.name
        if sha in there or _digest(path)[0] != sha:
            continue  # a damaged copy is not spread; `check_attachment` reports it locally
        if server is not None:
            put_file(server, sha, path.read_bytes())
        elif not _copy_in(path, attachment_path(_folder_ledger(shared), sha)):
            continue
        sent += 1
    return sent
