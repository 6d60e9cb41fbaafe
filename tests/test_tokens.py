"""Token counting with a server's tokenizer, and the labelled estimate where there is none.

The real tokenizer (llama-cpp-python's /extras/tokenize/count) is tested in
tests/test_local_model.py; here the fake server's /tokenize (vLLM's protocol) and the
fallbacks."""

from __future__ import annotations

import re

from extractor.model.tokens import ESTIMATE, TokenCounter, estimate_tokens, server_root
from extractor.vocabulary import CHARS_PER_TOKEN

TEXT = "Gunmen attacked a checkpoint near Kidal on Sunday, killing four soldiers."


def test_the_fakes_tokenizer_is_used_and_remembered(fake_openai):
    counter = TokenCounter(fake_openai.base_url, model="fake-model")
    first = counter.count(TEXT)
    # The fake's toy tokenizer: one token per word or punctuation mark.
    assert first.tokens == len(re.findall(r"\w+|[^\w\s]", TEXT)) == 13
    assert first.exact and first.method == "llama.cpp or vLLM /tokenize"
    assert counter.count("two words").tokens == 2
    paths = [entry["path"] for entry in fake_openai.log]
    # The first count probed llama-cpp-python's path (404 here) once; the second went straight.
    assert paths.count("/tokenize") == 2


def test_openais_api_gets_the_estimate_without_a_request():
    count = TokenCounter(None).count(TEXT)
    assert not count.exact and count.method == ESTIMATE
    assert count.tokens == -(-len(TEXT) // CHARS_PER_TOKEN)
    assert "OpenAI API" in str(count)


def test_a_server_without_a_tokenizer_gets_a_labelled_estimate(fake_openai):
    fake_openai_root = server_root(fake_openai.base_url)
    counter = TokenCounter(fake_openai_root + "/nothing-here/v1")
    first = counter.count(TEXT)
    assert not first.exact and first.tokens == estimate_tokens(TEXT).tokens
    assert "HTTP 404" in first.note
    again = counter.count(TEXT)
    assert not again.exact and again.note == first.note


def test_an_unreachable_server_gets_an_estimate_naming_why():
    count = TokenCounter("http://127.0.0.1:9/v1", timeout=2).count(TEXT)
    assert not count.exact and "ConnectError" in count.note


def test_server_root():
    assert server_root("http://127.0.0.1:8080/v1") == "http://127.0.0.1:8080"
    assert server_root("http://127.0.0.1:8080/v1/") == "http://127.0.0.1:8080"


def test_a_timeout_gives_an_estimate_but_the_tokenizer_is_asked_again(fake_openai):
    counter = TokenCounter(fake_openai.base_url, timeout=0.5)
    fake_openai.tokenize_delays.extend([2.0])  # the first count is answered too late
    first = counter.count(TEXT)
    assert not first.exact and "ReadTimeout" in first.note
    assert counter.count(TEXT).exact  # the server answers now
