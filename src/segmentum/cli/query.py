"""``segmentum query``: the named SPARQL query library."""

from __future__ import annotations

from pathlib import Path

import click

from segmentum.cli.base import argument, command, option
from segmentum.cli.common import Invocation, emit, handle_errors, output_option, pass_state
from segmentum.i18n.messages import text
from segmentum.query.results import ResultFormat
from segmentum.tasks import store as store_tasks


@command("query")
@argument("query", required=False)
@argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@option("--param", "-p", "params", multiple=True)
@option("-f", "--format", "fmt", type=click.Choice([f.value for f in ResultFormat]), default=ResultFormat.TABLE.value, show_default=True)
@option("--ids", is_flag=True)
@option("--limit", type=click.IntRange(0), default=None)
@option("--offset", type=click.IntRange(0), default=None)
@option("--list", "list_queries", is_flag=True)
@output_option
@pass_state
@handle_errors
def query(state: Invocation, query: str | None, paths: tuple[Path, ...], params: tuple[str, ...], fmt: str, ids: bool,
          limit: int | None, offset: int | None, list_queries: bool, output: Path | None) -> None:
    if list_queries:
        emit(store_tasks.list_queries(state.lang), output)
        return
    if not query:
        raise click.UsageError(text("cli.query_needs_name", state.lang))
    emit(store_tasks.run_named_query(state.session, query, list(params), list(paths), fmt, ids=ids,
                                           limit=limit, offset=offset), output)
