"""The citizen content store: SQLite (WAL) for works, moderation and audit; files by sha256.

Layout of a store folder::

    content.sqlite3          works, the audit log, the slots played
    files/ab/ab12….jpg       each work's stored form, named by the sha256 of its bytes
    files/incoming/          files being written (swept at start)
    submitter.key            secret for the keyed hash that stands for a submitter

An upload is acknowledged (``submit`` returns) only once it is durable: the
file is written, fsynced and renamed into place, its folder fsynced, and the
row committed with ``synchronous=FULL``; a SIGKILL after that loses nothing.  A
refused upload leaves no row and no file; a file without a row (a crash before
the commit) is removed when the store opens.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass

from lightshow.content.fair_queue import QueueEntry, next_artwork
from lightshow.content.limits import ContentLimits
from lightshow.content.rejection import ContentRejected
from lightshow.content.stored_form import encode_stored_artwork
from lightshow.content.text_fields import validate_submission_text
from lightshow.content.validation import DecodedArtwork, decode_artwork

STATES = ("pending", "approved", "rejected", "removed")
DB_NAME = "content.sqlite3"
SCHEMA_VERSION = 1
PLAY_HISTORY = 1000      # slots of history the fair rule looks at

SCHEMA = """
CREATE TABLE IF NOT EXISTS artworks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'removed')),
    title TEXT NOT NULL, name TEXT NOT NULL, city TEXT NOT NULL,
    submitter TEXT NOT NULL,
    source_format TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,
    n_frames INTEGER NOT NULL, duration_ms INTEGER NOT NULL,
    upload_sha256 TEXT NOT NULL UNIQUE, file_sha256 TEXT NOT NULL UNIQUE, file_ext TEXT NOT NULL,
    created_at REAL NOT NULL, decided_at REAL, reason TEXT NOT NULL DEFAULT '',
    approved_seq INTEGER
);
CREATE INDEX IF NOT EXISTS artworks_state ON artworks (state, approved_seq);
CREATE INDEX IF NOT EXISTS artworks_submitter ON artworks (submitter, created_at);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, action TEXT NOT NULL,
    artwork_id INTEGER, actor TEXT NOT NULL, reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS plays (
    slot INTEGER PRIMARY KEY AUTOINCREMENT, artwork_id INTEGER NOT NULL, at REAL NOT NULL
);
"""

_COLUMNS = ("id, state, title, name, city, submitter, source_format, width, height, n_frames, "
            "duration_ms, upload_sha256, file_sha256, file_ext, created_at, decided_at, reason, "
            "approved_seq")


@dataclass(frozen=True)
class RateLimit:
    """Per submitter: at most ``max_uploads`` accepted in ``window_s``, ``max_pending`` waiting."""

    max_uploads: int = 5
    window_s: float = 3600.0
    max_pending: int = 10


@dataclass(frozen=True)
class StoredArtwork:
    id: int
    state: str
    title: str
    name: str
    city: str
    submitter: str
    source_format: str
    width: int
    height: int
    n_frames: int
    duration_ms: int
    upload_sha256: str
    file_sha256: str
    file_ext: str
    created_at: float
    decided_at: float | None
    reason: str
    approved_seq: int | None

    @property
    def file_name(self) -> str:
        return f"{self.file_sha256}.{self.file_ext}"

    def public_dict(self) -> dict[str, object]:
        """What the moderator page shows (no hashes of submitters)."""
        return {"id": self.id, "state": self.state, "title": self.title, "name": self.name,
                "city": self.city, "format": self.source_format, "width": self.width,
                "height": self.height, "n_frames": self.n_frames, "duration_ms": self.duration_ms,
                "created_at": self.created_at, "decided_at": self.decided_at,
                "reason": self.reason}


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: float
    action: str
    artwork_id: int | None
    actor: str
    reason: str


def fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(folder: str, name: str, data: bytes, incoming: str) -> bool:
    """Write ``folder/name`` so that it survives a crash; False if it was already there."""
    final = os.path.join(folder, name)
    if os.path.exists(final):
        return False
    new_folder = not os.path.isdir(folder)
    os.makedirs(folder, exist_ok=True)
    temp = os.path.join(incoming, f"{secrets.token_hex(8)}.part")
    with open(temp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, final)
    fsync_dir(folder)
    if new_folder:
        fsync_dir(os.path.dirname(folder))
    return True


MAX_ARTWORK_ID = 2**63 - 1     # SQLite's largest integer: any id beyond names no work


def _not_found(artwork_id: int) -> ContentRejected:
    shown = artwork_id if abs(artwork_id) <= MAX_ARTWORK_ID else "?"
    return ContentRejected(404, "not-found", f"作品 {shown} 不存在。", f"there is no work {shown}")


class ContentStore:
    def __init__(self, store_dir: str, limits: ContentLimits = ContentLimits(),
                 rate: RateLimit = RateLimit(), decode_slots: int | None = None):
        self.store_dir = os.path.abspath(store_dir)
        self.limits = limits
        self.rate = rate
        self.files_dir = os.path.join(self.store_dir, "files")
        self.incoming_dir = os.path.join(self.files_dir, "incoming")
        os.makedirs(self.incoming_dir, exist_ok=True)
        self._key = self._submitter_key()
        self._lock = threading.RLock()
        self._decoding = threading.BoundedSemaphore(decode_slots or max(os.cpu_count() or 1, 1))
        self._db = sqlite3.connect(os.path.join(self.store_dir, DB_NAME), check_same_thread=False,
                                   isolation_level=None, timeout=30.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)
        self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        # every open store holds a shared lock; only the one that opens it alone sweeps, so a
        # command-line tool never removes a file a running server is about to commit
        self._lock_file = open(os.path.join(self.store_dir, "store.lock"), "a+b")
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._sweep()
        except BlockingIOError:
            pass
        fcntl.flock(self._lock_file, fcntl.LOCK_SH)

    # -- set-up ---------------------------------------------------------------------------

    def _submitter_key(self) -> bytes:
        path = os.path.join(self.store_dir, "submitter.key")
        if not os.path.exists(path):
            write_durably(self.store_dir, "submitter.key", secrets.token_bytes(32), self.incoming_dir)
        with open(path, "rb") as key_file:
            return key_file.read()

    def _sweep(self) -> None:
        """Remove half-written files and files that no committed row names (a crash's leftovers)."""
        for name in os.listdir(self.incoming_dir):
            os.unlink(os.path.join(self.incoming_dir, name))
        named = {row[0] for row in self._db.execute(
            "SELECT file_sha256 || '.' || file_ext FROM artworks WHERE state IN ('pending', 'approved')")}
        for folder in os.listdir(self.files_dir):
            path = os.path.join(self.files_dir, folder)
            if folder == "incoming" or not os.path.isdir(path):
                continue
            for name in os.listdir(path):
                if name not in named:
                    os.unlink(os.path.join(path, name))

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._lock_file.close()

    def __enter__(self) -> "ContentStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- paths and rows -------------------------------------------------------------------

    def file_path(self, artwork: StoredArtwork) -> str:
        return os.path.join(self.files_dir, artwork.file_sha256[:2], artwork.file_name)

    def submitter_of(self, identity: str) -> str:
        """The keyed hash that stands for a submitter (an address is never stored)."""
        return hmac.new(self._key, identity.encode("utf-8"), hashlib.sha256).hexdigest()[:24]

    def _rows(self, where: str = "", args: tuple = ()) -> list[StoredArtwork]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM artworks {where}", args).fetchall()
        return [StoredArtwork(*row) for row in rows]

    def get(self, artwork_id: int) -> StoredArtwork:
        if not 1 <= artwork_id <= MAX_ARTWORK_ID:
            raise _not_found(artwork_id)
        rows = self._rows("WHERE id = ?", (artwork_id,))
        if not rows:
            raise _not_found(artwork_id)
        return rows[0]

    def list(self, state: str | None = None) -> list[StoredArtwork]:
        if state is None:
            return self._rows("ORDER BY id")
        order = "approved_seq" if state == "approved" else "id"
        return self._rows(f"WHERE state = ? ORDER BY {order}", (state,))

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT state, COUNT(*) FROM artworks GROUP BY state").fetchall()
        return {state: dict(rows).get(state, 0) for state in STATES}

    def audit_log(self, limit: int = 200) -> list[AuditEntry]:
        with self._lock:
            rows = self._db.execute("SELECT id, at, action, artwork_id, actor, reason FROM audit "
                                    "ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [AuditEntry(*row) for row in rows]

    def artwork_bytes(self, artwork: StoredArtwork) -> bytes:
        with open(self.file_path(artwork), "rb") as stored:
            return stored.read()

    def decoded(self, artwork: StoredArtwork) -> DecodedArtwork:
        """The stored work decoded into frames (checked again, as any bytes are)."""
        return decode_artwork(self.artwork_bytes(artwork), self.limits)

    # -- submitting -----------------------------------------------------------------------

    def _check_rate(self, submitter: str, now: float) -> None:
        recent, pending = self._db.execute(
            "SELECT COUNT(*) FILTER (WHERE created_at > ?), COUNT(*) FILTER (WHERE state = 'pending') "
            "FROM artworks WHERE submitter = ?", (now - self.rate.window_s, submitter)).fetchone()
        if recent >= self.rate.max_uploads or pending >= self.rate.max_pending:
            minutes = max(int(self.rate.window_s // 60), 1)
            raise ContentRejected(429, "rate-limited",
                                  f"提交太频繁:每 {minutes} 分钟最多 {self.rate.max_uploads} 件作品,"
                                  "请稍后再试。",
                                  f"too many submissions: at most {self.rate.max_uploads} works every "
                                  f"{minutes} minutes (and {self.rate.max_pending} waiting); "
                                  "please try again later")

    def _check_duplicate(self, upload_sha256: str, file_sha256: str = "") -> None:
        row = self._db.execute("SELECT id, state FROM artworks WHERE upload_sha256 = ? "
                               "OR file_sha256 = ?", (upload_sha256, file_sha256)).fetchone()
        if row:
            raise ContentRejected(409, "duplicate",
                                  f"这件作品已经提交过了(编号 {row[0]})。",
                                  f"this work was already submitted (number {row[0]}, {row[1]})")

    def submit(self, data: bytes, title: str | None, name: str | None, city: str | None,
               consent: bool, identity: str) -> StoredArtwork:
        """Check, keep durably and record a citizen's upload; raises :class:`ContentRejected`."""
        text = validate_submission_text(title, name, city, consent, self.limits)
        submitter = self.submitter_of(identity)
        upload_sha256 = hashlib.sha256(data).hexdigest()
        with self._lock:
            self._check_rate(submitter, time.time())
            self._check_duplicate(upload_sha256)
        with self._decoding:
            artwork = decode_artwork(data, self.limits)
            stored, ext = encode_stored_artwork(artwork)
        file_sha256 = hashlib.sha256(stored).hexdigest()
        folder = os.path.join(self.files_dir, file_sha256[:2])
        file_name = f"{file_sha256}.{ext}"
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")        # the checks and the insert in one transaction
            wrote = False
            try:
                now = time.time()
                self._check_rate(submitter, now)
                self._check_duplicate(upload_sha256, file_sha256)
                wrote = write_durably(folder, file_name, stored, self.incoming_dir)
                cursor = self._db.execute(
                    "INSERT INTO artworks (state, title, name, city, submitter, source_format, "
                    "width, height, n_frames, duration_ms, upload_sha256, file_sha256, file_ext, "
                    "created_at) VALUES ('pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (text.title, text.name, text.city, submitter, artwork.source_format,
                     artwork.width, artwork.height, artwork.n_frames, artwork.duration_ms,
                     upload_sha256, file_sha256, ext, now))
                artwork_id = cursor.lastrowid
                self._audit(now, "submitted", artwork_id, f"citizen:{submitter[:8]}", "")
                self._db.execute("COMMIT")
            except BaseException as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if wrote:
                    os.unlink(os.path.join(folder, file_name))
                if isinstance(exc, sqlite3.IntegrityError):     # another process won the race
                    raise ContentRejected(409, "duplicate", "这件作品已经提交过了。",
                                          "this work was already submitted") from None
                raise
            return self.get(artwork_id)

    # -- moderating -----------------------------------------------------------------------

    def _audit(self, at: float, action: str, artwork_id: int | None, actor: str, reason: str) -> None:
        self._db.execute("INSERT INTO audit (at, action, artwork_id, actor, reason) "
                         "VALUES (?, ?, ?, ?, ?)", (at, action, artwork_id, actor, reason))

    def _decide(self, artwork_id: int, to_state: str, from_states: tuple[str, ...], actor: str,
                reason: str) -> StoredArtwork:
        reason = " ".join((reason or "").split())[:500]
        if to_state in ("rejected", "removed") and not reason:
            raise ContentRejected(422, "reason-missing", "请填写理由。",
                                  f"a reason is needed to mark a work {to_state}")
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                artwork = self.get(artwork_id)
                if artwork.state not in from_states:
                    raise ContentRejected(409, "wrong-state",
                                          f"作品 {artwork_id} 当前状态为 {artwork.state},不能执行此操作。",
                                          f"work {artwork_id} is {artwork.state}; it cannot become "
                                          f"{to_state}")
                now = time.time()
                seq = None
                if to_state == "approved":
                    seq = self._db.execute("SELECT COALESCE(MAX(approved_seq), 0) + 1 "
                                           "FROM artworks").fetchone()[0]
                self._db.execute("UPDATE artworks SET state = ?, decided_at = ?, reason = ?, "
                                 "approved_seq = COALESCE(?, approved_seq) WHERE id = ?",
                                 (to_state, now, reason, seq, artwork_id))
                self._audit(now, to_state, artwork_id, actor, reason)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            if to_state in ("rejected", "removed"):     # the picture itself is not kept
                path = self.file_path(artwork)
                if os.path.exists(path):
                    os.unlink(path)
            return self.get(artwork_id)

    def approve(self, artwork_id: int, actor: str, reason: str = "") -> StoredArtwork:
        return self._decide(artwork_id, "approved", ("pending",), actor, reason)

    def reject(self, artwork_id: int, actor: str, reason: str) -> StoredArtwork:
        return self._decide(artwork_id, "rejected", ("pending",), actor, reason)

    def remove(self, artwork_id: int, actor: str, reason: str) -> StoredArtwork:
        return self._decide(artwork_id, "removed", ("pending", "approved"), actor, reason)

    # -- the queue ------------------------------------------------------------------------

    def queue_entries(self) -> list[QueueEntry]:
        return [QueueEntry(a.id, a.submitter, a.approved_seq or 0) for a in self.list("approved")]

    def played_ids(self, limit: int = PLAY_HISTORY) -> list[int]:
        with self._lock:
            rows = self._db.execute("SELECT artwork_id FROM plays ORDER BY slot DESC LIMIT ?",
                                    (limit,)).fetchall()
        return [row[0] for row in reversed(rows)]

    def next_for_slot(self, no_repeat_slots: int = 3) -> StoredArtwork | None:
        """The approved work for the next artwork slot by the fair rule, recorded as played.

        ``None`` when no work may play (the show's own content plays instead).
        """
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                pick = next_artwork(self.queue_entries(), self.played_ids(), no_repeat_slots)
                if pick is not None:
                    self._db.execute("INSERT INTO plays (artwork_id, at) VALUES (?, ?)",
                                     (pick.artwork_id, time.time()))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return None if pick is None else self.get(pick.artwork_id)
