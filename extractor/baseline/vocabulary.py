"""The words that tell a sentence reports an act of violence, and how sentences hang together.

A data table: each pattern is read by the modules that decide whether a sentence is part of an
incident (``sentences``), which incident it belongs to (``grouping``) and who did what
(``roles``). Patterns read by one module only live in that module.
"""

from __future__ import annotations

import re

IGNORE = re.IGNORECASE

# A sentence reports violence when it has one of these (and is not analysis or an aggregate).
VERB = re.compile(
    r"\b(ambush(?:ed|ing)|attack(?:ed|ing)|kill(?:ed|ing)|clash(?:ed|ing)|abduct(?:ed|ing)|"
    r"kidnapp?(?:ed|ing)|shell(?:ed|ing)|raid(?:ed|ing)|massacr(?:ed|ing)|storm(?:ed|ing)|"
    r"execut(?:ed|ing)|detonat(?:ed|ing)|explod(?:ed|ing)|bomb(?:ed|ing)|overr[au]n|"
    r"opened fire|shot dead|gunned down|struck|died|slaughtered|beheaded|torched|"
    r"wound(?:ed|ing)|injur(?:ed|ing)|captur(?:ed|ing)|seiz(?:ed|ing)|took control|retook|"
    r"recaptur(?:ed|ing)|protest(?:ed|ing)|rioted|demonstrat(?:ed|ing)|"
    r"(?<=to )(?:ambush|attack|kill|abduct|kidnap|seize|capture)|"
    # French
    r"attaqu(?:é|ée|és|ées|ant)|tu(?:é|ée|és|ées|ant)|bless(?:é|ée|és|ées|ant)|"
    r"enlev(?:é|ée|és|ées|ant)|bombard(?:é|ée|és|ant)|frapp(?:é|ée|és|ant)|pris d'assaut|"
    r"massacr(?:é|és|ant)|neutralis(?:é|és|ant)|manifest(?:é|ent|aient))(?!\w)", IGNORE)
NOUN = re.compile(
    r"\b(ambush(?:es)?|attacks?|clash(?:es)?|fighting|strikes?|airstrikes?|explosions?|blasts?|"
    r"raids?|massacres?|assaults?|battles?|kidnappings?|abductions?|combat|deaths?|bodies|"
    r"casualties|confrontation|toll|protests?|protesters|demonstrations?|demonstrators|riots?|"
    r"rioters|embuscades?|attaques?|frappes?|enlèvements?|affrontements?|combats?|"
    r"manifestations?|manifestants|émeutes?|explosions?|morts|victimes)(?!\w)", IGNORE)
# The verb that separates who acted (before it) from who suffered (after it).
ROLE_VERB = re.compile(
    r"\b(ambushed|attacked|killed|clashed|abducted|kidnapp?ed|shelled|raided|massacred|stormed|"
    r"executed|bombed|overr[au]n|struck|hit|(?<!the )targeted|captured|seized|took control|"
    r"retook|recaptured|(?<=to )(?:ambush|attack|kill|abduct|kidnap|seize|capture)|"
    r"attaqué|tué|enlevé|bombardé|frappé|ciblé|pris d'assaut|tendu une embuscade)(?!\w)",
    IGNORE)
EVENT_PREDICATE = re.compile(
    r"\b(took place|occurred|happened|was carried out|erupted|broke out)\b", IGNORE)
AGGREGATE = re.compile(
    r"\b(series of|increasingly|since (?:19|20)\d\d|from (?:19|20)\d\d to|\w+-year\b|stint|"
    r"in (?:the )?(?:past|last) (?:\w+ )?(?:years|months|decades?)|over the (?:past|last)|"
    r"so far this year|sporadic|continues? to|each year|every year|in total|number of|"
    r"depuis (?:19|20)\d\d|depuis des (?:années|mois)|ces dernières années|"
    r"au cours des (?:dernières|derniers) )", IGNORE)
NON_EVENT = re.compile(
    r"\b(withdr[ae]w\w*|pull(?:ed|ing|s)? (?:\w+ ){0,4}out\b|deploy\w*|stationed|agreements?|"
    r"truce|peace deal|ceasefire|deliver\w*|sanctions)", IGNORE)
MODAL = re.compile(r"\b(if|may|might|could|would|should|will|unlikely)\b", IGNORE)
PAST = re.compile(r"\b\w+(?:ed|ew|ook|uck|an)\b")
# Past-tense violence words that PAST does not recognise by their ending.
IRREGULAR_PAST = ("struck", "shot dead", "overran", "took control")
SKIP_LINE = re.compile(r"^\s*(see also|read next|read more|related|photo|image)\b", IGNORE)

# A sentence that points back to the incident being told ('the attack', 'they').
ANAPHORA = re.compile(
    r"\b(?:the|this|that|the same|their)\s+(?:\w+\s+)?(attack|ambush|assault|raid|fighting|"
    r"confrontation|clash(?:es)?|strike|explosion|blast|incident|operation|battle|rout|"
    r"killings?|massacre|news|targeted|convoy|toll|deaths?|mission)\b"
    r"|^\s*(?:the group|they|it)\b"
    r"|\b(?:l'|l\u2019|le |la |les |cette |ce |cet )(?:\w+\s+)?(attaque|embuscade|assaut|raid|"
    r"convoi|bilan|frappe|explosion|affrontements?|combats?|opération|enlèvement)(?!\w)",
    IGNORE)
# A sentence that opens another incident, or recalls an earlier one.
NEW_CUE = re.compile(r"\b(another|a separate|separately|in a different|elsewhere|"
                     r"par ailleurs|dans une autre|une autre attaque|séparément|ailleurs)(?!\w)",
                     IGNORE)
BACKGROUND_CUE = re.compile(
    r"^\W*(?:in another|a separate|previously|earlier,|in the past|shortly after|months after|"
    r"years after|weeks after|last (?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december|year)\b|in (?:19|20)\d\d\b)|\b(?:in another|"
    r"a separate)\b", IGNORE)

CIVILIAN_WORDS = re.compile(
    r"\b(civilians?|villagers|residents|worshippers|passengers|farmers|herders|traders|women|"
    r"children|girls|boys|students|pupils|teachers|civils|villageois|habitants|fidèles|"
    r"passagers|femmes|enfants|élèves)(?!\w)", IGNORE)

# A dateline opens a wire story ('BAMAKO, Oct 3 (AFP) -'): it names where the story was filed,
# not where the incident happened, and its date is when it was filed.
DATELINE_AFTER = re.compile(
    r"\s*(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,?\s*\d{4})?)?\s*(?:\([A-Za-z ]+\))?\s*"
    r"[-\u2013\u2014:]\s")
DATELINE = re.compile(r"^\s*[A-Z][A-Z.'\u2019 -]{1,40}?" + DATELINE_AFTER.pattern)
