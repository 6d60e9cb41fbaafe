"""The shipped gazetteer and actor registry: they load, every name resolves to its own entry,
no name is claimed by two entries, coordinates sit where their country is, and a user's
replacement file works or fails with the file and line named."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extractor.resolve.gazetteer import Gazetteer, GazetteerError
from extractor.resolve.gazetteer import default_path as gazetteer_path
from extractor.resolve.names import name_key
from extractor.resolve.registry import ActorRegistry, RegistryError
from extractor.resolve.registry import default_path as registry_path
from extractor.schemas import ActorType

# Generous boxes around each country (degrees): latitude min/max, longitude min/max.
COUNTRY_BOX = {
    "Mali": (10.0, 25.1, -12.3, 4.3),
    "Burkina Faso": (9.3, 15.1, -5.6, 2.5),
    "Niger": (11.6, 23.6, 0.1, 16.0),
}
SAHEL_BOX = (9.0, 25.5, -12.5, 16.5)
ADMIN1 = {
    "Mali": {"Kayes", "Koulikoro", "Sikasso", "Ségou", "Mopti", "Tombouctou", "Gao", "Kidal",
             "Ménaka", "Taoudénit", "Bamako"},
    "Burkina Faso": {"Boucle du Mouhoun", "Cascades", "Centre", "Centre-Est", "Centre-Nord",
                     "Centre-Ouest", "Centre-Sud", "Est", "Hauts-Bassins", "Nord",
                     "Plateau-Central", "Sahel", "Sud-Ouest"},
    "Niger": {"Agadez", "Diffa", "Dosso", "Maradi", "Niamey", "Tahoua", "Tillaberi", "Zinder"},
}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return ActorRegistry.load()


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def names_of(row: dict[str, str]) -> list[str]:
    return [row["name"], *(a.strip() for a in row["aliases"].split("|") if a.strip())]


def test_shipped_files_load_with_real_coverage(gazetteer, registry):
    kinds = [p.kind for p in gazetteer.places]
    assert kinds.count("place") >= 120
    assert kinds.count("region") >= 20
    assert kinds.count("country") >= 8
    assert {p.country for p in gazetteer.places if p.kind == "place"} >= set(COUNTRY_BOX)
    assert len(registry.actors) >= 25
    assert {a.actor_type for a in registry.actors} >= {
        ActorType.state_forces, ActorType.external_forces, ActorType.rebel_group,
        ActorType.political_militia, ActorType.identity_militia, ActorType.civilians}


@pytest.mark.parametrize("path", [gazetteer_path(), registry_path()], ids=["gazetteer", "actors"])
def test_no_name_belongs_to_two_entries(path):
    owner: dict[str, str] = {}
    clashes = []
    for line, row in enumerate(rows(path), start=2):
        for name in names_of(row):
            key = name_key(name)
            assert key, f"{path.name}:{line}: '{name}' has an empty key"
            if key in owner and owner[key] != row["name"]:
                clashes.append(f"{path.name}:{line}: '{name}' also names '{owner[key]}'")
            owner.setdefault(key, row["name"])
    assert clashes == []


def test_every_gazetteer_name_and_alias_resolves_to_its_entry(gazetteer):
    for row in rows(gazetteer_path()):
        for name in names_of(row):
            found = gazetteer.lookup(name)
            assert found is not None and found.name == row["name"], name


def test_every_registry_name_and_alias_resolves_to_its_entry(registry):
    for row in rows(registry_path()):
        for name in names_of(row):
            found = registry.resolve(name)
            assert found is not None and found.name == row["name"], name


def test_coordinates_sit_inside_their_country(gazetteer):
    for place in gazetteer.places:
        assert place.latitude is not None and place.longitude is not None, place.name
        box = COUNTRY_BOX.get(place.country or "")
        if place.kind == "country" or (box is None and place.country):
            continue
        lat_min, lat_max, lon_min, lon_max = box or SAHEL_BOX
        assert lat_min <= place.latitude <= lat_max, (place.name, place.latitude)
        assert lon_min <= place.longitude <= lon_max, (place.name, place.longitude)


def test_admin1_follows_the_first_level_regions(gazetteer):
    for place in gazetteer.places:
        if place.kind == "country" or place.country not in ADMIN1 or not place.admin1:
            continue
        assert place.admin1 in ADMIN1[place.country], (place.name, place.admin1)
    towns = [p for p in gazetteer.places if p.kind == "place" and p.country in ADMIN1]
    assert all(p.admin1 for p in towns)


@pytest.mark.parametrize("name, canonical, admin1", [
    ("Tin-Zaouatene", "Tinzaouaten", "Kidal"),
    ("Tombouctou", "Timbuktu", "Tombouctou"),
    ("Menaka", "Ménaka", "Ménaka"),
    ("Sevare", "Sévaré", "Mopti"),
    ("Fada N’Gourma", "Fada N'Gourma", "Est"),
    ("Tillaberi", "Tillabéri", "Tillaberi"),
    ("Nioro", "Nioro du Sahel", "Kayes"),
    ("the Bandiagara region", "Bandiagara Region", "Mopti"),
    ("Kidal region", "Kidal Region", "Kidal"),
    ("Kidal", "Kidal", "Kidal"),
])
def test_gazetteer_lookups(gazetteer, name, canonical, admin1):
    place = gazetteer.lookup(name)
    assert place is not None and place.name == canonical and place.admin1 == admin1


def test_gazetteer_finds_the_longest_name_in_text(gazetteer):
    found = [(p.name, words) for p, words in gazetteer.find(
        "Fighting in the Bandiagara region and near Tin-Zaouatene, in the three-border area.")]
    assert found == [("Bandiagara Region", "bandiagara region"),
                     ("Tinzaouaten", "tin zaouatene"),
                     ("three-border area", "three border area")]


@pytest.mark.parametrize("name, canonical, actor_type", [
    ("FAMa", "Malian Armed Forces", ActorType.state_forces),
    ("Malian troops", "Malian Armed Forces", ActorType.state_forces),
    ("GSIM", "Jama'at Nasr al-Islam wal Muslimin", ActorType.rebel_group),
    ("Support Group for Islam and Muslims", "Jama'at Nasr al-Islam wal Muslimin",
     ActorType.rebel_group),
    ("Group for the Support of Islam and Muslims", "Jama'at Nasr al-Islam wal Muslimin",
     ActorType.rebel_group),
    ("Jama’at Nasr al-Islam wal-Muslimin", "Jama'at Nasr al-Islam wal Muslimin",
     ActorType.rebel_group),
    ("Islamic State in the Greater Sahara", "Islamic State Sahel Province",
     ActorType.rebel_group),
    ("EIGS", "Islamic State Sahel Province", ActorType.rebel_group),
    ("ISSP", "Islamic State Sahel Province", ActorType.rebel_group),
    ("Wagner", "Wagner Group", ActorType.external_forces),
    ("African Corps", "Africa Corps", ActorType.external_forces),
    ("CSP-DPA", "Strategic Framework for the Defence of the People of Azawad",
     ActorType.rebel_group),
    ("FLA", "Azawad Liberation Front", ActorType.rebel_group),
    ("Dan Na Ambassagou", "Dan Na Ambassagou", ActorType.identity_militia),
    ("VDP", "Volunteers for the Defence of the Homeland", ActorType.political_militia),
    ("Burkinabe soldiers", "Armed Forces of Burkina Faso", ActorType.state_forces),
    ("Nigerien army", "Niger Armed Forces", ActorType.state_forces),
    ("Operation Barkhane", "French Armed Forces", ActorType.external_forces),
    ("MINUSMA", "United Nations Multidimensional Integrated Stabilization Mission in Mali",
     ActorType.external_forces),
    ("villagers", "civilians", ActorType.civilians),
])
def test_registry_resolutions(registry, name, canonical, actor_type):
    actor = registry.resolve(name)
    assert actor is not None and actor.name == canonical and actor.actor_type == actor_type


def test_registry_keeps_related_groups_apart(registry):
    assert registry.resolve("VDP") != registry.resolve("Burkinabe army")
    assert registry.resolve("Katiba Macina") != registry.resolve("JNIM")
    assert registry.resolve("Wagner") != registry.resolve("Africa Corps")
    assert registry.resolve("Wagner").country == "Russia"
    assert registry.resolve("JNIM").affiliation == "al-Qaeda"


def test_user_supplied_replacements_are_used(tmp_path):
    places = tmp_path / "places.csv"
    places.write_text("name,aliases,kind,admin1,country,latitude,longitude\n"
                      "Intahaka,In-Tahaka|Intahaka mine,place,Gao,Mali,16.9,-0.1\n",
                      encoding="utf-8")
    actors = tmp_path / "actors.csv"
    actors.write_text("name,aliases,actor_type,country,affiliation\n"
                      "Example Militia,EXM,identity_militia,Mali,\n", encoding="utf-8")
    gazetteer = Gazetteer.load(places)
    registry = ActorRegistry.load(actors)
    assert [p.name for p in gazetteer.places] == ["Intahaka"]
    assert gazetteer.lookup("In-Tahaka").admin1 == "Gao"
    assert gazetteer.lookup("Kidal") is None  # a replacement, not an addition
    assert registry.resolve("EXM").actor_type == ActorType.identity_militia
    assert registry.resolve("Wagner") is None


def test_malformed_gazetteer_names_file_and_line(tmp_path):
    bad = tmp_path / "bad_places.csv"
    bad.write_text("name,aliases,kind,admin1,country,latitude,longitude\n"
                   "Gao,,place,Gao,Mali,16.27,-0.04\n"
                   "Kidal,,place,Kidal,Mali,north,1.4\n", encoding="utf-8")
    with pytest.raises(GazetteerError) as error:
        Gazetteer.load(bad)
    assert f"{bad}:3" in str(error.value) and "north" in str(error.value)
    kind = tmp_path / "bad_kind.csv"
    kind.write_text("name,aliases,kind,admin1,country,latitude,longitude\n"
                    "Gao,,town,Gao,Mali,16.27,-0.04\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"bad_kind\.csv:2: kind 'town'"):
        Gazetteer.load(kind)


def test_malformed_registry_names_file_and_line(tmp_path):
    bad = tmp_path / "bad_actors.csv"
    bad.write_text("name,aliases,actor_type,country,affiliation\n"
                   "Wagner Group,Wagner,external_forces,Russia,\n"
                   "Somebody,,warlords,,\n", encoding="utf-8")
    with pytest.raises(RegistryError) as error:
        ActorRegistry.load(bad)
    assert f"{bad}:3" in str(error.value) and "warlords" in str(error.value)
    missing = tmp_path / "missing_column.csv"
    missing.write_text("name,aliases,country\nWagner Group,Wagner,Russia\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"missing_column\.csv:2: missing column"):
        ActorRegistry.load(missing)


@pytest.mark.parametrize("name, canonical, actor_type", [
    ("RSF", "Rapid Support Forces", "rebel_group"),
    ("Sudanese army", "Sudanese Armed Forces", "state_forces"),
    ("M23", "March 23 Movement", "rebel_group"),
    ("FARDC", "Armed Forces of the Democratic Republic of the Congo", "state_forces"),
    ("al-Shabab", "Al-Shabaab", "rebel_group"),
    ("AMISOM", "African Union Support and Stabilization Mission in Somalia", "external_forces"),
    ("ISWAP", "Islamic State West Africa Province", "rebel_group"),
    ("Civilian JTF", "Civilian Joint Task Force", "political_militia"),
    ("ASWJ", "Islamic State Mozambique Province", "rebel_group"),
    ("Tatmadaw", "Myanmar Armed Forces", "state_forces"),
    ("Arakan Army", "Arakan Army", "rebel_group"),
    ("Ukrainian forces", "Armed Forces of Ukraine", "state_forces"),
])
def test_the_registry_knows_the_main_armed_actors_beyond_the_sahel(registry, name, canonical,
                                                                   actor_type):
    actor = registry.resolve(name)
    assert actor is not None, name
    assert (actor.name, actor.actor_type.value) == (canonical, actor_type)
