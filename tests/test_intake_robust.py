"""Intake under attack: whatever is wrong with one item costs that item alone, is reported as one
line naming its file (and line), and every other item is still read."""

from __future__ import annotations

import io
import json
import os
import pathlib
import tracemalloc
from pathlib import Path

import pytest

from extractor.intake.articles import (
    InputProblem,
    IntakeConfig,
    SourcedArticle,
    read_articles,
)
from extractor.intake.items import one_line

GOOD = "Rebels ambushed a convoy near Kidal on Saturday, killing at least 15 soldiers."


def read(*paths: Path | str, config: IntakeConfig | None = None,
         stdin: bytes | None = None) -> list[SourcedArticle | InputProblem]:
    return list(read_articles(paths, config, io.BytesIO(stdin) if stdin is not None else None))


def texts(items: list) -> list[str]:
    return [i.article.text for i in items if isinstance(i, SourcedArticle)]


def errors(items: list) -> list[InputProblem]:
    return [i for i in items if isinstance(i, InputProblem) and not i.warning]


def jsonl(*records: object) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


def assert_one_line(items: list) -> None:
    for item in items:
        for value in ((item.origin, item.message) if isinstance(item, InputProblem)
                      else (item.origin,)):
            assert value.isprintable(), value
            value.encode("utf-8")  # storable and printable on any UTF-8 console


# --- one bad JSONL line among good ones ----------------------------------------------------


def test_lone_surrogate_escape_costs_its_line_alone(tmp_path):
    # "\ud800" as a JSON escape decodes to a lone surrogate, which cannot be encoded: it used to
    # raise UnicodeEncodeError and lose every article of the read batch.
    path = tmp_path / "feed.jsonl"
    path.write_bytes(jsonl({"text": "First " + GOOD}) + b'{"text": "bad \\ud800 text"}\n'
                     + b'{"text": "ok", "title": "bad \\udfff title"}\n'
                     + jsonl({"text": "Last " + GOOD}))
    items = read(path)
    assert texts(items) == ["First " + GOOD, "Last " + GOOD]
    bad = errors(items)
    assert [p.origin for p in bad] == [f"{path}:2", f"{path}:3"]
    assert "lone surrogate (U+D800 at character 4)" in bad[0].message
    assert '"title"' in bad[1].message and "U+DFFF" in bad[1].message
    assert_one_line(items)


def test_surrogate_pair_escape_is_a_character_not_a_problem(tmp_path):
    path = tmp_path / "emoji.jsonl"
    path.write_bytes(b'{"text": "Crowd \\ud83d\\ude00 in Bamako, witnesses said."}\n')
    assert texts(read(path)) == ["Crowd \U0001f600 in Bamako, witnesses said."]


@pytest.mark.parametrize(("line", "expected"), [
    (b"[1, 2]", "expected a JSON object, got an array"),
    (b"42", "expected a JSON object, got a number"),
    (b'"just a string"', "expected a JSON object, got a string"),
    (b"null", "expected a JSON object, got null"),
    (b"true", "expected a JSON object, got a boolean"),
    (b'{"text": {"body": "a"}}', '"text" must be a string, got an object'),
    (b"{\"text\": \"unterminated", "invalid JSON"),
    (b'{"text": "a\x00b"}', "invalid JSON"),  # a raw NUL: this line alone, not the file
    (b"[" * 100_000, "could not be read: RecursionError"),  # json's own limit, not ours
])
def test_odd_jsonl_lines_are_problems_of_their_line(tmp_path, line, expected):
    path = tmp_path / "odd.jsonl"
    path.write_bytes(jsonl({"text": "Before."}) + line + b"\n" + jsonl({"text": "After."}))
    items = read(path)
    assert texts(items) == ["Before.", "After."]
    [problem] = errors(items)
    assert problem.origin == f"{path}:2" and expected in problem.message
    assert_one_line(items)


def test_optional_field_of_the_wrong_type_is_a_warning_and_the_article_read(tmp_path):
    path = tmp_path / "types.jsonl"
    path.write_bytes(jsonl({"text": GOOD, "published": 20240730, "title": ["a"],
                            "url": "https://example.org/x"}))
    first, second, item = read(path)
    assert (first.warning, second.warning) == (True, True)
    assert first.message == '"title" must be a string or null, got an array; read without it'
    assert second.message == ('"published" must be a string or null, got a number; read '
                              "without it")
    assert (item.article.title, item.article.published, item.article.url) == (
        None, None, "https://example.org/x")


def test_missing_text_lists_a_bounded_escaped_set_of_keys(tmp_path):
    record = {f"key\n{n}": n for n in range(50)} | {"ti\ud800tle": 1}
    path = tmp_path / "keys.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [problem] = read(path)
    assert 'missing "text"' in problem.message and "and 39 more" in problem.message
    assert "--field text=KEY" in problem.message and "key\\n0" in problem.message
    assert len(problem.message) <= 400
    assert_one_line([problem])


def test_csv_row_with_a_nul_or_a_byte_of_another_encoding_costs_that_row(tmp_path):
    path = tmp_path / "rows.csv"
    rows = b"".join(b"Row %d text.,T\n" % n for n in range(3000))  # past the 64 KB sniff
    path.write_bytes(b"text,title\nFirst.,A\nBad\x00row.,B\n" + rows + b"Caf\xe9.,C\nLast.,D\n")
    items = read(path)
    assert len(texts(items)) == 3002 and texts(items)[-1] == "Last."
    nul, latin = errors(items)
    assert (nul.origin, nul.message) == (f"{path}:3", '"text" holds a NUL character (at '
                                         "character 3): binary data, not text")
    assert latin.origin == f"{path}:3004"
    assert latin.message.startswith("not utf-8 (byte 0xE9 at column 4); line left out")


def test_csv_quote_never_closed_costs_the_lines_up_to_the_item_limit(tmp_path):
    path = tmp_path / "quote.csv"
    rows = b"".join(b"Row %d.,T\n" % n for n in range(2000))
    path.write_bytes(b"text,title\nFirst.,A\n\"Unclosed quote,B\n" + rows)
    items = read(path, config=IntakeConfig(max_item_bytes=4000))
    [problem] = errors(items)
    assert problem.origin == f"{path}:3"
    assert problem.message.startswith("not valid CSV: field larger than field limit (4000); "
                                      "lines 3-")
    assert "a quote opened and never closed?" in problem.message
    found = texts(items)
    assert found[0] == "First." and found[-1] == "Row 1999." and len(found) > 1500


def test_utf16_tsv_with_bom_is_read(tmp_path):
    path = tmp_path / "excel.tsv"
    path.write_bytes("text\ttitle\r\nPremière ligne.\tA\r\nDeuxième.\tB\r\n".encode("utf-16"))
    items = read(path)
    assert texts(items) == ["Première ligne.", "Deuxième."]
    assert [i.origin for i in items] == [f"{path}:2", f"{path}:3"]


def test_crlf_bom_and_blank_lines_in_jsonl(tmp_path):
    path = tmp_path / "win.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": "A.\r\nB."}).encode() + b"\r\n\r\n"
                     + json.dumps({"text": "C."}).encode() + b"\r\n")
    assert texts(read(path)) == ["A.\nB.", "C."]


def test_files_joined_with_cat_keep_their_byte_order_marks_harmless(tmp_path):
    path = tmp_path / "joined.jsonl"
    bom = b"\xef\xbb\xbf"
    path.write_bytes(bom + jsonl({"text": "A."}) + bom + jsonl({"text": "B."}))
    assert texts(read(path)) == ["A.", "B."]


def test_utf16_jsonl_is_refused_whole_with_its_encoding(tmp_path):
    path = tmp_path / "utf16.jsonl"
    path.write_bytes(json.dumps({"text": "A."}).encode("utf-16"))
    [problem] = read(path)
    assert problem.origin == str(path) and "UTF-16" in problem.message


# --- one runaway line: bounded memory ------------------------------------------------------


def test_line_over_the_item_limit_is_skipped_without_being_held(tmp_path):
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as handle:
        handle.write(jsonl({"text": "Before."}))
        handle.write(b'{"text": "' + b"x" * 20_000_000 + b'"}\n')  # 20 MB on one line
        handle.write(jsonl({"text": "After."}))
    config = IntakeConfig(max_item_bytes=1_000_000)
    tracemalloc.start()
    try:
        items = read(path, config=config)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert texts(items) == ["Before.", "After."]
    [problem] = errors(items)
    assert problem.origin == f"{path}:2"
    assert "line is 19.1 MB, over the 976.6 KB limit" in problem.message
    assert "--max-item-mb" in problem.message
    assert peak < 4_000_000  # the limit and a skipping chunk, never the line


def test_line_exactly_at_the_limit_is_read(tmp_path):
    line = json.dumps({"text": "y" * 1000}).encode()
    path = tmp_path / "edge.jsonl"
    path.write_bytes(line + b"\n" + line.replace(b"y", b"z"))
    assert len(texts(read(path, config=IntakeConfig(max_item_bytes=len(line))))) == 2
    [problem] = errors(read(path, config=IntakeConfig(max_item_bytes=len(line) - 1)))[:1]
    assert problem.origin == f"{path}:1"


def test_whole_file_over_the_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body><p>" + b"word " * 50_000 + b"</p></body></html>")
    small = tmp_path / "small.txt"
    small.write_text(GOOD)
    items = read(big, small, config=IntakeConfig(max_item_bytes=100_000))
    assert texts(items) == [GOOD]
    assert "over the 97.7 KB limit" in errors(items)[0].message


# --- file names and the file system --------------------------------------------------------


def test_file_names_that_are_not_text_are_escaped_and_the_files_read(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    odd = os.fsencode(root) + b"/caf\xe9\nnews.txt"  # Latin-1 byte and a newline in the name
    with open(odd, "wb") as handle:
        handle.write(GOOD.encode())
    with open(os.fsencode(root) + b"/bad\xff.jsonl", "wb") as handle:
        handle.write(jsonl({"text": "A."}) + b'{"text": "\\ud800"}\n')
    items = read(root)
    assert sorted(texts(items)) == sorted([GOOD, "A."])
    origins = sorted(i.origin for i in items)
    assert origins == [f"{root}/bad\\xff.jsonl:1", f"{root}/bad\\xff.jsonl:2",
                       f"{root}/caf\\xe9\\nnews.txt"]
    assert_one_line(items)


def test_one_line_escapes_controls_bidi_and_separators():
    assert one_line("a\nb\rc\td\x00e\x1bf") == "a\\nb\\rc\\td\\x00e\\x1bf"
    assert one_line("evil\u202etxt.exe") == "evil\\u202etxt.exe"
    assert one_line("x\u2028y") == "x\\u2028y"
    assert one_line("Tinzaouatène “quoted”") == "Tinzaouatène “quoted”"


def test_rich_markup_in_a_file_name_is_shown_as_written(tmp_path, capsys):
    from rich.console import Console

    from extractor.progress import ConsoleReporter

    console = Console(file=io.StringIO(), width=200)
    reporter = ConsoleReporter(enabled=False, console=console)
    reporter.problem("[bold]x[/].txt", "file is empty [/]")
    reporter.warning("a[red].txt", "not UTF-8")
    out = console.file.getvalue()
    assert "skipped [bold]x[/].txt: file is empty [/]" in out
    assert "warning a[red].txt: not UTF-8" in out


def test_directory_named_like_a_file_is_walked_not_read(tmp_path):
    root = tmp_path / "in"
    (root / "news.jsonl").mkdir(parents=True)
    (root / "news.jsonl" / "inner.txt").write_text(GOOD)
    assert texts(read(root)) == [GOOD]
    assert texts(read(root / "news.jsonl")) == [GOOD]


def test_dangling_symlinks_are_reported_named_or_walked(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (root / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")  # unsupported: skipped silently
    (root / "ok.txt").write_text(GOOD)
    items = read(root)
    assert texts(items) == [GOOD]
    [problem] = errors(items)
    assert problem.origin == f"{root}/gone.txt"
    assert problem.message == f"broken symbolic link (its target {tmp_path}/nowhere.txt does " \
                              "not exist)"
    [named] = read(root / "gone.txt")
    assert "broken symbolic link" in named.message


def test_zero_byte_files_of_every_format(tmp_path):
    names = ["a.txt", "b.md", "c.jsonl", "d.csv", "e.html", "f.rss", "g.xml", "h.tsv"]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    items = read(*(tmp_path / name for name in names))
    assert [(p.origin, p.message) for p in items] == [
        (str(tmp_path / name), "file is empty") for name in names]


def test_nul_bytes_make_a_file_binary_in_every_format(tmp_path):
    for name in ("a.txt", "b.html", "c.csv", "d.rss", "e.jsonl"):
        (tmp_path / name).write_bytes(b"\x1f\x8b\x08\x00\x01\x02\x03 gzip\nTitle: x\n\ntext")
    items = read(tmp_path)
    assert len(items) == 5 and all("binary" in p.message for p in errors(items)), items


def test_file_that_vanishes_mid_walk_is_reported_and_the_walk_goes_on(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (root / name).write_text(f"{name}: {GOOD}")
    items = []
    for item in read_articles([root]):
        items.append(item)
        if len(items) == 1:
            (root / "b.txt").unlink()  # gone after the folder was listed
    assert texts(items) == [f"a.txt: {GOOD}", f"c.txt: {GOOD}"]
    [problem] = errors(items)
    assert problem.origin == f"{root}/b.txt" and "no longer exists" in problem.message


def test_unreadable_folder_and_file_are_problems(tmp_path, monkeypatch):
    # Running as root, permissions cannot refuse a read: the OS refusal is simulated at the
    # standard library's file-system boundary.
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "x.txt").write_text(GOOD)
    (root / "secret.txt").write_text(GOOD)
    (root / "z.txt").write_text(GOOD.replace("15", "16"))
    real_open, real_iterdir = pathlib.Path.open, pathlib.Path.iterdir

    def refuse(path: Path) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(pathlib.Path, "open", lambda self, *a, **k: refuse(self)
                        if self.name == "secret.txt" else real_open(self, *a, **k))
    monkeypatch.setattr(pathlib.Path, "iterdir", lambda self: refuse(self)
                        if self.name == "locked" else real_iterdir(self))
    items = read(root)
    assert texts(items) == [GOOD.replace("15", "16")]
    assert [(p.origin, p.message) for p in errors(items)] == [
        (f"{root}/locked", "cannot list folder: Permission denied"),
        (f"{root}/secret.txt", "cannot read: Permission denied"),
    ]


def test_named_pipe_is_read_when_its_format_is_given(tmp_path):
    import threading

    from extractor.intake.items import InputFormat

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # Without a suffix or --format, the pipe is refused before it is opened.
    [problem] = read(fifo)
    assert "unsupported file type" in problem.message and "--format" in problem.message

    def feed() -> None:
        with open(fifo, "wb") as handle:
            handle.write(jsonl({"text": GOOD}))

    writer = threading.Thread(target=feed)
    writer.start()
    items = read(fifo, config=IntakeConfig(format=InputFormat.JSONL))
    writer.join(timeout=10)
    assert texts(items) == [GOOD] and items[0].origin == f"{fifo}:1"


def test_gzipped_files_are_read_and_a_broken_one_costs_itself(tmp_path):
    import gzip

    with gzip.open(tmp_path / "a.jsonl.gz", "wb") as handle:
        handle.write(jsonl({"text": "A."}, {"text": "B."}))
    with gzip.open(tmp_path / "b.txt.gz", "wb") as handle:
        handle.write(b"Title: T\n\n" + GOOD.encode())
    whole = gzip.compress(jsonl(*({"text": f"C{n}."} for n in range(2000))))
    (tmp_path / "c.jsonl.gz").write_bytes(whole[: len(whole) // 2])  # cut short
    (tmp_path / "d.csv.gz").write_bytes(b"not gzip at all")
    (tmp_path / "e.gz").write_bytes(gzip.compress(b"x"))  # no inner suffix: not ours
    items = read(tmp_path)
    got = texts(items)
    assert got[:3] == ["A.", "B.", GOOD] and got[3] == "C0." and len(got) < 2003
    cut, bad = errors(items)
    assert cut.origin == f"{tmp_path}/c.jsonl.gz" and "EOFError" in cut.message
    assert bad.origin == f"{tmp_path}/d.csv.gz" and "Not a gzipped file" in bad.message


def test_gzip_bomb_is_read_no_further_than_the_item_limit(tmp_path):
    import gzip

    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 50_000_000))  # ~50 KB on disk
    [problem] = read(tmp_path / "bomb.txt.gz", config=IntakeConfig(max_item_bytes=1_000_000))
    assert problem.message.startswith("file is over the 976.6 KB limit of one item")


# --- standard input ------------------------------------------------------------------------


def test_stdin_jsonl_is_sniffed_and_named(tmp_path):
    items = read("-", stdin=jsonl({"text": GOOD}) + b"[1]\n")
    assert texts(items) == [GOOD]
    assert [i.origin for i in items] == ["<stdin>:1", "<stdin>:2"]


def test_stdin_named_twice_is_read_once():
    assert texts(read("-", "-", stdin=jsonl({"text": GOOD}))) == [GOOD]


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "standard input is empty"),
    (b"  \n", "standard input is empty"),
    (b"Title: x\n\nSome text.", "say what it is with --format"),
])
def test_stdin_that_cannot_be_sniffed(data, expected):
    [problem] = read("-", stdin=data)
    assert problem.origin == "<stdin>" and expected in problem.message


def test_stdin_feed_and_html_are_sniffed():
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><item>'
            b"<description>" + GOOD.encode() + b"</description></item></channel></rss>")
    assert texts(read("-", stdin=feed)) == [GOOD]
    page = (b"<!DOCTYPE html><html><body><article><p>" + GOOD.encode()
            + b"</p></article></body></html>")
    assert texts(read("-", stdin=page)) == [GOOD]


def test_article_id_hashed_in_chunks_is_the_id_of_the_normalised_text():
    # article_id_for folds whitespace a chunk at a time (bounded memory on a huge article); the
    # id must stay the SHA-256 of normalise_text, whatever the chunk size and where it cuts.
    import hashlib
    import random

    from extractor.schemas import article_id_for, normalise_text

    rng = random.Random(5)
    alphabet = ["a", "é", "e\u0301", "\u0301", " ", "  ", "\u00a0", "\n", "\t", "\x1c", "\x85",
                "\u200b", "\u2028", "\u3000", "\r"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        whole = hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]
        for size in (1, 2, 5, 1 << 20):
            assert article_id_for(text, size) == whole, (text, size)
