"""Evidence alignment: exact, fuzzy, unaligned, with offsets into the original text."""

from extractor.resolve.grounding import EXACT, FUZZY, UNALIGNED, align, evidence_status

TEXT = ("Russian mercenaries with the so-called \u201cAfrica Corps\u201d were ambushed by Tuareg "
        "rebels in northern Mali, according to the OSINT project war_noir on X on June 13.\n\n"
        "According to LSI AFRICA, four Russian fighters were killed in the attack.")


def test_exact_quote_gets_its_offsets():
    quote = "four Russian fighters were killed"
    found = align(quote, TEXT)
    assert found.status == EXACT
    assert TEXT[found.start:found.end] == quote


def test_typographic_quotes_and_whitespace_are_folded_but_offsets_stay_original():
    quote = 'the so-called "Africa Corps"  were ambushed'
    found = align(quote, TEXT)
    assert found.status == EXACT
    assert TEXT[found.start:found.end] == "the so-called \u201cAfrica Corps\u201d were ambushed"


def test_small_copy_errors_align_fuzzily():
    found = align("According to LSI Africa, four Russian fighter were killed in the attack", TEXT)
    assert found.status == FUZZY
    assert 85 <= found.score < 100
    assert "LSI AFRICA" in TEXT[found.start:found.end]


def test_invented_quote_is_kept_but_unaligned():
    found = align("Twelve soldiers died in Gao on Tuesday.", TEXT)
    assert found.status == UNALIGNED
    assert found.start is None and found.quote == "Twelve soldiers died in Gao on Tuesday."
    assert align("   ", TEXT).status == UNALIGNED


def test_long_text_uses_a_window_and_still_finds_the_quote():
    filler = "Nothing happened here today. " * 5000
    text = filler + "The convoy struck a mine near Aguelhok, killing two." + filler
    found = align("The convoy struck a mine near Aguelhoc, killing two", text)
    assert found.status == FUZZY
    assert text[found.start:found.end].startswith("The convoy struck a mine")


def test_evidence_status():
    exact = align("four Russian fighters", TEXT)
    missing = align("nothing like this", TEXT)
    assert evidence_status([exact, exact]) == "verified"
    assert evidence_status([exact, missing]) == "partial"
    assert evidence_status([missing]) == "unverified"
    assert evidence_status([]) == "unverified"
