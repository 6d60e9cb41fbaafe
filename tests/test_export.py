"""Exports: ACLED columns, GeoJSON, JSON Lines and CSV (extractor/export)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from events_data import incident, save_article

from extractor.cli import cli
from extractor.events.store import group_events
from extractor.export.acled import COLUMNS, interaction
from extractor.store.database import Store

MOURA_HRW = incident(
    "Malian troops and foreign fighters killed some 300 civilians in Moura.",
    day="2022-03-27", end="2022-03-31", perpetrators=("Malian Armed Forces", "Wagner Group"),
    targets=("civilians",), killed=((300, "civilians", "Human Rights Watch"),))
MOURA_ARMY = incident(
    "The Malian army said it killed 203 fighters in Moura.", day="2022-03-29",
    perpetrators=("Malian Armed Forces",), targets=("civilians",),
    killed=((203, "civilians", "the Malian army"),))
DRONE = incident(
    "A drone strike hit a wedding in Ménaka region.", event_type="explosions_remote_violence",
    sub_event_type="air_drone_strike", day="2024-02-01", end="2024-02-07", place=None,
    geo_precision="region", admin1="Ménaka", targets=("civilians",),
    killed=((12, "civilians", None),))
UNPLACED = incident("JNIM attacked soldiers somewhere.", event_type="battles",
                    sub_event_type="armed_clash", day="2024-05-02", place=None,
                    country=None, geo_precision="country",
                    perpetrators=("Jama'at Nasr al-Islam wal Muslimin",),
                    targets=("Malian Armed Forces",))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "incidents.db"
    store = Store.open(path)
    save_article(store, "HRW report on Moura", [MOURA_HRW], source="HRW")
    save_article(store, "Army statement on Moura", [MOURA_ARMY], source="AFP")
    save_article(store, "Drone strike near Ménaka", [DRONE], source="RFI",
                 published="2024-05-03")
    # An article that names no place at all: nothing can say which country.
    save_article(store, "Soldiers attacked by jihadists, the army said.", [UNPLACED],
                 source="RFI", published="2024-05-03")
    group_events(store.db)
    store.close()
    return path


def run(db_path: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["export", "--db", str(db_path), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def acled_rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


def test_acled_one_row_per_event(db_path: Path) -> None:
    rows = acled_rows(run(db_path, "--format", "acled"))
    assert len(rows) == 3
    moura = next(row for row in rows if row["location"] == "Moura")
    assert moura["event_id_cnty"].startswith("MLI")
    assert (moura["event_date"], moura["year"], moura["time_precision"]) == \
        ("2022-03-29", "2022", "1")
    assert (moura["disorder_type"], moura["event_type"], moura["sub_event_type"]) == \
        ("Political violence", "Violence against civilians", "Attack")
    assert (moura["actor1"], moura["assoc_actor_1"], moura["inter1"]) == \
        ("Malian Armed Forces", "Wagner Group", "1")
    assert (moura["actor2"], moura["inter2"], moura["interaction"]) == \
        ("Civilians (Mali)", "7", "17")
    assert moura["civilian_targeting"] == "Civilian targeting"
    assert (moura["iso"], moura["region"], moura["country"], moura["admin1"]) == \
        ("466", "Western Africa", "Mali", "Mopti")
    assert (moura["geo_precision"], moura["fatalities"]) == ("1", "203")
    assert sorted(moura["source"].split("; ")) == ["AFP", "HRW"]
    assert moura["notes"].startswith("Malian troops") or moura["notes"].startswith("The Malian")
    for empty in ("admin2", "admin3", "source_scale", "tags"):
        assert moura[empty] == ""
    assert int(moura["timestamp"]) > 1_700_000_000


def test_acled_week_window_and_region_level(db_path: Path) -> None:
    rows = acled_rows(run(db_path, "--format", "acled"))
    drone = next(row for row in rows if row["sub_event_type"] == "Air/drone strike")
    assert drone["event_type"] == "Explosions/Remote violence"
    # A week's window is coded on its middle day with time precision 2.
    assert (drone["event_date"], drone["time_precision"]) == ("2024-02-04", "2")
    assert (drone["location"], drone["geo_precision"]) == ("Ménaka", "3")
    assert (drone["actor1"], drone["inter1"], drone["interaction"]) == ("", "", "70")
    unplaced = next(row for row in rows if row["event_type"] == "Battles")
    # No country: no iso, no region, and the event's own id; nothing is guessed.
    assert (unplaced["iso"], unplaced["region"], unplaced["country"]) == ("", "", "")
    assert unplaced["event_id_cnty"].startswith("ev-")
    assert unplaced["civilian_targeting"] == ""


def test_interaction_lowest_first() -> None:
    assert interaction(8, 2) == 28
    assert interaction(None, 7) == 70
    assert interaction(None, None) is None


def test_filters(db_path: Path) -> None:
    assert len(acled_rows(run(db_path, "--format", "acled", "--since", "2024-01-01"))) == 2
    assert len(acled_rows(run(db_path, "--format", "acled", "--until", "2022-12-31"))) == 1
    assert len(acled_rows(run(db_path, "--format", "acled", "--country", "mali"))) == 2
    assert len(acled_rows(run(db_path, "--format", "acled", "--model", "gpt-4o"))) == 0
    assert len(acled_rows(run(db_path, "--format", "acled", "--incidents", "--run", "1"))) == 1


def test_geojson_feature_collection(db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "events.geojson"
    result = CliRunner().invoke(cli, ["export", "--db", str(db_path), "--format", "geojson",
                                      "-o", str(target)])
    assert result.exit_code == 0 and "Wrote 3 event(s) as geojson" in result.output
    collection = json.loads(target.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["place"] or f["properties"]["admin1"]: f
                for f in collection["features"] if f["geometry"]}
    assert features["Moura"]["geometry"] == {"type": "Point", "coordinates": [-4.5, 14.0]}
    assert features["Moura"]["properties"]["reports"] == 2
    nowhere = [f for f in collection["features"] if f["geometry"] is None]
    assert len(nowhere) == 1 and nowhere[0]["properties"]["country"] is None
    assert not list(target.parent.glob(".events.geojson.*"))  # no temporary file left


def test_jsonl_full_records(db_path: Path) -> None:
    records = [json.loads(line) for line in run(db_path, "--format", "jsonl").splitlines()]
    moura = next(r for r in records if r["place"] == "Moura")
    assert {a["name"]: a["actor_type"] for a in moura["perpetrators"]} == {
        "Malian Armed Forces": "state_forces", "Wagner Group": "external_forces"}
    assert len(moura["incidents"]) == 2
    claims = sorted(c["count_min"] for i in moura["incidents"] for c in i["casualties"])
    assert claims == [203, 300]
    assert all("evidence" in member for member in moura["incidents"])
    incidents = [json.loads(line) for line in
                 run(db_path, "--format", "jsonl", "--incidents").splitlines()]
    assert len(incidents) == 4 and all(i["event_id"].startswith("ev-") for i in incidents)


def test_csv_flat(db_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run(db_path, "--format", "csv", "--incidents"))))
    assert len(rows) == 4
    army = next(row for row in rows if row["summary"].startswith("The Malian army"))
    assert (army["perpetrators"], army["targets"], army["kind"]) == \
        ("Malian Armed Forces", "civilians", "incident")


def test_warns_about_ungrouped_incidents(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    store = Store.open(path)
    save_article(store, "HRW report on Moura", [MOURA_HRW], source="HRW")
    store.close()
    result = CliRunner().invoke(cli, ["export", "--db", str(path), "--format", "csv"])
    assert result.exit_code == 0
    assert "1 incident(s) are in no event yet" in result.stderr


def test_warns_when_configurations_would_mix(tmp_path: Path) -> None:
    path = tmp_path / "two.db"
    store = Store.open(path)
    save_article(store, "HRW report on Moura", [MOURA_HRW], source="HRW", model="baseline")
    save_article(store, "HRW report on Moura", [MOURA_HRW], source="HRW", model="gpt-4o-mini")
    group_events(store.db)
    store.close()
    mixed = CliRunner().invoke(cli, ["export", "--db", str(path), "--format", "csv"])
    assert "Events of 2 extraction configurations" in mixed.stderr
    assert len(list(csv.DictReader(io.StringIO(mixed.stdout)))) == 2
    one = CliRunner().invoke(cli, ["export", "--db", str(path), "--format", "csv", "-m",
                                   "gpt-4o-mini"])
    assert "configurations" not in one.stderr
    assert [row["model"] for row in csv.DictReader(io.StringIO(one.stdout))] == ["gpt-4o-mini"]
