"""``extractor serve``: browse a database of results in Datasette."""

from __future__ import annotations

import asyncio
import errno
import getpass
import ipaddress
import socket
import webbrowser
from pathlib import Path

import click

from extractor.browse.basemap import check_tile_url
from extractor.config import DEFAULT_DB


def _check_port(host: str, port: int) -> None:
    """Fail with a clear message when the port is taken, before Datasette starts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise click.ClickException(
                    f"Port {port} on {host} is in use: pass another with --port."
                ) from error
            raise click.ClickException(f"Cannot listen on {host}:{port}: {error}") from error


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: what it resolves to decides
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
        except OSError:
            return False
        return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


@click.command()
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), default=None,
              envvar="EXTRACTOR_DB", show_envvar=True,
              help=f"SQLite database written by `extractor extract` [default: {DEFAULT_DB}].")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; anything but loopback shares the data with the "
                   "network, without a password (a warning says so).")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True,
              help="Port to listen on.")
@click.option("--tiles", metavar="URL", default=None,
              help="Tile server for the map, as a URL template with {z}, {x} and {y} "
                   "[default: the basemap bundled with extractor, zoom 0 to 6, served by "
                   "this server: works offline].")
@click.option("--tiles-attribution", metavar="HTML", default=None,
              help="Credit shown on the map for --tiles [default: OpenStreetMap "
                   "contributors].")
@click.option("--review", is_flag=True, default=False,
              help="Let an analyst accept, reject or correct incidents and add missed ones on "
                   "the evidence pages; reviews go to the reviews table only. Only on a "
                   "loopback --host; prints a login URL with a token for this run.")
@click.option("--reviewer", metavar="NAME", default=None,
              help="Who the reviews are by, with --review [default: your login name].")
@click.option("--open/--no-open", "open_browser", default=False, show_default=True,
              help="Open the incidents overview in a web browser.")
def serve(db: Path | None, host: str, port: int, tiles: str | None,
          tiles_attribution: str | None, review: bool, reviewer: str | None,
          open_browser: bool) -> None:
    """Browse the results in Datasette: incidents, actors, a map, canned queries, and each
    incident's evidence highlighted in its article. Read-only: the database is never changed.

    \b
    Example:
        extractor extract examples/articles --db data/incidents.db
        extractor serve --db data/incidents.db --open
        extractor serve --db data/incidents.db --review
    """
    path = Path(db) if db else Path(DEFAULT_DB)
    if not path.is_file():
        raise click.ClickException(
            f"No database at {path}: run `extractor extract PATHS --db {path}` first."
        )
    if tiles is not None:
        problem = check_tile_url(tiles)
        if problem:
            raise click.ClickException(problem)
    if review and not is_loopback(host):
        raise click.ClickException(
            f"--review writes reviews and is only served on this machine: drop --host {host} "
            "or use --host 127.0.0.1.")
    import uvicorn

    from extractor.browse import (
        NotAnExtractorDatabase,
        create_datasette,
        database_name,
        prepare,
        with_review,
    )
    from extractor.browse.review import LOGIN_PATH, login_token

    try:
        metadata = prepare(path, tiles, tiles_attribution)
        if review:
            metadata = with_review(metadata, path, reviewer or getpass.getuser())
    except NotAnExtractorDatabase as error:
        raise click.ClickException(f"{error}; the file is left as it was.") from error
    if not is_loopback(host):
        click.secho(
            f"Warning: --host {host} serves {path} to every machine that can reach this one on "
            f"port {port}, without a password. Use --host 127.0.0.1 to keep it to this "
            "machine.", fg="yellow", err=True)
    _check_port(host, port)
    datasette = create_datasette(path, metadata)
    asyncio.run(datasette.invoke_startup())
    url = f"http://{host}:{port}/{database_name(path)}/incident_overview"
    click.echo(f"Serving {path} at http://{host}:{port}/  (Ctrl+C to stop)", err=True)
    click.echo(f"Incidents overview and map: {url}", err=True)
    if review:
        login = (f"http://{host}:{port}{LOGIN_PATH}?token="
                 f"{login_token(datasette, metadata['plugins']['extractor-review']['reviewer'])}")
        click.echo(f"Review mode: open this URL to log in and review (good until serve "
                   f"stops):\n    {login}", err=True)
        url = login
    if open_browser:
        webbrowser.open(url)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")
