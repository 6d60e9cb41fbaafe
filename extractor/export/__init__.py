"""Exports of events and incidents: ACLED's columns, GeoJSON, JSON Lines, CSV."""
