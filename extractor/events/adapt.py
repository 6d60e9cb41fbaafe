"""Reports from post-processed extractions, and grouping them in memory (no database).

The evaluation groups predicted and gold incidents this way, with the same rules and the same
grouper as ``extractor events group``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from extractor.events.grouping import Grouper
from extractor.events.rules import Claim, Details, Report, location
from extractor.resolve.postprocess import ProcessedExtraction
from extractor.schemas import CasualtyKind


def incident_key(article_id: str, position: int) -> str:
    return f"{article_id}#{position}"


def reports_of(processed: ProcessedExtraction) -> list[Report]:
    """One report per incident of a post-processed extraction."""
    article = processed.article
    reports = []
    for resolved in processed.incidents:
        incident = resolved.incident
        key = incident_key(article.id, resolved.position)
        named = frozenset(ref.actor_id for ref in resolved.perpetrators)
        claimed = frozenset(ref.actor_id for ref in resolved.claimed_by)
        killed = tuple(
            Claim(claim.count_min, victim_id or ((claim.victims or "").casefold() or None))
            for claim, victim_id in zip(incident.casualties, resolved.casualty_victim_ids,
                                        strict=True)
            if claim.kind == CasualtyKind.killed and claim.count_min is not None)
        start = incident.date_start
        reports.append(Report(
            id=key, article_id=article.id, event_type=incident.event_type.value,
            sub_event_type=incident.sub_event_type.value, date_start=start,
            date_end=incident.date_end,
            where=location(incident.place, resolved.gazetteer_name, resolved.admin1,
                           resolved.country, incident.geo_precision.value),
            perpetrators=named | claimed,
            targets=frozenset(ref.actor_id for ref in resolved.targets),
            order=(start.isoformat() if start else "~", article.id, key),
            details=Details(
                summary=incident.summary, place=incident.place, admin1=resolved.admin1,
                country=resolved.country, geo_precision=incident.geo_precision.value,
                geo_precision_code=resolved.geo_precision_code,
                gazetteer_name=resolved.gazetteer_name, latitude=resolved.latitude,
                longitude=resolved.longitude, killed=killed, named_perpetrators=named,
                claimed_by=claimed, sources=tuple(incident.sources),
                outlet=article.source, is_background=incident.is_background),
        ))
    return reports


def group_in_memory(extractions: Iterable[ProcessedExtraction]) -> dict[str, str]:
    """Incident key -> event id, grouping every incident of ``extractions`` as one scope."""
    reports = [report for processed in extractions for report in reports_of(processed)]
    grouper = Grouper("memory", itertools.count(1))
    grouper.add_all(sorted(reports, key=lambda report: report.order))
    return dict(grouper.event_of)
