"""The model path: prompts, the OpenAI-compatible client, chunking of long articles, prices and
rate limits."""
