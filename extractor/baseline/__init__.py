"""The offline baseline: rules that fill an ExtractionResult with no model at all."""
