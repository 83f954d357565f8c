"""The words the intents of rasa_ext/intent_signals.py are made of (Dutch stems, matched at a word
start), and the patterns around them. Data of the IntentSignals component, kept apart from its logic.

Month names come from their one definition, knowledge/nl/dates.py, loaded from its file: this
module runs in the Rasa environment, which cannot import the knowledge package.
"""

import importlib.util
import re
from pathlib import Path

# Rasa validates component signatures with these typing names.
from rasa_ext import method_questions as mq

FALLBACK = mq.FALLBACK
_DATES_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "nl" / "dates.py"


def _month_words() -> str:
    """Month names and their abbreviations, longest first, as one regex alternation."""
    spec = importlib.util.spec_from_file_location("methodewijzer_dates", _DATES_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return "|".join(sorted(module.MONTH_NUMBERS, key=len, reverse=True))


# The words each plan command is made of (Dutch stems, matched at a word start).
SIGNALS: dict[str, "re.Pattern[str]"] = {
    name: re.compile(r"\b(" + "|".join(words) + r")", re.IGNORECASE)
    for name, words in {
        "join_plan": [
            "mee ?doen",
            "meeschrijv",
            "deeln",
            "deelname",
            "aansluit",
            "aanhak",
            "code",
            "deelcode",
            "uitnodig",
            "uitgenodigd",
            "join",
            "toegang",
            "koppel",
            "inlog",
            "erbij in",
        ],
        "add_contribution": [
            "stap",
            "toevoeg",
            "voeg",
            "aanvul",
            "bijdrage",
            "voorstel",
            "opmerking",
            "reactie",
            "reageren",
            "feedback",
            "input",
            "inbreng",
            "notitie",
            "commentaar",
            "idee",
            "erbij",
            "neem .*op",
            "opnemen",
            "in het plan",
            "plan aanvull",
            "in staat",
            "hoort bij",
            "monitoring",
            "resultaat",
            "punt",
            "kwijt",
            "zet (bij|in) ",
        ],
        "leave_plan": [
            "mee ?doen",
            "uit (het|dit|mijn|ons)? ?(gedeelde )?plan",
            "uitschrijv",
            "schrijf me uit",
            "verlaat",
            "verlaten",
            "afmeld",
            "meld (me|mij) af",
            "trek",
            "stap(pen)? uit",
            "uitstap",
            "haak",
            "eruit",
            "deelname",
            "deelnemer",
            "leave",
            "weg uit",
            "afhalen",
            "opzeggen",
            "betrokken",
            "in dit plan",
            "niet meer mee",
        ],
        "remove_participant": [
            "verwijder",
            "haal",
            "eruit",
            "uit (het|dit|mijn|ons) plan",
            "intrek",
            "trek",
            "schrap",
            "kick",
            "blokkeer",
            "ontkoppel",
            "remove",
            "beëindig",
            "weghal",
            "mag niet meer",
            "hoeft niet",
            "hoeven niet",
            "gooi",
            "deelnemer",
            "partner",
            "zet .*uit",
        ],
        "close_plan": [
            "sluit",
            "afsluit",
            "sluiten",
            "slot",
            "dicht",
            "archiveer",
            "archiveren",
            "vergrendel",
            "close",
            "beëindig",
            "alleen-lezen",
            "gesloten",
            "einde plan",
        ],
    }.items()
}
# Yes and no: one of their words among the first words, and no question. "..." or a typo is no
# answer to anything, "melders van jeugdoverlast voelen zich niet gehoord" or "wat kun je niet"
# is no yes or no.
SIGNALS["affirm"] = SIGNALS["deny"] = re.compile(
    r"\b(ja|jazeker|jep|jup|yes|klopt|prima|doe maar|goed|graag|ok|oké|okee|akkoord|precies|"
    r"zeker|uiteraard|correct|juist|eens|wel|nee|neen|neuh|nope|nah|niet|liever|hoeft|geen|"
    r"incorrect|fout|verkeerd|nooit)\b",
    re.IGNORECASE,
)
YES_NO_WITHIN = 4  # words
# Starting the planner: the word plan ("plan van aanpak", "planner"), its steps or paper; a
# compound ("veiligheidsplan") only when the user asks for it ("kun je me helpen een
# veiligheidsplan op te stellen"), not when it tells of someone else's ("de schoolleiding wil
# een schoolveiligheidsplan").
SIGNALS["start_plan"] = re.compile(r"(\bplan(nen)?\b|planner|stappen|op papier)", re.IGNORECASE)
# Only a plan of local safety work: "veiligheidsplan", "actieplan", "wijkplan"; a "rampenplan",
# "bestemmingsplan" or "reisplan" is someone else's subject (the report leaves physical and
# external safety out, section 3.1).
PLAN_COMPOUND = re.compile(
    r"\w*(veiligheids|actie|aanpak|uitvoerings|werk|wijk|buurt|project|jaar)plan(nen)?\b",
    re.IGNORECASE,
)
# Writing down an approach is starting one: "help me een aanpak uitschrijven voor ...".
WRITE_APPROACH = re.compile(
    r"\baanpak\b.*\b((uit|op)? ?(te )?schrij[fv]|opstel|op te stel|uit( te )?werk|formuler|"
    r"op papier)",
    re.IGNORECASE,
)
# "is er een plan voor onveilige fietstunnels?" asks what exists (advice), not to make one: a
# question of existence starts the planner only with a word of making or starting.
EXISTS = re.compile(
    r"^\W*(is er|zijn er|bestaat|bestaan|heb je|hebben jullie|ken je|kent u|welk|welke|"
    r"wat voor)\b",
    re.IGNORECASE,
)
MAKING = re.compile(
    r"\b(maak|maken|opstel|op te stel|stel|schrij[fv]|begin|beginnen|start|invul|in te vul|vul|"
    r"doorlo|nieuw|help|samen|op papier|wil|willen)",
    re.IGNORECASE,
)
ASKING = re.compile(
    r"\b(ik|we|wij|me|mij|ons|onze|je|jij|jou|jullie|u|samen|help|laten)\b", re.IGNORECASE
)
# A list of methods, and starting the conversation over (which forgets it: never by accident).
SIGNALS["list_methods"] = mq.LIST_WORDS
SIGNALS["start_over"] = re.compile(
    r"(opnieuw|overnieuw|reset|restart|clear|herstart|\bbegin|voren|\bwis|vergeet|"
    r"nieuw gesprek|nieuwe start|op nul|schoon|\bstart)",
    re.IGNORECASE,
)
# Sharing, showing the plan and going back in the planner: the words these requests are made of.
SIGNALS["share_plan"] = re.compile(
    r"(deel|delen|gedeeld|share|uitnodig|nodig\w*\b.*\buit\b|invite|code|toegang|meeschrijv|meekijk|meele|"
    r"meewerk|samenwerk|samen|openstel|openzet|aansluit|mee ?doen|mee in|input|"
    r"in (mijn|ons|dit|het) plan)",
    re.IGNORECASE,
)
SIGNALS["show_plan"] = re.compile(
    r"(plan|pva|concept|samenvatting|antwoord|resultaat|ingevuld|tot nu toe)", re.IGNORECASE
)
SIGNALS["go_back"] = re.compile(
    r"(terug|vorige|undo|aanpas|wijzig|corrig|vergis|verkeerd|fout|verander|anders|verbeter|"
    r"aanvul|opnieuw|eerder)",
    re.IGNORECASE,
)
# Exporting the plan: the plan or the document's words ("hoe deel ik een bestand in teams" is
# no export of ours).
SIGNALS["export_plan"] = re.compile(
    r"(plan|pva|export|download|docx|\bword\b|word-|wordbestand|pdf|document|afdruk|print)",
    re.IGNORECASE,
)
# A new join code: the code and a word of renewing it, or of the plan's code ("welke code heeft
# de bibliotheek voor de wifi" asks for none).
CODE_WORD = re.compile(r"code", re.IGNORECASE)
NEW_CODE = re.compile(
    r"(nieuw|ander|vernieuw|verander|wijzig|vervang|reset|opnieuw|verlopen|uitgelekt|ongeldig|"
    r"vers\b|verse|oude|huidige|deelcode|uitnodigingscode|plan)",
    re.IGNORECASE,
)
# The partners' contributions: the words of adding, reacting or news ("wie heeft jou gemaakt"
# asks about the assistant).
SIGNALS["ask_contributions"] = re.compile(
    r"(bijdrag|bijgedragen|toegevoeg|toevoeg|aangevuld|aanvull|ingebracht|ingevuld|reactie|"
    r"gereageerd|nieuw|update|opmerking|veranderd|gewijzigd|wijzig|input|feedback|voorstel|"
    r"geschreven|zeggen|gezegd|anderen|partners|deelnemers)",
    re.IGNORECASE,
)
# Going on with the plan: the words of going on, of where we were, or the plan and its steps
# ("hangjeugd" alone is a problem, not "ga verder").
SIGNALS["continue_plan"] = re.compile(
    r"(verder|verdr|door|hervat|volgende|draad|afmak|afmaken|afrond|terug|waren we|gebleven|"
    r"plan|vraag|vragen|stap|er weer|weer tijd|op naar)",
    re.IGNORECASE,
)
# Advice needs something of the catalogue to search for: a method, problem, setting, target group
# or field ("wat verdient een burgemeester" names only a party). Without one the text goes to
# action_understand, which asks the same search engine: advice when it finds methods, else the
# honest out-of-scope answer instead of "no method found".
SEARCH_TOPICS = ("method", "problem", "setting", "target_group", "field")
# Not sure, but close to a plan command whose words the text has: that command. The classifier's
# threshold (0.45, config.yml) is for a guess without support; the words support this one.
CORROBORATED = (
    "join_plan",
    "share_plan",
    "leave_plan",
    "close_plan",
    "show_plan",
    "start_plan",
    "add_contribution",
)
CORROBORATED_MIN = 0.25
# Progress towards the plan's goals; without a topic ("hoe staan we ervoor") never advice.
SIGNALS["show_progress"] = re.compile(
    r"\b(voortgang|koers|doel|schema|staan we|staat het|gaat het|ontwikkel|trend|grafiek|meting|"
    r"dashboard|progress|verbeter|gedaald|gestegen|stijg|daal|bereikt|gehaald|effect|status|"
    r"bijna|resultat|lijn|ten opzichte|werkt|op weg|vooruit)",
    re.IGNORECASE,
)
PROGRESS_QUESTION = re.compile(
    r"\b(staan we|staat het|voortgang|op koers|op schema|liggen we|zijn we er|op weg)",
    re.IGNORECASE,
)
PROGRESS_FROM = frozenset({FALLBACK, "search_method"})
# "ga verder met Stationsgebied Oost", "open Kanaleneiland": a plan's name makes going on with or
# opening a plan a switch to that plan (the name is an entity, the plan itself the action's), also
# when the classifier was unsure; naming words ask for a new name instead.
SWITCH_FROM = frozenset({"continue_plan", "show_plan", FALLBACK})
RENAME_WORDS = re.compile(r"(naam|noem|heet|heten|titel)", re.IGNORECASE)
# Switching plans: the words of going to, opening or picking a plan. A plan name alone is no
# switch: "uitgaansgeweld" is a problem to advise on, not a plan to open.
SIGNALS["switch_plan"] = re.compile(
    r"\b(verder|verdr|door|open|wissel|switch|schakel|naar|pak|kies|selecteer|ander|terug|"
    r"werk|actief|huidig|plan|project|oppak|doen|hervat|ga|gaan)",
    re.IGNORECASE,
)
# A measurement: a number with a period or a separator ("Q1 2027: 42", "week 12: 5"), or the
# words for one. A number alone is not: "een 30 km zone invoeren", "xx zzz 123".
MEASUREMENT_WORDS = re.compile(r"(meting|meetresultaat|cijfer|indicator)", re.IGNORECASE)
PERIOD = re.compile(
    rf"\b(q[1-4]|kwartaal|week|wk|maand|jaar|halfjaar|{_month_words()}|(19|20)\d\d)\b"
    r"|[:=]\s*\d|\d\s*%",
    re.IGNORECASE,
)
