"""Work queued for after the commit: the outermost commit only, once, dropped on rollback."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select, text

from app import after_commit
from app.extensions import db


def recorder(kind: str) -> list[list[Any]]:
    calls: list[list[Any]] = []
    after_commit.on_commit(kind, calls.append)
    return calls


def test_work_runs_once_after_the_outer_commit_not_a_savepoints(app: Flask) -> None:
    calls = recorder("test-a")
    after_commit.add("test-a", [1])
    with db.session.begin_nested():
        after_commit.add("test-a", [2])
    assert calls == []  # the savepoint's release is no commit of the transaction
    db.session.commit()
    assert calls == [[1, 2]]
    db.session.commit()
    assert calls == [[1, 2]]


def test_a_rollback_drops_the_work(app: Flask) -> None:
    calls = recorder("test-b")
    db.session.execute(select(text("1")))  # a transaction is open, as when work is queued
    after_commit.add("test-b", [1])
    db.session.rollback()
    db.session.commit()
    assert calls == []


def test_a_failing_handler_does_not_stop_the_others(app: Flask) -> None:
    def broken(_items: list[Any]) -> None:
        raise RuntimeError("redis gone")

    after_commit.on_commit("test-c", broken)
    calls = recorder("test-d")
    after_commit.add("test-c", [1])
    after_commit.add("test-d", [2])
    db.session.commit()
    assert calls == [[2]]
