"""Resolution after extraction: evidence aligned to the article, names to the actor registry,
places to the gazetteer, and the derived fields (fatalities, date precision)."""
