"""Grouping incidents of different articles into events (extractor/events)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from events_data import incident, save_article

from extractor.cli import cli
from extractor.events.overrides import OverrideError, merge_events, split_incident
from extractor.events.store import group_events
from extractor.store.database import Store

MOURA_HRW = incident(
    "Malian troops and foreign fighters killed some 300 civilians in Moura.",
    day="2022-03-27", end="2022-03-31", perpetrators=("Malian Armed Forces", "Wagner Group"),
    targets=("civilians",), killed=((300, "civilians", "Human Rights Watch"),),
    sources=("Human Rights Watch",))
MOURA_ARMY = incident(
    "The Malian army said it killed 203 fighters in Moura.", day="2022-03-29",
    perpetrators=("Malian Armed Forces",), targets=("civilians",),
    killed=((203, "civilians", "the Malian army"),), sources=("the Malian army",))
MOURA_RFI = incident(
    "Soldiers killed civilians at the Moura market over several days.", day="2022-03-27",
    end="2022-03-31", targets=("civilians",), killed=((500, None, "residents"),))


@pytest.fixture
def store() -> Store:
    return Store.open(":memory:")


def events(store: Store) -> list[dict[str, object]]:
    return list(store.db.query("select * from events order by number"))


def test_three_outlets_one_event(store: Store) -> None:
    save_article(store, "HRW report on Moura", [MOURA_HRW], source="HRW")
    save_article(store, "Army statement on Moura", [MOURA_ARMY], source="AFP")
    save_article(store, "RFI on Moura", [MOURA_RFI], source="RFI")
    summary = group_events(store.db)
    assert (summary.events, summary.multi_report) == (1, 1)
    [event] = events(store)
    assert event["reports"] == 3 and event["articles"] == 3
    assert sorted(json.loads(event["sources"])) == ["AFP", "HRW", "RFI"]
    # The narrowest window consistent with every report: the army's day.
    assert (event["date_start"], event["date_end"], event["time_precision"]) == \
        ("2022-03-29", "2022-03-29", 1)
    # Civilians: lowest of 300 and 203; the victims-unknown 500 overlaps and is larger.
    assert event["fatalities"] == 500
    assert json.loads(event["perpetrators"])[0] == "malian-armed-forces"
    links = {row["incident_id"]: row for row in store.db.query("select * from event_links")}
    rules = sorted(row["rule"] for row in links.values())
    assert rules == ["founder", "same_event", "same_event"]
    joined = [row for row in links.values() if row["rule"] == "same_event"]
    assert all(row["matched_incident_id"] in links and row["score"] > 0.5 for row in joined)
    assert all("overlapping dates" in row["explanation"] for row in joined)


def test_fatalities_sum_victim_groups_across_reports(store: Store) -> None:
    soldiers = incident("JNIM killed 5 soldiers in Boni.", event_type="battles",
                        sub_event_type="armed_clash", place="Boni",
                        perpetrators=("Jama'at Nasr al-Islam wal Muslimin",),
                        targets=("Malian Armed Forces",),
                        killed=((5, "Malian Armed Forces", None),))
    civilians = incident("JNIM fighters killed soldiers and 2 civilians in Boni.",
                         event_type="battles", sub_event_type="armed_clash", place="Boni",
                         perpetrators=("Jama'at Nasr al-Islam wal Muslimin",),
                         targets=("Malian Armed Forces",),
                         killed=((7, "Malian Armed Forces", None), (2, "civilians", None)))
    save_article(store, "Boni one", [soldiers])
    save_article(store, "Boni two", [civilians])
    group_events(store.db)
    [event] = events(store)
    assert event["fatalities"] == 5 + 2


def test_near_misses_stay_apart(store: Store) -> None:
    other_place = incident("Soldiers killed civilians in Hombori.", day="2022-03-29",
                           place="Hombori", perpetrators=("Malian Armed Forces",),
                           targets=("civilians",))
    week_later = incident("Soldiers killed civilians in Moura again.", day="2022-04-05",
                          perpetrators=("Malian Armed Forces",), targets=("civilians",))
    other_type = incident("Soldiers clashed with JNIM in Moura.", day="2022-03-29",
                          event_type="battles", sub_event_type="armed_clash",
                          perpetrators=("Malian Armed Forces",),
                          targets=("Jama'at Nasr al-Islam wal Muslimin",))
    other_actor = incident("ISSP fighters killed civilians in Moura.", day="2022-03-29",
                           perpetrators=("Islamic State Sahel Province",),
                           targets=("civilians",))
    save_article(store, "army article", [MOURA_ARMY])
    for number, item in enumerate([other_place, week_later, other_type, other_actor]):
        save_article(store, f"near miss {number}", [item])
    summary = group_events(store.db)
    assert summary.events == 5 and summary.multi_report == 0


def test_one_article_is_never_merged_with_itself(store: Store) -> None:
    first = incident("Attack on Moura.", perpetrators=("Malian Armed Forces",))
    second = incident("Another attack on Moura the same day.",
                      perpetrators=("Malian Armed Forces",))
    save_article(store, "two incidents in one article", [first, second])
    assert group_events(store.db).events == 2


def test_coordinated_attack_is_not_merged_by_a_regional_report(store: Store) -> None:
    boni = incident("JNIM attacked Boni.", event_type="battles", sub_event_type="armed_clash",
                    place="Boni", perpetrators=("Jama'at Nasr al-Islam wal Muslimin",),
                    targets=("Malian Armed Forces",))
    hombori = incident("JNIM attacked Hombori.", event_type="battles",
                       sub_event_type="armed_clash", place="Hombori",
                       perpetrators=("Jama'at Nasr al-Islam wal Muslimin",),
                       targets=("Malian Armed Forces",))
    regional = incident("JNIM attacked army posts in the Mopti region.", event_type="battles",
                        sub_event_type="armed_clash", place=None, geo_precision="region",
                        admin1="Mopti", perpetrators=("Jama'at Nasr al-Islam wal Muslimin",),
                        targets=("Malian Armed Forces",))
    save_article(store, "coordinated attack on two towns", [boni, hombori])
    save_article(store, "a wire summary naming only the region", [regional])
    summary = group_events(store.db)
    assert summary.events == 3 and summary.multi_report == 0
    rule, explanation = store.db.execute(
        "select rule, explanation from event_links join incidents on incidents.id = "
        "event_links.incident_id where incidents.admin1 = 'Mopti' and place is null"
    ).fetchone()
    assert rule == "ambiguous" and "several events at different places" in explanation


def test_a_coarser_report_joins_the_one_place_it_fits(store: Store) -> None:
    regional = incident("Soldiers killed civilians in central Mali.", place=None,
                        geo_precision="region", admin1="Mopti", day="2022-03-29",
                        perpetrators=("Malian Armed Forces",), targets=("civilians",))
    save_article(store, "army article", [MOURA_ARMY])
    save_article(store, "regional article", [regional])
    group_events(store.db)
    [event] = events(store)
    assert event["place"] == "Moura" and event["geo_precision_code"] == 1
    # The precise report is grouped first; the regional one joins it as the coarser.
    assert store.db.execute("select place_relation from event_links where rule = "
                            "'same_event'").fetchone()[0] == "coarser"


def test_battle_told_the_other_way_round(store: Store) -> None:
    one = incident("JNIM ambushed soldiers near Boni.", event_type="battles",
                   sub_event_type="armed_clash", place="Boni",
                   perpetrators=("Jama'at Nasr al-Islam wal Muslimin",),
                   targets=("Malian Armed Forces",))
    other = incident("The army attacked JNIM near Boni.", event_type="battles",
                     sub_event_type="armed_clash", place="Boni",
                     perpetrators=("Malian Armed Forces",),
                     targets=("Jama'at Nasr al-Islam wal Muslimin",))
    save_article(store, "one side", [one])
    save_article(store, "other side", [other])
    group_events(store.db)
    [event] = events(store)
    # One actor a side, in the founder's orientation: the flipped report was turned back.
    sides = (json.loads(event["perpetrators"]), json.loads(event["targets"]))
    assert sorted(map(len, sides)) == [1, 1] and set(sides[0]) != set(sides[1])
    assert store.db.execute("select flipped from event_links where rule = 'same_event'"
                            ).fetchone()[0] == 1


def test_incremental_and_idempotent(store: Store) -> None:
    save_article(store, "HRW report on Moura", [MOURA_HRW], source="HRW")
    first = group_events(store.db)
    assert first.created == 1
    before = events(store)
    save_article(store, "Army statement on Moura", [MOURA_ARMY], source="AFP")
    second = group_events(store.db)
    assert (second.created, second.changed, second.events) == (0, 1, 1)
    [after] = events(store)
    assert after["id"] == before[0]["id"] and after["reports"] == 2
    snapshot = (events(store), list(store.db.query("select * from event_links")),
                list(store.db.query("select id, event_id from incidents")))
    again = group_events(store.db)
    assert (again.created, again.changed, again.deleted) == (0, 0, 0)
    assert snapshot == (events(store), list(store.db.query("select * from event_links")),
                        list(store.db.query("select id, event_id from incidents")))


def test_rebuild_is_deterministic(store: Store) -> None:
    save_article(store, "HRW report on Moura", [MOURA_HRW], source="HRW")
    save_article(store, "Army statement on Moura", [MOURA_ARMY], source="AFP")
    save_article(store, "RFI on Moura", [MOURA_RFI], source="RFI")
    group_events(store.db)
    first = [(e["id"], e["number"], e["fatalities"]) for e in events(store)]
    group_events(store.db, rebuild=True)
    assert [(e["id"], e["number"], e["fatalities"]) for e in events(store)] == first


def test_reextracted_article_rejoins_its_event(store: Store) -> None:
    save_article(store, "HRW report on Moura", [MOURA_HRW], source="HRW")
    save_article(store, "Army statement on Moura", [MOURA_ARMY], source="AFP")
    group_events(store.db)
    [event] = events(store)
    # Extracting the same article again rewrites its incident rows (event_id cleared).
    save_article(store, "Army statement on Moura", [MOURA_ARMY], source="AFP")
    assert store.db.execute("select count(*) from incidents where event_id is null"
                            ).fetchone()[0] == 1
    group_events(store.db)
    [again] = events(store)
    assert again["id"] == event["id"] and again["reports"] == 2


def test_models_are_never_mixed(store: Store) -> None:
    save_article(store, "HRW report on Moura", [MOURA_HRW], model="baseline")
    save_article(store, "Army statement on Moura", [MOURA_ARMY], model="gpt-4o-mini")
    assert group_events(store.db).events == 2


def test_merge_and_split_survive_later_groupings(store: Store) -> None:
    hombori = incident("Soldiers killed civilians in Hombori.", day="2022-03-29",
                       place="Hombori", perpetrators=("Malian Armed Forces",),
                       targets=("civilians",))
    save_article(store, "HRW report on Moura", [MOURA_HRW], source="HRW")
    save_article(store, "Army statement on Moura", [MOURA_ARMY], source="AFP")
    save_article(store, "Hombori", [hombori], source="RFI")
    group_events(store.db)
    moura, other = events(store)
    merge_events(store.db, str(moura["id"]), str(other["id"]), note="same operation")
    [merged] = events(store)
    assert merged["id"] == moura["id"] and merged["reports"] == 3
    group_events(store.db, rebuild=True)
    assert len(events(store)) == 1
    army = store.db.execute("select id from incidents where summary like 'The Malian army%'"
                            ).fetchone()[0]
    split_incident(store.db, str(moura["id"]), army)
    assert sorted(e["reports"] for e in events(store)) == [1, 2]
    group_events(store.db, rebuild=True)
    assert sorted(e["reports"] for e in events(store)) == [1, 2]
    row = store.db.execute("select event_links.rule from event_links where incident_id = ?",
                           [army]).fetchone()
    assert row[0] == "split_override"
    assert [r["action"] for r in store.db.query("select action from event_overrides "
                                                "order by id")] == ["merge", "split"]


def test_override_errors(store: Store) -> None:
    save_article(store, "HRW report on Moura", [MOURA_HRW])
    group_events(store.db)
    [event] = events(store)
    with pytest.raises(OverrideError, match="no event"):
        merge_events(store.db, str(event["id"]), "ev-missing")
    with pytest.raises(OverrideError, match="nothing to split"):
        split_incident(store.db, str(event["id"]), str(event["founder_incident_id"]))


def test_undated_reports_found_their_own_events(store: Store) -> None:
    undated = incident("Soldiers killed civilians in Moura.", day=None,
                       perpetrators=("Malian Armed Forces",), targets=("civilians",))
    save_article(store, "undated one", [undated])
    save_article(store, "undated two", [undated])
    assert group_events(store.db).events == 2
    assert {r["explanation"] for r in store.db.query("select explanation from event_links")} \
        == {"founded an event: no date: cannot tell which event it is"}


def test_cli_events_commands(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "incidents.db"
    store = Store.open(path)
    save_article(store, "HRW report on Moura", [MOURA_HRW], source="HRW")
    save_article(store, "Army statement on Moura", [MOURA_ARMY], source="AFP")
    store.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["events", "group", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 incident(s) in 1 event(s), 1 told by several articles; 1 new" in result.output
    listed = runner.invoke(cli, ["events", "list", "--db", str(path), "--json"])
    [row] = [json.loads(line) for line in listed.output.splitlines()]
    assert row["reports"] == 2 and sorted(row["sources"]) == ["AFP", "HRW"]
    for flags, expected in ((["--min-articles", "3"], 0), (["--country", "mali"], 1),
                            (["--model", "gpt-4o"], 0), (["--model", "baseline"], 1)):
        filtered = runner.invoke(cli, ["events", "list", "--db", str(path), "--json", *flags])
        assert len(filtered.output.splitlines()) == expected, flags
    shown = runner.invoke(cli, ["events", "show", row["id"], "--db", str(path)])
    assert "founder" in shown.output and "same_event" in shown.output
    missing = runner.invoke(cli, ["events", "merge", row["id"], "ev-x", "--db", str(path)])
    assert missing.exit_code == 1 and "no event ev-x" in missing.output
    nodb = runner.invoke(cli, ["events", "rebuild", "--db", str(tmp_path / "none.db")])
    assert nodb.exit_code == 1 and "No database" in nodb.output


def test_a_regional_event_does_not_absorb_one_place_of_a_coordinated_attack(
        store: Store) -> None:
    regional = incident("JNIM attacked army posts in the Mopti region.", event_type="battles",
                        sub_event_type="armed_clash", place=None, geo_precision="region",
                        admin1="Mopti", perpetrators=("Jama'at Nasr al-Islam wal Muslimin",),
                        targets=("Malian Armed Forces",))
    save_article(store, "a wire summary naming only the region", [regional])
    group_events(store.db)  # an earlier run: the regional report founded an event
    towns = [incident(f"JNIM attacked {town}.", event_type="battles",
                      sub_event_type="armed_clash", place=town,
                      perpetrators=("Jama'at Nasr al-Islam wal Muslimin",),
                      targets=("Malian Armed Forces",)) for town in ("Boni", "Hombori")]
    save_article(store, "coordinated attack on two towns", towns)
    summary = group_events(store.db)
    assert summary.events == 3 and summary.multi_report == 0
    assert [r["rule"] for r in store.db.query(
        "select rule from event_links where rule = 'ambiguous'")] == ["ambiguous", "ambiguous"]


def test_every_events_column_is_described_for_datasette(store: Store) -> None:
    from extractor.browse.metadata import build_metadata

    save_article(store, "HRW report on Moura", [MOURA_HRW], source="HRW")
    group_events(store.db)
    tables = build_metadata(store.db, "incidents")["databases"]["incidents"]["tables"]
    for name in ("events", "event_links", "event_overrides"):
        assert set(store.db[name].columns_dict) <= set(tables[name]["columns"]), name
        assert tables[name]["description"]
    assert "event_id" in tables["incidents"]["columns"]


def test_two_processes_grouping_at_once_agree(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    path = tmp_path / "incidents.db"
    shared = Store.open(path)
    save_article(shared, "HRW report on Moura", [MOURA_HRW], source="HRW")
    save_article(shared, "Army statement on Moura", [MOURA_ARMY], source="AFP")
    save_article(shared, "RFI on Moura", [MOURA_RFI], source="RFI")
    shared.close()
    command = [sys.executable, "-c", "from extractor.cli import main; main()", "events",
               "group", "--db", str(path)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    reopened = Store.open(path)
    assert [(e["reports"], e["number"]) for e in events(reopened)] == [(3, 1)]
    assert sorted(out for out, _ in outputs)[0].endswith("0 new, 0 changed, 0 removed.\n")


def test_a_third_report_is_oriented_against_the_event_not_the_member(store: Store) -> None:
    jnim, fama = "Jama'at Nasr al-Islam wal Muslimin", "Malian Armed Forces"
    battle = {"event_type": "battles", "sub_event_type": "armed_clash", "place": "Boni"}
    # The founder has a three-day window: the third report matches the second (same day)
    # better than the founder.
    first = incident("JNIM attacked the army.", perpetrators=(jnim,), targets=(fama,),
                     day="2022-03-26", end="2022-03-28", **battle)
    second = incident("The army attacked JNIM.", perpetrators=(fama,), targets=(jnim,), **battle)
    third = incident("The army attacked JNIM again.", perpetrators=(fama,), targets=(jnim,),
                     **battle)
    for number, item in enumerate((first, second, third)):
        save_article(store, f"side story {number}", [item])
    group_events(store.db)
    [event] = events(store)
    founder_sides = store.db.execute(
        "select role, actor_id from incident_actors where incident_id = ? order by role",
        [event["founder_incident_id"]]).fetchall()
    flipped = {row[0]: row[1] for row in store.db.execute(
        "select l.incident_id, l.flipped from event_links l")}
    roles = {incident_id: dict(store.db.execute(
        "select role, actor_id from incident_actors where incident_id = ?", [incident_id]
    ).fetchall()) for incident_id in flipped}
    founder_perpetrator = dict(founder_sides)["perpetrator"]
    for incident_id, is_flipped in flipped.items():
        # Flipped exactly when the report names the founder's target as perpetrator.
        assert is_flipped == (roles[incident_id]["perpetrator"] != founder_perpetrator)
    assert json.loads(event["perpetrators"]) == [founder_perpetrator]


def test_merging_a_battle_told_the_other_way_round_keeps_the_sides(store: Store) -> None:
    jnim, fama = "Jama'at Nasr al-Islam wal Muslimin", "Malian Armed Forces"
    one = incident("JNIM attacked the army in Boni.", event_type="battles",
                   sub_event_type="armed_clash", place="Boni", perpetrators=(jnim,),
                   targets=(fama,))
    other = incident("The army attacked JNIM near Hombori.", event_type="battles",
                     sub_event_type="armed_clash", place="Hombori", perpetrators=(fama,),
                     targets=(jnim,))
    save_article(store, "Boni side", [one])
    save_article(store, "Hombori side", [other])
    group_events(store.db)
    first, second = events(store)
    merge_events(store.db, str(first["id"]), str(second["id"]))
    [merged] = events(store)
    assert json.loads(merged["perpetrators"]) == json.loads(first["perpetrators"])
    assert json.loads(merged["targets"]) == json.loads(first["targets"])
    assert sorted(r[0] for r in store.db.execute("select flipped from event_links")) == [0, 1]
