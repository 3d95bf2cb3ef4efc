"""Work that waits for the current transaction's commit, and is dropped if it rolls back.

A module registers a handler for its kind of work (`on_commit`); code inside a transaction
adds items (`add`); after the outermost commit (not a savepoint's release) each handler
gets its items once. A handler that fails is logged and the others still run: the
committed change stands, and the work has a sweeper or a TTL behind it (the outbox's send
jobs, the caller cache's invalidation). Items added inside a savepoint that rolls back are
kept (the outbox's sweeper and a spare invalidation make that harmless).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db

log = logging.getLogger(__name__)
KEY = "melek_after_commit"
_handlers: dict[str, Callable[[list[Any]], None]] = {}


def on_commit(kind: str, handler: Callable[[list[Any]], None]) -> None:
    """Run `handler(items)` after each commit that added items of `kind` (once per process)."""
    _handlers[kind] = handler
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)


def add(kind: str, items: Iterable[Any]) -> None:
    """Queue work of `kind` until the current session commits."""
    db.session.info.setdefault(KEY, {}).setdefault(kind, []).extend(items)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the transaction goes on
        return
    for kind, items in (session.info.pop(KEY, None) or {}).items():
        try:
            _handlers[kind](items)
        except Exception as exc:  # the data is committed; one kind's failure must not stop the others
            log.error("after commit: work failed", extra={"kind": kind, "error": type(exc).__name__})


def _after_soft_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(KEY, None)
