"""Bulk extraction through the OpenAI Batch API: submit, follow, collect."""
