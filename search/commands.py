"""`flask search sync | rebuild | check | prune`: the index's maintenance commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from marketplace.extensions import db
from search import indexer, store
from search.check import compare
from search.documents import count_documents
from search.outbox import prune_outbox

search_cli = AppGroup("search", help="Keep the search index in step with the database.")


def _index_dir() -> str:
    return current_app.config["SEARCH_INDEX_DIR"]


@search_cli.command("sync")
def sync_command() -> None:
    """Apply the pending outbox rows (rebuild if the index is lost or too far behind)."""
    done = indexer.ensure_index(_index_dir(), db.engine)
    position = indexer.current_position(_index_dir())
    click.echo(f"search index {done}; outbox position {position['last']}.")


@search_cli.command("rebuild")
@click.option("--procs", type=int, default=None, help="Writer processes (default: up to 2).")
def rebuild_command(procs: int | None) -> None:
    """Build a new index from the database beside the live one and swap it in."""
    with Session(db.engine) as session:
        total = count_documents(session)
    with click.progressbar(length=total, label="Indexing shops and products") as bar:
        count = indexer.rebuild(_index_dir(), db.engine, procs=procs, progress=bar.update)
    click.echo(f"{count} documents indexed; the new index is live.")


@search_cli.command("check")
def check_command() -> None:
    """Compare the index with the database; exit 1 if they differ."""
    try:
        report = compare(_index_dir(), db.engine)
    except store.IndexUnavailable as error:
        raise click.ClickException(
            f"no usable index ({error}); run `flask search rebuild`"
        ) from error
    for kind, ids in report.items():
        if ids:
            shown = ", ".join(ids[:20]) + (" ..." if len(ids) > 20 else "")
            click.echo(f"{kind}: {len(ids)} ({shown})")
    if any(report.values()):
        raise SystemExit(1)
    click.echo("search index matches the database.")


@search_cli.command("prune")
@click.option("--days", type=int, default=30, show_default=True, help="Keep this many days.")
def prune_command(days: int) -> None:
    """Delete outbox rows older than the retention window (replicas behind it rebuild)."""
    top = prune_outbox(db.engine, days)
    if top is None:
        click.echo("nothing to prune.")
        return
    click.echo(f"outbox pruned up to id {top}.")
