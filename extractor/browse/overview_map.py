"""The overview map: incidents pinned by how precisely their place is known, and events.

datasette-cluster-map 0.18 draws every row as the same default pin; it has no option for a
pin's look (its options are the coordinate columns, the tile layer and the container). On the
pages where a pin should say how precise it is (the ``incident_overview`` view and the
``incidents`` table, which carry ``geo_precision_code``) the project draws the map itself
with the same pieces (datasette-leaflet's Leaflet, datasette-cluster-map's marker clustering,
the same tiles), and points datasette-cluster-map at coordinate columns those pages do not
have, which is how that plugin is kept off a table. Pins:

* code 1 (the place itself): a solid dot;
* code 2 (near a place): a hollow ring;
* code 3 (a region or country centroid): a large faint dashed disc, so a country's centre
  never passes for a village.

When the database has events (the ``events`` table and ``incidents.event_id``), the overview
also shows each event as a diamond at its most precisely located incident (the
``event_overview`` query), in a layer of its own that the map's layer control toggles.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAP_TABLES", "OFF", "map_config", "map_script", "without_cluster_map"]

MAP_TABLES = ("incident_overview", "incidents")
# datasette-cluster-map is kept off MAP_TABLES by pointing it at columns they do not have.
OFF = {"latitude_column": "no_cluster_map_latitude",
       "longitude_column": "no_cluster_map_longitude"}

_SCRIPT = """
// datasette-leaflet names Leaflet's URLs in a script after this one: wait for the page.
document.addEventListener("DOMContentLoaded", async () => {
  const config = %s;
  const addCss = (href) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  };
  addCss(datasette.leaflet.CSS_URL);
  addCss(config.markerclusterCss);
  await import(datasette.leaflet.JAVASCRIPT_URL);
  await import(config.markerclusterJs);
  const table = document.querySelector(".table-wrapper") ||
    document.querySelector("table.rows-and-columns");
  if (!table) return;
  const element = document.createElement("div");
  element.className = "extractor-map";
  table.parentNode.insertBefore(element, table);
  const map = L.map(element, {layers: [L.tileLayer(config.tiles, config.tileOptions)]});
  const precision = {
    1: ["the place itself", [14, 14]],
    2: ["near a place", [18, 18]],
    3: ["a region or country (its centre)", [44, 44]],
  };
  const paragraph = (text, tag) => {
    const node = document.createElement(tag || "p");
    node.textContent = text;
    return node;
  };
  const popup = (lines, href, label) => {
    const box = document.createElement("div");
    lines.filter(Boolean).forEach(([text, tag]) => box.appendChild(paragraph(text, tag)));
    const link = document.createElement("a");
    link.href = href;
    link.textContent = label;
    box.appendChild(link);
    return box;
  };
  const pin = (row, kind) => {
    const code = precision[row.geo_precision_code] ? row.geo_precision_code : 3;
    const icon = L.divIcon({
      className: `extractor-pin ${kind} precision-${code}`,
      iconSize: kind === "event" ? [18, 18] : precision[code][1],
    });
    // An event sits on top of the incidents that report it.
    return L.marker([row.latitude, row.longitude], {
      icon, title: kind === "event" ? "an event" : precision[code][0],
      zIndexOffset: kind === "event" ? 1000 : 0,
    });
  };
  const rows = async (url) => {
    let all = [];
    while (url) {
      const data = await (await fetch(url)).json();
      all = all.concat(data.rows);
      url = data.next_url;
    }
    return all.filter((row) => row.latitude !== null && row.longitude !== null);
  };
  const json = location.pathname + ".json" + location.search +
    (location.search ? "&" : "?") + "_shape=objects&_size=max&_labels=off";
  const located = [];
  const incidents = L.markerClusterGroup({maxClusterRadius: 50});
  for (const row of await rows(json)) {
    located.push([row.latitude, row.longitude]);
    const code = precision[row.geo_precision_code] ? row.geo_precision_code : 3;
    incidents.addLayer(pin(row, "incident").bindPopup(popup([
      [row.summary, "strong"],
      [[row.date_start, row.event_type].filter(Boolean).join(" · ")],
      [`${[row.place, row.admin1, row.country].filter(Boolean).join(", ")}: ` +
       `placed at ${precision[code][0]}`],
    ], config.incidentPath.replace("ID", encodeURIComponent(row.id)), "evidence →")));
  }
  map.addLayer(incidents);
  const layers = {"Incidents": incidents};
  if (config.events) {
    const events = L.markerClusterGroup({maxClusterRadius: 50});
    for (const row of await rows(config.events)) {
      located.push([row.latitude, row.longitude]);
      events.addLayer(pin(row, "event").bindPopup(popup([
        [`Event ${row.event_id}`, "strong"],
        [`${row.incidents} incidents in ${row.articles} articles, ` +
         `${row.first_date || "undated"}${row.last_date && row.last_date !== row.first_date
           ? " to " + row.last_date : ""}`],
        [row.places],
      ], config.eventPath.replace("ID", encodeURIComponent(row.event_id)), "its incidents →")));
    }
    map.addLayer(events);
    layers["Events"] = events;
    L.control.layers(null, layers, {collapsed: false}).addTo(map);
  }
  const legend = L.control({position: "bottomleft"});
  legend.onAdd = () => {
    const box = L.DomUtil.create("div", "extractor-map-legend");
    const entries = Object.entries(precision).map(([code, [label]]) =>
      [`extractor-pin incident precision-${code}`, label]);
    if (config.events) entries.push(["extractor-pin event precision-1", "an event"]);
    for (const [className, label] of entries) {
      const line = L.DomUtil.create("div", "", box);
      L.DomUtil.create("span", className, line);
      line.appendChild(document.createTextNode(" " + label));
    }
    return box;
  };
  legend.addTo(map);
  if (located.length) {
    map.fitBounds(L.latLngBounds(located), {maxZoom: 8, padding: [20, 20]});
  } else {
    map.setView([0, 0], 1);
  }
});
"""

STYLE = """
.extractor-map { height: 500px; width: 100%; margin-bottom: 1.5em; }
.extractor-pin { border-radius: 50%; box-sizing: border-box; }
.extractor-pin.incident.precision-1 { background: #1d4e89; border: 2px solid #fff; }
.extractor-pin.incident.precision-2 { background: transparent; border: 4px solid #1d4e89; }
.extractor-pin.incident.precision-3 { background: rgba(29, 78, 137, 0.15);
  border: 2px dashed rgba(29, 78, 137, 0.6); }
.extractor-pin.event { background: none; border: none; border-radius: 0; }
/* The diamond is drawn inside: Leaflet places the marker with a transform of its own. */
.extractor-pin.event::before { content: ""; position: absolute; inset: 2px;
  background: #d9480f; border: 2px solid #fff; transform: rotate(45deg); }
.extractor-map-legend { background: rgba(255, 255, 255, 0.9); padding: 0.4em 0.6em;
  font-size: 0.85em; line-height: 1.8; }
.extractor-map-legend span { display: inline-block; position: relative; width: 14px;
  height: 14px; vertical-align: middle; }
"""


def without_cluster_map(tables: dict[str, Any]) -> dict[str, Any]:
    """A database's table metadata with datasette-cluster-map kept off :data:`MAP_TABLES`."""
    return {**tables, **{name: {**tables.get(name, {}),
                                "plugins": {"datasette-cluster-map": OFF}}
                         for name in MAP_TABLES}}


async def map_config(datasette: Any, database: str, incident_path: str) -> dict[str, Any]:
    """What the map's script needs: the tiles datasette-cluster-map is configured with, the
    clustering library it bundles, where an incident's page is (``ID`` stands for the id),
    and the events query when the database has events."""
    tiles = datasette.plugin_config("datasette-cluster-map") or {}
    db = datasette.get_database(database)
    has_events = "events" in set(await db.table_names())
    return {
        "tiles": tiles.get("tile_layer"),
        "tileOptions": tiles.get("tile_layer_options") or {},
        "markerclusterJs": datasette.urls.static_plugins("datasette-cluster-map",
                                                         "leaflet.markercluster.min.js"),
        "markerclusterCss": datasette.urls.static_plugins("datasette-cluster-map",
                                                          "leaflet.markercluster.css"),
        "incidentPath": incident_path,
        "events": datasette.urls.database(database) + "/event_overview.json?_shape=objects"
        if has_events else None,
        "eventPath": datasette.urls.table(database, "incidents") + "?event_id=ID",
    }


def map_script(config: dict[str, Any]) -> str:
    """The map's script with its settings (:func:`map_config`)."""
    return (f"(() => {{ const style = document.createElement('style'); style.textContent = "
            f"{json.dumps(STYLE)}; document.head.appendChild(style); }})();\n"
            + _SCRIPT % json.dumps(config))
