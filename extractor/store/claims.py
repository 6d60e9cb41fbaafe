"""Claims: which running process is extracting which article, so that several processes on
one database do not send the same article to the model twice.

An article is claimed just before its first request, in the transaction that checks it is not
extracted yet, and released when it is stored or its run ends. A claim of another run stands
while that run is running, its process is alive (checked by pid when it is on this host, as
runs are) and its lease has not run out; otherwise it is taken over. The caller holds the
write transaction (:meth:`extractor.store.database.Store.claim`).
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlite_utils import Database

from extractor.vocabulary import ExtractionStatus, RunStatus

# How long a claim holds without its holder finishing the article (a run on another host
# cannot be checked for life): longer than any one article's extraction should take.
CLAIM_LEASE_S = 30 * 60


class Claim(StrEnum):
    """What :func:`take` found."""

    MINE = "mine"  # claimed for this run: extract it
    TAKEN = "taken"  # another live run is extracting it
    DONE = "done"  # extracted successfully already


def take(db: Database, key: str, run_id: int, lease_s: float = CLAIM_LEASE_S) -> Claim:
    """Claim the article of extraction ``key`` for ``run_id``, unless it is done or taken."""
    if db.execute("select 1 from extractions where id = ? and status = ?",
                  [key, ExtractionStatus.OK]).fetchone():
        return Claim.DONE
    held = db.execute(
        "select c.run_id, c.pid, c.host, c.expires_at, r.status from claims c "
        "left join runs r on r.id = c.run_id where c.id = ?", [key]).fetchone()
    host = socket.gethostname()
    if held is not None and held[0] != run_id and _holds(*held[1:], host_here=host):
        return Claim.TAKEN
    stamp = datetime.now(UTC)
    db.execute(
        "insert or replace into claims (id, run_id, pid, host, claimed_at, expires_at) "
        "values (?, ?, ?, ?, ?, ?)",
        [key, run_id, os.getpid(), host, stamp.isoformat(timespec="milliseconds"),
         (stamp + timedelta(seconds=lease_s)).isoformat(timespec="milliseconds")])
    return Claim.MINE


def release(db: Database, keys: list[str]) -> None:
    """Release the claims on ``keys`` (their articles are stored)."""
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        db.execute(f"delete from claims where id in ({','.join('?' * len(chunk))})", chunk)


def release_run(db: Database, run_id: int) -> None:
    """Release every claim of a run that ended."""
    db.execute("delete from claims where run_id = ?", [run_id])


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` on this host is alive."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


def _holds(pid: int | None, host: str | None, expires_at: str | None,
           run_status: str | None, *, host_here: str) -> bool:
    """Whether a claim of another run still stands."""
    if run_status != RunStatus.RUNNING or expires_at is None:
        return False
    if datetime.fromisoformat(expires_at) <= datetime.now(UTC):
        return False
    return not (host == host_here and pid is not None and not process_alive(pid))
