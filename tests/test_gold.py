"""Gold data is data: the committed gold set passes the checker `extractor eval` loads it with,
and the checker catches every kind of mistake with its file, line and field path.

The committed set (evals/gold/seeds/*.json, evals/gold/hard_cases/*.json) also keeps to this
project's curation rules, which are not part of the format: every record says what it tests,
every incident quotes evidence, the hard cases cover the difficulties the evaluation relies on,
and the seed texts are the example articles.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from eval_cases import gold_record

from extractor.baseline.french import is_french
from extractor.cli import cli
from extractor.evals.dataset import GoldError, check_gold, gold_files, load_gold
from extractor.evals.jsonpaths import format_path, value_lines
from extractor.intake.articles import SourcedArticle, read_articles
from extractor.schemas import Incident, article_id_for

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "evals" / "gold"
EXAMPLES = ROOT / "examples" / "articles"

# What the hard cases must exercise between them (tags in each record's `tests`).
REQUIRED_HARD_CASE_TAGS = {
    "multi_incident", "background", "conflicting_tolls", "vague_figures", "relative_dates",
    "aliases", "unnamed_perpetrators", "civilians_in_battle", "ied_ambush", "drone_strike",
    "drone_civilian_casualties", "abduction", "coordinated_attack", "no_incident", "withdrawal",
    "revised_toll", "claim_no_toll", "protest_force", "territory_capture", "figure_at_least",
    "figure_more_than", "figure_up_to", "figure_between", "burkina_faso", "niger",
}

# Checked, not loaded: a mistake in the gold set fails the first test with its problems.
GOLDSET, PROBLEMS = check_gold([GOLD])
SEEDS = [r for r in GOLDSET.records if GOLDSET.origins[r.article.id].startswith(f"{GOLD}/seeds/")]
HARD = [r for r in GOLDSET.records
        if GOLDSET.origins[r.article.id].startswith(f"{GOLD}/hard_cases/")]
EVENTS = [r for r in GOLDSET.records
          if GOLDSET.origins[r.article.id].startswith(f"{GOLD}/events/")]
FRENCH = [r for r in GOLDSET.records
          if GOLDSET.origins[r.article.id].startswith(f"{GOLD}/french/")]


# -- the committed gold set --------------------------------------------------------------------

def test_the_committed_gold_set_is_valid_and_complete():
    assert [str(problem) for problem in PROBLEMS] == []
    assert (len(SEEDS), len(HARD), len(EVENTS), len(FRENCH)) == (5, 21, 11, 5)
    assert len(GOLDSET.records) == len(SEEDS) + len(HARD) + len(EVENTS) + len(FRENCH)
    assert all(path.suffix == ".json" for path in GOLDSET.files)
    assert len(GOLDSET.files) == len(GOLDSET.records)  # one article per file


def test_every_record_says_what_it_tests_and_every_incident_quotes_evidence():
    for record in GOLDSET.records:
        where = GOLDSET.origins[record.article.id]
        assert record.tests and all(t.strip() for t in record.tests), where
        for number, incident in enumerate(record.incidents):
            assert incident.evidence, f"{where}: incidents[{number}] has no evidence"


def test_unnamed_civilian_victims_are_the_civilians_actor():
    for record in GOLDSET.records:
        if any(c.victims == "civilians" for i in record.incidents for c in i.casualties):
            assert any(a.name == "civilians" and a.actor_type == "civilians"
                       for a in record.actors), GOLDSET.origins[record.article.id]


def test_the_french_articles_are_french_and_say_so():
    """The French folder and the French seed are what the baseline reads as French, and tag it:
    the README's French floor line is computed over exactly these."""
    french = [r for r in GOLDSET.records if is_french(r.article.text)]
    assert {r.article.id for r in french} == {r.article.id for r in FRENCH} | {
        r.article.id for r in SEEDS if r.article.title and r.article.title.startswith("Mali :")}
    assert len(french) == 6 and all("french" in r.tests for r in french)


def test_hard_cases_cover_required_tags():
    tags = {tag for record in HARD for tag in record.tests}
    assert not REQUIRED_HARD_CASE_TAGS - tags, sorted(REQUIRED_HARD_CASE_TAGS - tags)


def test_hard_cases_are_wire_length_and_dated():
    for record in HARD:
        where = GOLDSET.origins[record.article.id]
        assert 150 <= len(record.article.text.split()) <= 450, where
        assert record.article.published is not None, where
        assert record.article.title and record.article.url and record.article.source, where


def test_no_incident_case_is_empty():
    empty = [record for record in HARD if "no_incident" in record.tests]
    assert empty and all(not r.incidents and not r.actors for r in empty)


def test_seed_texts_are_the_example_articles():
    """The example articles, read as `extract` reads them, are the seed records: same id, text
    and title, so `extract` and `eval` share cached extractions of them."""
    examples = [item for item in read_articles([EXAMPLES]) if isinstance(item, SourcedArticle)]
    assert len(examples) == len(SEEDS) == 5
    seeds = {record.article.id: record.article for record in SEEDS}
    for item in examples:
        seed = seeds.get(item.article.id)
        assert seed is not None, f"{item.origin} is no seed's text"
        assert (seed.text, seed.title) == (item.article.text, item.article.title), item.origin
        assert (GOLD / "seeds" / f"{Path(item.origin).stem}.json").is_file(), item.origin


def test_event_keys_link_incidents_of_different_articles():
    """In the committed set an event key is there to say that articles share an event: each is
    used by incidents of at least two articles (one article never uses it twice: the checker)."""
    articles: Counter[str] = Counter()
    for record in GOLDSET.records:
        articles.update({i.event for i in record.incidents if i.event is not None})
    assert articles, "no event keys in the gold set"
    assert all(count >= 2 for count in articles.values()), articles


# -- the checker -------------------------------------------------------------------------------

def base() -> dict[str, Any]:
    """A valid gold record as JSON data (eval_cases' hand-built article)."""
    return json.loads(gold_record().model_dump_json())


def write_json(folder: Path, record: dict[str, Any], name: str = "case.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def line_with(path: Path, snippet: str, occurrence: int = 1) -> int:
    """The 1-based number of the ``occurrence``-th line of ``path`` holding ``snippet``."""
    found = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if snippet in line]
    assert len(found) >= occurrence, f"{snippet!r} not in {path}"
    return found[occurrence - 1]


def only_problem(path: Path) -> tuple[int | None, str, str]:
    _, problems = check_gold([path])
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.file == path
    return problem.line, problem.path, problem.message


def _set(*path: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation setting the value at ``path[:-1]`` to ``path[-1]``."""
    *keys, value = path

    def mutate(record: dict[str, Any]) -> None:
        target = record
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return mutate


def _both(*mutations: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def mutate(record: dict[str, Any]) -> None:
        for mutation in mutations:
            mutation(record)
    return mutate


# (name, mutation, field path reported, words of the message, (a snippet on the reported line,
# which occurrence of it, lines from it to the reported line))
CASES = [
    ("quote not in text", _set("incidents", 0, "evidence", 1, "killing four soldiers"),
     "incidents[0].evidence[1]", "evidence quote is not in the article text",
     ('"killing four', 1, 0)),
    ("enum", _set("incidents", 1, "event_type", "bombing"), "incidents[1].event_type",
     "Input should be 'battles'", ('"event_type": "bombing"', 1, 0)),
    ("null enum", _set("incidents", 0, "geo_precision", None), "incidents[0].geo_precision",
     "Input should be 'place', 'near_place', 'region' or 'country' (got None)",
     ('"geo_precision": null', 1, 0)),
    ("sub-type of another type", _set("incidents", 0, "sub_event_type", "air_drone_strike"),
     "incidents[0].sub_event_type", "does not belong to event_type 'battles'",
     ('"sub_event_type": "air_drone_strike"', 1, 0)),
    ("date not ISO", _set("incidents", 2, "date_start", "1 March 2023"),
     "incidents[2].date_start", "not an ISO date (YYYY-MM-DD): '1 March 2023'",
     ('"date_start": "1 March 2023"', 1, 0)),
    ("no such day", _set("incidents", 1, "date_end", "2024-02-30"), "incidents[1].date_end",
     "no such day", ('"date_end": "2024-02-30"', 1, 0)),
    ("dates reversed", _set("incidents", 0, "date_end", "2024-07-20"), "incidents[0].date_end",
     "date_end (2024-07-20) is before date_start (2024-07-25)",
     ('"date_end": "2024-07-20"', 1, 0)),
    ("counts reversed", _set("incidents", 1, "casualties", 0, "count_max", 2),
     "incidents[1].casualties[0].count_max", "count_max (2) is below count_min (4)",
     ('"count_max": 2', 1, 0)),
    ("unknown actor", _set("incidents", 2, "perpetrators", 0, "the jihadists"),
     "incidents[2].perpetrators[0]", "'the jihadists' is not the name or an alias of an actor",
     ('"the jihadists"', 1, 0)),
    ("unknown victims", _set("incidents", 1, "casualties", 0, "victims", "passengers"),
     "incidents[1].casualties[0].victims", "'passengers' is not the name or an alias",
     ('"victims": "passengers"', 1, 0)),
    ("claim outside perpetrators", _set("incidents", 0, "claimed_by", ["Wagner Group"]),
     "incidents[0].claimed_by[0]", "claims the act but is not among the perpetrators",
     ('"Wagner Group"', 2, 0)),
    ("open date window", _set("incidents", 2, "date_end", None), "incidents[2].date_end",
     "a gold date window is closed", ('"date_end": null', 1, 0)),
    ("after publication", _set("article", "published", "2024-07-22"), "incidents[0].date_end",
     "is after the article's publication date (2024-07-22)",
     ('"date_end": "2024-07-27"', 1, 0)),
    ("claim with no figure", _both(_set("incidents", 1, "casualties", 0, "count_min", None),
                                   _set("incidents", 1, "casualties", 0, "count_max", None)),
     "incidents[1].casualties[0]", "needs count_min or count_max",
     ('"kind": "killed"', 2, -1)),  # the claim's opening brace, the line above its first key
    ("missing field", lambda record: record["incidents"][0].pop("summary"),
     "incidents[0].summary", "required field is missing", ('"incidents": [', 1, 1)),
    ("event key empty", _set("incidents", 1, "event", " "), "incidents[1].event",
     "an event key is a non-empty string", ('"event": " "', 1, 0)),
    ("event key not a string", _set("incidents", 1, "event", 7), "incidents[1].event",
     "Input should be a valid string (got 7)", ('"event": 7', 1, 0)),
    ("id not the hash", _set("article", "id", "abc"), "article.id",
     "is not the hash of its text", ('"id": "abc"', 1, 0)),
    ("unknown field", _set("incidents", 0, "fatalities", 15), "incidents[0].fatalities",
     "unknown field", ('"fatalities": 15', 1, 0)),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_named_with_file_line_and_field(tmp_path, case):
    _, mutate, field, message, (marker, occurrence, offset) = case
    record = base()
    mutate(record)
    file = write_json(tmp_path, record)
    line, reported, text = only_problem(file)
    assert (reported, line) == (field, line_with(file, marker, occurrence) + offset), text
    assert message in text


def test_a_quote_off_by_its_spaces_shows_where_it_parts_from_the_text(tmp_path):
    """Seed 000 is full of no-break spaces: a quote typed with plain ones is not verbatim, and
    the message shows where, in the text's own characters."""
    record = base()
    text = record["article"]["text"].replace("near Bandiagara", "near\u00a0Bandiagara")
    record["article"].update(text=text, id=article_id_for(text))
    _, path, message = only_problem(write_json(tmp_path, record))
    assert path == "incidents[1].evidence[0]"
    assert message.endswith("; it parts from the text at character 46: the quote has "
                            "'k a bus near Bandiagara,', the text 'k a bus near\\xa0Bandiagara,'")


def test_a_reworded_quote_shows_the_words_that_differ(tmp_path):
    record = base()
    record["incidents"][2]["evidence"] = ["In March 2023, JNIM fighters kidnapped villagers"]
    _, path, message = only_problem(write_json(tmp_path, record))
    assert path == "incidents[2].evidence[0]"
    assert message.endswith("; it parts from the text at character 30: the quote has "
                            "'IM fighters kidnapped vi', the text 'IM fighters abducted vil'")


def test_an_unused_actor_and_a_name_for_two_actors(tmp_path):
    record = base()
    record["actors"].append({"name": "Islamic State Sahel Province", "aliases": ["FAMa"],
                             "actor_type": "rebel_group", "country": None, "affiliation": None})
    file = write_json(tmp_path, record)
    _, problems = check_gold([file])
    assert [(p.path, p.line) for p in problems] == [
        ("actors[4]", line_with(file, '"name": "Islamic State Sahel Province"') - 1),  # its {
        ("actors[4].aliases[0]", line_with(file, '"FAMa"', 2)),
    ]
    assert "named by no incident" in problems[0].message
    assert "'FAMa' also names actor 'Malian Armed Forces' (actors[1])" in problems[1].message


def test_an_event_key_twice_in_one_article(tmp_path):
    record = base()
    record["incidents"][0]["event"] = record["incidents"][2]["event"] = "jnim-2024"
    file = write_json(tmp_path, record)
    line, path, message = only_problem(file)
    assert (path, line) == ("incidents[2].event", line_with(file, '"event": "jnim-2024"', 2))
    assert "also incidents[0]'s" in message


def test_json_lines_name_the_line_and_every_record_is_checked(tmp_path):
    good, bad = base(), base()
    bad["incidents"][2]["evidence"] = ["JNIM fighters kidnapped villagers in Mopti."]
    other = gold_record().model_copy(deep=True)
    other.article = other.article.model_copy(update={"text": other.article.text + " End.",
                                                     "id": article_id_for(
                                                         other.article.text + " End.")})
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join([json.dumps(good), "", "{oops", json.dumps(bad),
                               other.model_dump_json(), "[]"]) + "\n", encoding="utf-8")
    _, problems = check_gold([path])
    assert [str(p).split(": ", 2)[:2] for p in problems] == [
        [f"{path}:3", "not valid JSON"],
        [f"{path}:4", "incidents[2].evidence[0]"],
        [f"{path}:4", "article.id"],
        [f"{path}:6", "a gold record is a JSON object, not list"],
    ]
    assert problems[2].message.endswith(f"is already used at {path}:1")


def test_invalid_json_in_a_pretty_file_names_its_line(tmp_path):
    file = write_json(tmp_path, base())
    lines = file.read_text(encoding="utf-8").splitlines()
    broken = line_with(file, '"place": "Bandiagara"')
    lines[broken - 1] = lines[broken - 1].replace('",', '"')  # the comma dropped
    file.write_text("\n".join(lines), encoding="utf-8")
    line, path, message = only_problem(file)
    assert (line, path) == (broken + 1, "") and message.startswith("not valid JSON")


def test_a_duplicate_article_across_files_names_both(tmp_path):
    write_json(tmp_path, base(), "a.json")
    second = write_json(tmp_path, base(), "b.json")
    with pytest.raises(GoldError) as error:
        load_gold(tmp_path)
    assert str(error.value) == (
        f"{second}:3: article.id: article id '{gold_record().article.id}' is already used at "
        f"{tmp_path / 'a.json'}")


def test_event_keys_are_kept_through_loading(tmp_path):
    record = base()
    record["incidents"][0]["event"] = "2024-07-tinzaouaten"
    goldset = load_gold(write_json(tmp_path, record))
    assert [i.event for i in goldset.records[0].incidents] == ["2024-07-tinzaouaten", None, None]
    assert isinstance(goldset.records[0].incidents[0], Incident)
    assert "event" not in Incident.model_fields  # the records a model fills never have it


def test_gold_files_walks_folders_and_refuses_what_is_not_gold(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("b.json", "sub/a.jsonl", "a.jsonl", ".hidden/c.json", "notes.md"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in gold_files(tmp_path)] == [
        "a.jsonl", "b.json", "sub/a.jsonl"]
    _, problems = check_gold([tmp_path / "notes.md", tmp_path / "missing"])
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'notes.md'}: not a gold file: expected a .json file (one record) or "
        ".jsonl (one per line)",
        f"{tmp_path / 'missing'}: no such file or folder",
    ]
    (tmp_path / "empty").mkdir()
    with pytest.raises(GoldError, match=r"no \*\.json or \*\.jsonl gold files"):
        load_gold(tmp_path / "empty")


def test_value_lines_follow_the_text_whatever_its_layout():
    text = ('{"a": "x \\" } ] {", "b\\u00e9": [1,\n  {"c": [true, null],\n "d": -1.5e3}],\n'
            '\n "e": {}}')
    assert json.loads(text)  # valid JSON: a quote, braces and brackets inside a string
    assert value_lines(text) == {
        (): 1, ("a",): 1, ("bé",): 1, ("bé", 0): 1, ("bé", 1): 2, ("bé", 1, "c"): 2,
        ("bé", 1, "c", 0): 2, ("bé", 1, "c", 1): 2, ("bé", 1, "d"): 3, ("e",): 5,
    }
    assert format_path(("incidents", 0, "casualties", 2, "count_max")) == \
        "incidents[0].casualties[2].count_max"
    assert format_path(()) == ""


# -- extractor gold check, and eval reading the same files --------------------------------------

def test_gold_check_is_registered_like_eval():
    assert {"eval", "gold"} <= set(cli.commands)
    group = cli.commands["gold"]
    assert isinstance(group, click.Group) and set(group.commands) == {"check", "export"}


def test_gold_check_prints_one_summary_line_when_valid():
    result = CliRunner().invoke(cli, ["gold", "check", str(GOLD)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{GOLD}: 42 articles, {GOLDSET.incident_count} incidents, 6 event keys, 42 files: "
        f"valid (hash {GOLDSET.sha256})"]


def test_gold_check_prints_one_line_per_problem_and_exits_1(tmp_path):
    bad = copy.deepcopy(base())
    bad["incidents"][0]["evidence"][0] = "Jihadists ambushed soldiers"
    bad["incidents"][1]["sub_event_type"] = "armed_clash"
    file = write_json(tmp_path, bad)
    quote_line = line_with(file, "Jihadists ambushed soldiers")
    sub_type_line = line_with(file, '"sub_event_type": "armed_clash"', 2)
    result = CliRunner().invoke(cli, ["gold", "check", str(file), str(GOLD / "seeds")])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{file}:{quote_line}: incidents[0].evidence[0]: evidence quote is not in the article "
        "text: 'Jihadists ambushed soldiers'",
        f"{file}:{sub_type_line}: incidents[1].sub_event_type: sub_event_type 'armed_clash' "
        "does not belong to event_type 'explosions_remote_violence' (allowed: chemical_weapon, "
        "air_drone_strike, suicide_bomb, shelling_artillery_missile_attack, "
        "remote_explosive_landmine_ied, grenade)",
    ]
    assert result.stderr.strip() == "2 problems in 1 file"


def test_eval_reads_the_gold_files_it_checks(tmp_path):
    result = CliRunner().invoke(cli, ["eval", str(GOLD / "seeds"), "--model", "baseline",
                                      "--db", str(tmp_path / "e.db"), "--json", "-q"])
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)["run"]
    assert (run["gold_articles"], run["gold_hash"]) == (5, load_gold(GOLD / "seeds").sha256)
    bad = base()
    bad["incidents"][0]["evidence"][0] = "not in the text"
    file = write_json(tmp_path, bad)
    refused = CliRunner().invoke(cli, ["eval", str(file), "--model", "baseline",
                                       "--db", str(tmp_path / "e.db")])
    assert refused.exit_code == 1
    assert f"{file}:{line_with(file, 'not in the text')}: incidents[0].evidence[0]: evidence " \
           "quote is not in the article text" in refused.output
