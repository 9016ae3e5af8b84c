"""Photos and files of a signal, kept content-addressed beside the ledger.

The ledger holds events, not blobs: a signal names each file by its sha256,
and the bytes live in ``<ledger>.files/<sha256[:2]>/<sha256>``. The same photo
attached twice is stored once; a laptop's files merge by copying the folder;
and anyone can check that a file is the one the signed event names.
"""

from __future__ import annotations

import hashlib
import mimetypes
import shutil
from pathlib import Path

from tracer.quality.signal_model import Attachment, SignalError


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


def store_attachment(ledger_path: str | Path, file: str | Path) -> Attachment:
    """Copy `file` into the ledger's file store (once) and describe it."""
    src = Path(file)
    if not src.is_file():
        raise SignalError(f"attachment {src} is not a readable file")
    sha, size = _digest(src)
    dest = attachment_path(ledger_path, sha)
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_suffix(".part")
        shutil.copyfile(src, tmp)
        tmp.replace(dest)
    media_type = mimetypes.guess_type(src.name)[0]
    return Attachment(src.name, sha, size, media_type)


def check_attachment(ledger_path: str | Path, attachment: Attachment) -> bool:
    """True if the stored file is there and still has the digest the event names."""
    p = attachment_path(ledger_path, attachment.sha256)
    return p.is_file() and _digest(p)[0] == attachment.sha256
