"""Intake of feeds, CSV, other encodings and dates as sources write them, with field mapping.

The example inputs are small files under tests/intake_inputs/."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from extractor.intake.articles import (
    InputProblem,
    IntakeConfig,
    SourcedArticle,
    read_articles,
)
from extractor.intake.dates import parse_date
from extractor.intake.feeds import html_to_text
from extractor.intake.html import has_prose
from extractor.intake.items import InputFormat
from extractor.intake.records import parse_field_mapping

INPUTS = Path(__file__).parent / "intake_inputs"
MAPPING = {"text": "body", "title": "headline", "published": "date", "url": "link"}


def read(*paths: Path | str, **config: object) -> list[SourcedArticle | InputProblem]:
    return list(read_articles(paths, IntakeConfig(**config)))  # type: ignore[arg-type]


def summary(items: list) -> list[tuple]:
    """Each item as (origin suffix, kind, the field that matters)."""
    out = []
    for item in items:
        where = item.origin.rsplit("/", 1)[-1]
        if isinstance(item, SourcedArticle):
            a = item.article
            out.append((where, "article", a.title, a.url, a.published, a.source))
        else:
            out.append((where, "warning" if item.warning else "problem", item.message))
    return out


# --- feeds ---------------------------------------------------------------------------------


def test_rss_items_are_articles_with_date_link_and_line():
    items = read(INPUTS / "sahel.rss")
    got = summary(items)
    assert got[0] == ("sahel.rss:7", "article", "Ambush near Kidal kills soldiers",
                      "https://example.org/news/kidal-ambush", date(2025, 3, 18),
                      "Sahel Monitor")
    # The date as written (18 March, UTC-5), not shifted to UTC (19 March).
    assert got[1] == ("sahel.rss:15", "problem", "item has no text (neither content nor "
                      "summary)")
    assert got[2][:2] == ("sahel.rss:19", "warning") and "'sometime last week'" in got[2][2]
    assert got[3][:5] == ("sahel.rss:19", "article", "Drone strike on a market in Mopti",
                          "https://example.org/news/mopti-strike", None)
    assert len(got) == 4  # the commented-out item is not an item
    first, last = items[0].article, items[3].article
    assert first.text == ("Rebels ambushed a convoy near Kidal on Saturday, killing at least 15 "
                          "soldiers.\n\nLocal officials confirmed the toll to AFP on Monday.\n"
                          "The army said it had repelled the assailants.")
    # Full content wins over the summary; scripts are not text.
    assert last.text == ("A drone strike hit a crowded market in Mopti on Sunday, residents "
                         "said.\n\nAt least nine civilians were killed.")


def test_atom_entries_markup_titles_and_plain_text_summaries():
    items = read(INPUTS / "sahel.atom")
    boni, plain = (i.article for i in items)
    assert (boni.title, boni.url, boni.published, boni.source) == (
        "Clashes in Boni", "https://example.org/news/boni", date(2025, 3, 17),
        "Sahel Monitor (Atom)")
    assert boni.text == ("JNIM fighters attacked an army post in Boni, killing five soldiers, "
                         "the army said.")
    # A text summary keeps what looks like markup: it is text.
    assert plain.text == "Protesters gathered in Bamako on Tuesday <demanding> elections."
    assert plain.published == date(2025, 3, 19)  # no published: updated is the date
    assert [i.origin.rsplit(":", 1)[1] for i in items] == ["6", "14"]


@pytest.mark.parametrize(("content", "expected"), [
    (b'<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>', "not an RSS or Atom feed"),
    (b"<rss version=\"2.0\"><channel><title>Empty</title></channel></rss>", "feed has no items"),
    (b"just words", "not an RSS or Atom feed"),
])
def test_what_is_not_a_feed_is_a_problem(tmp_path, content, expected):
    path = tmp_path / "x.xml"
    path.write_bytes(content)
    [problem] = read(path)
    assert problem.origin == str(path) and expected in problem.message


def test_malformed_feed_is_read_leniently_with_a_warning(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
                     b"<description>Gunmen killed three people in Gao & fled.</description>"
                     b"</item></channel></rss>")
    warning, item = read(path)
    assert warning.warning and "not well-formed" in warning.message
    assert item.article.text == "Gunmen killed three people in Gao & fled."


def test_feed_with_references_to_no_character_loses_no_item(tmp_path):
    # &#xD800; made feedparser raise UnicodeEncodeError on the whole feed.
    path = tmp_path / "refs.rss"
    path.write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                     b"<item><description>Bad &#xD800; ref.</description></item>"
                     b"<item><description>Good item &#233;.</description></item>"
                     b"</channel></rss>")
    warning, first, second = read(path)
    assert warning.warning and "1 character reference" in warning.message
    assert (first.article.text, second.article.text) == ("Bad \ufffd ref.", "Good item é.")


def test_feed_in_a_declared_legacy_encoding(tmp_path):
    path = tmp_path / "legacy.rss"
    path.write_bytes('<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel>'
                     "<title>T</title><item><description>“Quoted” près de Mopti.</description>"
                     "</item></channel></rss>".encode("cp1252"))
    [item] = read(path)
    assert item.article.text == "“Quoted” près de Mopti."


def test_html_to_text_keeps_paragraphs_and_line_breaks():
    assert html_to_text("<p>One\n  two.</p><p>Three<br>four.</p><ul><li>a</li><li>b</li></ul>"
                        "<style>p{}</style>") == "One two.\n\nThree\nfour.\n\na\n\nb"
    assert html_to_text("no markup &amp; spaces ") == "no markup &amp; spaces"


# --- CSV -----------------------------------------------------------------------------------


def test_csv_with_field_mapping_names_rows_by_their_first_line():
    items = read(INPUTS / "export.csv", fields=MAPPING)
    got = summary(items)
    assert got[0] == ("export.csv:2", "article", "Ambush near Gao", "https://example.org/gao",
                      date(2025, 3, 18), None)
    assert items[0].article.text == ("Gunmen ambushed soldiers near Gao on Monday.\nThree were "
                                     "killed, officials said.")
    assert got[1] == ("export.csv:4", "problem", '"body" (mapped to text by --field) is empty')
    assert got[2] == ("export.csv:5", "problem", "row has 5 fields, the header 4")
    assert got[3][:2] == ("export.csv:6", "warning")
    assert got[4][:3] == ("export.csv:6", "article", "Strike")


def test_csv_without_mapping_says_which_columns_it_found():
    items = read(INPUTS / "export.csv")
    assert all(isinstance(i, InputProblem) for i in items)
    assert 'missing "text"; keys found: "headline", "body", "date", "link"' in items[0].message


def test_csv_default_columns_tsv_bom_and_legacy_encoding(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"\xef\xbb\xbfTitle,text\r\nA,First text.\r\n")
    (tmp_path / "b.tsv").write_text("text\ttitle\nSecond, with a comma.\tB\n")
    (tmp_path / "c.csv").write_bytes("text;source\nTroisième texte près de Gao.;AFP\n"
                                     .encode("cp1252"))
    items = read(tmp_path)
    # Column names are exact: "Title" is not "title".
    arts = [i.article for i in items if isinstance(i, SourcedArticle)]
    assert [(a.title, a.text) for a in arts] == [
        (None, "First text."), ("B", "Second, with a comma."),
        (None, "Troisième texte près de Gao.")]
    [warning] = [i for i in items if isinstance(i, InputProblem)]
    assert warning.warning and warning.origin.endswith("c.csv") and "cp1252" in warning.message


def test_csv_header_only_and_overlong_row(tmp_path):
    (tmp_path / "h.csv").write_text("text,title\n")
    (tmp_path / "o.csv").write_text("text\n" + "x" * 5000 + "\nShort row.\n")
    items = read(tmp_path, max_item_bytes=1000)
    assert [(i.origin.rsplit("/", 1)[1], getattr(i, "message", None)) for i in items] == [
        ("h.csv", "file has a header row but no articles"),
        ("o.csv:2", "line is longer than the 1000 bytes limit of one item; split it, or raise "
                    "--max-item-mb"),
        ("o.csv:3", None),
    ]


def test_jsonl_field_mapping(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_text(json.dumps({"body": "Mapped text.", "headline": "H", "date": "2025-03-18",
                                "text": "not this"}) + "\n")
    [item] = read(path, fields={"text": "body", "title": "headline", "published": "date"})
    assert (item.article.text, item.article.title, item.article.published) == (
        "Mapped text.", "H", date(2025, 3, 18))


@pytest.mark.parametrize(("specs", "error"), [
    (["text"], "is not FIELD=NAME"),
    (["text="], "is not FIELD=NAME"),
    (["body=text"], "unknown article field 'body'"),
    (["text=a", "TEXT=b"], "'text' is mapped twice"),
])
def test_bad_field_mappings(specs, error):
    with pytest.raises(ValueError, match=error):
        parse_field_mapping(specs)


def test_format_overrides_the_suffix_of_named_files_only(tmp_path):
    (tmp_path / "export.dat").write_text(json.dumps({"text": "From a .dat file."}) + "\n")
    [item] = read(tmp_path / "export.dat", format=InputFormat.JSONL)
    assert item.article.text == "From a .dat file."
    [problem] = read(tmp_path / "export.dat")
    assert "unsupported file type '.dat'" in problem.message


# --- encodings -----------------------------------------------------------------------------


def test_declared_windows_1252_page_is_read_silently():
    [item] = read(INPUTS / "mopti-cp1252.html")
    assert item.article.title == "Attaque près de Mopti"
    assert "poste de l’armée près de Mopti" in item.article.text
    assert "« attaque lâche »" in item.article.text


def test_page_labelled_latin1_is_read_as_windows_1252(tmp_path):
    path = tmp_path / "l.html"
    path.write_bytes('<html><head><meta charset="ISO-8859-1"></head><body><article><p>The army '
                     "called it a “cowardly attack” on its post near Gao, officials said.</p>"
                     "</article></body></html>".encode("cp1252"))
    [item] = read(path)
    assert "“cowardly attack”" in item.article.text


def test_declared_charset_that_does_not_fit_falls_back_to_detection(tmp_path):
    path = tmp_path / "m.html"
    path.write_bytes(b'<html><head><meta charset="utf-16"></head><body><article><p>Gunmen '
                     b"attacked the village at dawn and burned the market, residents said.</p>"
                     b"</article></body></html>")
    [item] = read(path)  # not UTF-16 at all: read as the UTF-8 it is, silently
    assert "burned the market" in item.article.text


@pytest.mark.parametrize(("encoding", "text"), [
    ("utf-16", "Attaque près de Mopti."),
    ("utf-32", "Attaque près de Mopti."),
    ("utf-8-sig", "Attaque près de Mopti."),
])
def test_byte_order_marks_are_honoured(tmp_path, encoding, text):
    path = tmp_path / "bom.txt"
    path.write_bytes(text.encode(encoding))
    [item] = read(path)
    assert item.article.text == text


@pytest.mark.parametrize(("encoding", "text", "named"), [
    ("cp1252", "Title: Café\n\nAttaque près de Mopti, dit l’armée.", "cp1252"),
    ("cp1251", "Россия объявила о выводе войск из Мали. Боевики атаковали конвой у Кидаля.",
     "cp1251"),
])
def test_other_encodings_are_detected_with_a_warning(tmp_path, encoding, text, named):
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    warning, item = read(path)
    assert warning.warning and warning.origin == str(path)
    assert f"read as {named} (detected)" in warning.message and "not UTF-8" in warning.message
    assert item.article.text == text.split("\n\n")[-1]


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "expected"), [
    ("Tue, 18 Mar 2025 09:00:00 GMT", date(2025, 3, 18)),
    ("Tue, 18 Mar 2025 23:30:00 -0500", date(2025, 3, 18)),
    ("18 Mar 2025 09:00 +0100", date(2025, 3, 18)),
    ("Tuesday, March 18, 2025 9:00 AM EST", date(2025, 3, 18)),
    ("Sept. 3, 2024", date(2024, 9, 3)),
    ("2025-03-18T23:30:00-05:00", date(2025, 3, 18)),
    ("Tue, 31 Feb 2025 09:00:00 GMT", None),
    ("last Tuesday", None),
])
def test_publication_date_forms(written, expected):
    assert parse_date(written) == expected


def test_rfc2822_date_in_header_and_jsonl(tmp_path):
    (tmp_path / "a.txt").write_text("Published: Tue, 18 Mar 2025 09:00:00 GMT\n\nText A.")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": "Text B.",
                                                  "published": "Tue, 18 Mar 2025 09:00:00 GMT"}))
    items = read(tmp_path)
    assert [i.article.published for i in items] == [date(2025, 3, 18)] * 2


# --- web pages without an article ----------------------------------------------------------


@pytest.mark.parametrize("body", [
    "<nav><a href='/'>Home</a> <a href='/w'>World</a> <a href='/s'>Sport</a></nav>",
    "<div>Skip to content</div><div>Menu</div><div>Search</div><div>Sign in</div>",
    "<header><h1>Sahel Monitor</h1></header><div>Latest headlines</div>",
    "<p>Home</p><p>World</p><p>Subscribe</p>",
])
def test_page_with_navigation_only_is_a_problem(tmp_path, body):
    path = tmp_path / "nav.html"
    path.write_text(f"<html><head><title>Home</title></head><body>{body}</body></html>")
    [problem] = read(path)
    assert isinstance(problem, InputProblem) and not problem.warning
    assert "no main article text" in problem.message


def test_prose_test_accepts_a_short_brief_and_refuses_headlines():
    assert has_prose("Gunmen killed five people in Mopti on Sunday, officials said.")
    assert has_prose("Mali army says 10 killed in attack on base near Gao!")
    assert not has_prose("Mali: army says 10 killed in attack\nNiger: protests in Niamey go on")
    assert not has_prose("Home World Sport")
    assert has_prose("马里北部基达尔附近发生伏击，至少十五名士兵死亡。")
    assert has_prose("« Les assaillants ont été repoussés », a déclaré l’armée malienne.")
