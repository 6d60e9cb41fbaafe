"""Intake: files, folders and feeds read into articles; every refusal names its file and line."""
