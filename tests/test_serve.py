"""``extractor serve`` and ``extractor migrate``: serve only reads (a file it refuses or serves
keeps its bytes), writes get 405, a non-loopback host is warned about, and the map's tiles come
from the server itself."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from browse_sample import (
    digest,
    get,
    incident_id,
    unrelated_sqlite,
)
from click.testing import CliRunner

from extractor.browse import create_datasette, prepare
from extractor.browse.basemap import LOCAL_TILES
from extractor.browse.command import is_loopback, serve
from extractor.cli import cli as cli_main
from extractor.store.database import open_db, write_transaction

# the command --------------------------------------------------------------------------------

def test_serve_is_a_command_of_the_cli() -> None:
    from extractor.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0, result.output
    assert "--db" in result.output and "--open / --no-open" in result.output


def test_serve_without_a_database_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(serve, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "run `extractor extract" in result.output
    assert "Traceback" not in result.output


def test_serve_on_a_port_in_use(sample_db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(serve, ["--db", str(sample_db), "--port", str(port)])
    assert result.exit_code == 1
    assert f"Port {port} on 127.0.0.1 is in use" in result.output


def test_serve_on_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database")
    before = digest(path)
    result = CliRunner().invoke(serve, ["--db", str(path)])
    assert result.exit_code == 1
    assert "is not an SQLite database" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert digest(path) == before


def test_serve_refuses_an_unrelated_sqlite_file_and_leaves_it_unchanged(tmp_path: Path) -> None:
    path = unrelated_sqlite(tmp_path / "other.db")
    before = digest(path)
    result = CliRunner().invoke(serve, ["--db", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {path} is not an extractor database (no extractor migrations in it): give a "
        "database written by `extractor extract`; the file is left as it was."]
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no -journal
    with sqlite3.connect(path) as conn:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_serve_asks_for_migrate_on_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_db(path)
    with write_transaction(db):
        db.execute("delete from _sqlite_migrations where name = 'm004_run_process'")
        db.execute("drop view incident_overview")
    db.close()
    before = digest(path)
    result = CliRunner().invoke(serve, ["--db", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "m004_run_process" in result.output
    assert f"run `extractor migrate --db {path}` first" in result.output
    assert digest(path) == before


def test_serve_asks_for_migrate_when_the_views_are_missing(tmp_path: Path) -> None:
    path = tmp_path / "views.db"
    db = open_db(path)
    db.execute("drop view incidents_by_actor")
    db.close()
    before = digest(path)
    result = CliRunner().invoke(serve, ["--db", str(path)])
    assert result.exit_code == 1
    assert "lacks the current browsing views (incidents_by_actor)" in result.output
    assert digest(path) == before
    migrated = CliRunner().invoke(cli_main, ["migrate", "--db", str(path)])
    assert migrated.exit_code == 0, migrated.output
    assert "up to date" in migrated.output
    assert "incident_overview" in prepare(path)["databases"]["views"]["tables"]


def test_migrate_refuses_an_unrelated_sqlite_file(tmp_path: Path) -> None:
    path = unrelated_sqlite(tmp_path / "other.db")
    before = digest(path)
    result = CliRunner().invoke(cli_main, ["migrate", "--db", str(path)])
    assert result.exit_code == 1
    assert "is not an extractor database" in result.output and "left unchanged" in result.output
    assert digest(path) == before


def test_serving_never_changes_the_database(sample_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "served.db"
    path.write_bytes(sample_db.read_bytes())
    before = digest(path)
    datasette = create_datasette(path)
    for page in ("/served/incidents", "/served/incident_overview.json", "/served/actors",
                 f"/-/incident/{incident_id(path, 'Kidal')}", "/served/failed_extractions"):
        assert get(datasette, page).status_code == 200, page
    assert digest(path) == before


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writes_are_refused_without_a_traceback(datasette: Any, method: str) -> None:
    async def send() -> Any:
        return await datasette.client.request(method, "/incidents/incidents",
                                              data={"id": "x"})

    response = asyncio.run(send())
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"
    assert response.text == "This server is read-only: it answers GET and HEAD requests only.\n"


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.0.1", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("0.0.0.0", False), ("::", False), ("192.0.2.1", False)])
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_warns_when_the_host_is_not_loopback(sample_db: Path) -> None:
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the warning comes, then the
    # refusal to listen there, and no server starts.
    result = CliRunner().invoke(serve, ["--db", str(sample_db), "--host", "192.0.2.1"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("Warning: --host 192.0.2.1 serves ")
    assert "without a password" in lines[0]
    assert lines[1].startswith("Error: Cannot listen on 192.0.2.1:8001")


def test_the_map_draws_the_bundled_basemap_from_this_server(datasette: Any) -> None:
    html = get(datasette, "/incidents/incident_overview").text
    assert f'"tiles": {json.dumps(LOCAL_TILES)}' in html
    assert "openstreetmap.org/{z}" not in html and "{s}.tile" not in html
    tile = get(datasette, "/-/tiles/basemap/0/0/0.png")
    assert tile.status_code == 200 and tile.headers["content-type"] == "image/png"
    assert tile.content.startswith(b"\x89PNG") and len(tile.content) > 1000
    # Mali at zoom 6 is in the package; zoom 7 is not (Leaflet enlarges zoom 6 there).
    assert get(datasette, "/-/tiles/basemap/6/31/29.png").status_code == 200
    # The basemap's own database is not browsable, and not listed.
    assert get(datasette, "/basemap").status_code == 403
    assert "basemap" not in get(datasette, "/").text


def test_the_map_can_use_another_tile_server(sample_db: Path) -> None:
    url = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"
    served = create_datasette(sample_db, prepare(sample_db, url, "Local tiles"))
    html = get(served, "/incidents/incident_overview").text
    assert f'"tiles": {json.dumps(url)}' in html
    assert '"attribution": "Local tiles"' in html


def test_serve_refuses_a_tile_url_without_placeholders(sample_db: Path) -> None:
    result = CliRunner().invoke(serve, ["--db", str(sample_db), "--tiles",
                                        "http://127.0.0.1:9/tiles.png"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: --tiles http://127.0.0.1:9/tiles.png: the URL needs {z}, {x}, {y} (e.g. "
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png)"]


