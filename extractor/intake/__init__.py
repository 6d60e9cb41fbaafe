"""Intake: files, folders and feeds read into articles, with every refusal named by file and line."""
