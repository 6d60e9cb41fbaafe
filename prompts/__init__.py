"""Prompt templates and few-shot examples: data, shipped as the package ``extractor.prompts``.

This folder holds no code. setuptools maps it to ``extractor.prompts`` (pyproject.toml), so
that an installed wheel carries the templates; the loader is ``extractor.model.prompting``.
Imported under any other name (``import prompts`` from the repository root), it refuses.
"""

if __name__ != "extractor.prompts":
    raise ImportError(
        f"prompts/ is data, shipped as extractor.prompts; it cannot be imported as {__name__!r}")
