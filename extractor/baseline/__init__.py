"""The offline baseline: rules that fill an ExtractionResult with no model at all.

It reads an article like a careful skimmer: it finds the sentences that report an act of
violence, groups them into incidents, and fills the codebook's fields with rules. It is a floor
to measure models against, not a rival to them. One module per thing it reads:

- ``vocabulary``: the words that mark violence and tie sentences together;
- ``french``: whether an article is French, and the French words, dates and figures the
  rules read in it (records stay in English);
- ``sentences``: sentences with their offsets; ``violence``: which of them report an act of
  violence, and which open an incident;
- ``mentions``: places (gazetteer: curated, or the world layer for an article that names no
  curated place) and actors (registry) named in a text;
- ``dates`` and ``numbers``: date expressions and figures as news writes them;
- ``sources``, ``weapons``, ``roles``, ``casualties``: who says so, with what, who did what to
  whom, how many were killed, wounded or taken;
- ``reading``: one article being read, each sentence's names, dates and figures read once;
- ``drafts`` and ``grouping``: incidents assembled sentence by sentence;
- ``classification`` and ``incidents``: event types, then the codebook's incidents and actors;
- ``backend``: the pipeline's backend, its cache key, and its worker processes.

The cache key (the backend's ``prompt_hash``) is ``backend.RULES_VERSION`` plus a hash of the
registry and gazetteer fields the rules read. Bump ``RULES_VERSION`` (the date, then a
counter) in the commit that changes any rule in a way that may change any article's output: a
pattern, a word list, a threshold, the order of the rules. A refactoring that keeps every output
the same keeps the version. Stored extractions under an older version are then extracted again.
Every pass over an article's text is linear in its length (``bench/baseline.py``).
"""
