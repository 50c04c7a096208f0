"""Make a synthetic real (encrypted) case book of a busy SENDIASS service's ten years.

    .venv/bin/python benchmarks/generate.py [--families 20000] [--out DIR] [--cheap-kdf]

Defaults: 20,000 families, about 1.5 children each (30,000), about 1.18 cases each, and
25 timeline entries per family in total (500,000 at 20,000 families), skewed: most cases have
a handful of entries, a long tail has hundreds, and some cases (N / 2,000, at least 2) have
exactly 2,000. Names come from a weighted list that includes accented and non-Latin-alphabet
names (Zoë, Łucja, Đorđe, Siobhán, Nguyễn...), about 360 schools across 14 local
authorities, cases opened over the ten years before today and closed after a lognormal time
(median four months; about 7% are still open), tasks, statutory events and SEN support cycles
on open cases, the letterhead, and the adviser's name.

The case book is made with ``case_books.create_real`` and, unless --cheap-kdf, the production
key derivation (Argon2id, 64 MiB, t=3, p=4), so unlock timings include the real KDF. The
passphrase is PASSPHRASE below.

Rows are written in large transactions (one per 250 families) with ``executemany`` on the
case book's own connection, into the same columns the store functions fill, with timestamps
in the app's format. The search index is filled the way the app fills it: the case header
row by the app's own ``search.index_case_header``; entry and task rows with the same UPSERT
and the same folding (``index_tokens``) as ``search.index_entry`` / ``index_task``.
Statutory events and SEN support cycles go through ``store.events.insert_event`` and
``store.graduated.insert_cycle``. At the end a sample of cases is re-indexed with the app's
``reindex_case`` and must change nothing (proof the index matches). Not generated: the audit
log's history (ten years would be millions of rows; unlock and every action add to it, and
its cost is one indexed lookup per action), deadline marks, documents, and mediation records.

Only during generation the connection's page cache is raised to 256 MiB (a pragma that is not
stored in the file); the app's own pragmas are otherwise unchanged.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import math
import os
import random
import re
import shutil
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import checkout  # noqa: F401  (the app from this checkout)
from adviser_app.domain.statutory.events import EventDetails, EventKind
from adviser_app.domain.graduated.cycles import (
    CycleDetails, Evidence, EvidenceKind, Outcome, Support)
from adviser_app.domain.search_text import fold, index_tokens
from adviser_app.domain.vocab import AreaOfNeed
from adviser_app.services import case_books, documents, places
from adviser_app.store import events, graduated
from adviser_app.store.db import Database, close_case_book
from adviser_app.store.keyfile import PRODUCTION_KDF, KdfParams
from adviser_app.store.search import (INDEX_VERSION, INDEX_VERSION_SETTING,
                                       index_case_header, reindex_case)
from adviser_app.store.settings import set_setting

PASSPHRASE = "benchmark otter lantern pumpkin"
CHEAP_KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
DEFAULT_ROOT = Path("/tmp/adviser-bench")
ENTRIES_PER_FAMILY = 25
HEAVY_ENTRIES = 2000
BATCH_FAMILIES = 250


def default_dir(families: int) -> Path:
    return DEFAULT_ROOT / f"families-{families}"


# ----- vocabulary ----------------------------------------------------------------------------

def _weighted(spec: str) -> tuple[list[str], list[float]]:
    """'Name:weight, Name, ...' (weight 1 if left out) -> names and cumulative weights."""
    names, cum, total = [], [], 0.0
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        name, _, w = part.partition(":")
        total += float(w) if w else 1.0
        names.append(name.strip())
        cum.append(total)
    return names, cum


SURNAMES = _weighted(
    "Smith:12, Jones:9, Taylor:7, Brown:7, Williams:6, Wilson:5, Johnson:5, Davies:5, "
    "Robinson:4, Wright:4, Thompson:4, Evans:4, Walker:4, White:3, Roberts:3, Green:3, Hall:3, "
    "Wood:3, Jackson:3, Clarke:3, Hughes:3, Turner:3, Hill:3, Cooper:2, Ward:2, Morris:2, "
    "Patel:6, Khan:6, Hussain:5, Begum:4, Ahmed:4, Ali:4, Iqbal:2, Akhtar:2, Rahman:2, Shah:2, "
    "Mahmood:2, Kaur:3, Singh:3, Okafor:1.5, Okonkwo, Adeyemi, Mensah, Boateng, Asante, "
    "Nowak:1.5, Kowalski, Wiśniewska, Wójcik, Kamińska, Lewandowski, Zieliński, "
    "Nguyễn:1.5, Trần, Lê, Phạm, Hoàng, O'Brien:1.5, O'Connor:1.5, O'Sullivan, Ó Súilleabháin:0.3,"
    " McCarthy, Murphy:2, Kelly:2, Müller, Schröder, Jovanović, Đorđević, Petrović, Nikolić, "
    "García, Núñez, Fernández, Rodríguez, Öztürk, Çelik, Yılmaz, Şahin, Kovács, Horváth, "
    "Dvořák, Novák, Popescu, Ionescu, Chen, Wang, Li, Zhang, Liu, Kim, Rossi, Santos, Silva, "
    "Oliveira, Costa, Pereira, Andersson, Søndergaard, Haddad, Mansour, Abdi:1.5, Mohamed:2, "
    "Warsame, Hassan:2, Farah, Jama, Smith-Okafor:0.3, Brown-Nowak:0.3, Ní Bhriain:0.2")
GIVEN = _weighted(
    "Oliver:4, Amelia:4, Harry:3, Isla:3, Jack:4, Ava:3, George:3, Mia:3, Noah:3, Ivy:2, Leo:3, "
    "Freya:2, Oscar:2, Lily:3, Charlie:3, Grace:2, Jacob:2, Emily:3, Alfie:2, Poppy:2, Thomas:3,"
    " Sophie:3, Joshua:2, Evie:2, William:2, Ella:2, James:3, Ruby:2, Henry:2, Chloë:1.5, "
    "Zoë:2, Zoé:0.5, Zoe:1.5, Renée, Noël, Anaïs, Élodie, Siobhán:1.5, Aoife, Niamh, Oisín, Seán,"
    " Róisín, Ciarán, Pádraig, Łucja:1.5, Lucja:0.2, Małgorzata, Wojciech, Łukasz, Zuzanna, "
    "Michał, Paweł, Jędrzej, Bartłomiej, Đorđe:1.2, Dušan, Miloš, Jovana, Snežana, Minh, Thảo, "
    "Hương, Phương, Đức, Quỳnh, Ayşe, Emre, Çağla, Şebnem, İlker, Gökhan, Jürgen, Jörg, João, "
    "Conceição, Inês, José, María, Sofía, Søren, Åsa, Bjørn, Tomáš, Jiří, Kateřina, Zsófia, "
    "Gergő, Ștefan, Ioana, Andrei, Mohammed:4, Muhammad:4, Aisha:3, Fatima:3, Zainab:2, "
    "Yusuf:2, Ibrahim:2, Maryam:2, Ayaan:2, Hamza:2, Amira:2, Priya:2, Aarav, Ananya, Arjun, "
    "Harpreet, Gurpreet, Simran, Chidi, Adaeze, Chinedu, Oluwaseun, Temitope, Kwame, Ama, Kofi,"
    " Abena, Amara:1.5, Tobi, Wei, Xinyi, Hodan, Ayan, Abdirahman, Kacper, Oskar, Lena, Hannah:2,"
    " Jessica:2, Daniel:2, Samuel:2, Ethan:2, Logan, Reuben, Maisie, Millie, Phoebe, Kai, "
    "Tyler, Kayden, Jayden, Summer, Skye")
ADULT_GIVEN = _weighted(
    "Sarah:4, Emma:4, Claire:3, Rebecca:3, Laura:3, Nicola:3, Joanne:2, Kelly:2, Gemma:2, "
    "Lisa:2, Michelle:2, Hayley:2, Stacey:2, Amy:2, Katie:2, Rachel:2, Victoria:2, Helen:2, "
    "Jennifer:2, Louise:2, Adaeze, Chinedu, Nazia:2, Shazia:2, Rubina:2, Farzana:2, Samina:2, "
    "Nasreen, Shabana, Ayesha:2, Fatima:2, Halima, Małgorzata:1.5, Agnieszka:1.5, Katarzyna, "
    "Joanna, Magdalena, Łucja, Siobhán:1.5, Aoife, Niamh, Bríd, Máire, Zoë:1.5, Chloë, Renée, "
    "Thảo, Hương, Lan, Mai, Ayşe, Fatma, Ana, Jelena:1.5, Snežana, Dragana, Ioana, Elena, "
    "Hodan, Fartun, Sahra, Amina:2, Precious, Blessing, Grace, Chipo, Abena, Ama, Yaa, "
    "Mark:2, David:3, Paul:2, Andrew:2, Richard, Craig, Lee:2, Darren, Wayne, Jason, Mohammed:3,"
    " Imran:2, Tariq, Asif, Naveed, Đorđe, Dragan, Marek, Piotr, Tomasz, Seán, Pádraig, Minh, "
    "Emre, Kwame, Kofi, Chukwuemeka, Ahmed:2, Abdi, José, João")
SAINTS = ["Mary", "Joseph", "Peter", "Paul", "Anne", "John", "Patrick", "Bede", "Chad",
          "Wilfrid", "Hilda", "Aidan", "Cuthbert", "Augustine", "Benedict", "Francis",
          "Teresa", "Margaret", "Michael", "Thomas More", "Oswald", "Edmund", "Columba"]
PLACE_A = ["Oak", "Ash", "Elm", "Birch", "Holly", "Moor", "Beck", "Field", "Kirk", "Thorn",
           "Hawk", "Wood", "Brook", "Hill", "Stone", "Green", "Ferry", "Mill", "Castle",
           "Bridge", "Black", "White", "Red", "Swan", "Kings", "Queens", "Lark", "Fox",
           "Heather", "Rose", "Sandy", "Clay", "Wharf", "Low", "High", "Upper", "Nether",
           "Bram", "Cotting", "Rawd", "Bees", "Kestrel", "Alder", "Willow", "Crag"]
PLACE_B = ["wood", "field", "side", "gate", "bank", "lea", "ton", "ley", "bury", "croft",
           "dale", "hurst", "by", "thorpe", "worth", "well", "mere", "ford", "moor", "ridge",
           "holme", "royd", "shaw", "cliffe"]
SCHOOL_KINDS = [("{p} Primary School", 10), ("{p} Infant School", 2), ("{p} Junior School", 2),
                ("St {s}'s Catholic Primary School", 3), ("{p} C of E Primary School", 4),
                ("{p} Academy", 4), ("{p} High School", 4), ("{p} Community College", 1),
                ("{p} Special School", 1.5), ("{p} Nursery School", 1),
                ("{p} Pupil Referral Unit", 0.5), ("{p} Sixth Form College", 0.5),
                ("{p} College of Further Education", 0.5)]
LAS = [  # (name, towns, postcode areas, weight): a West Yorkshire service and its neighbours
    ("Leeds City Council", ["Leeds", "Morley", "Pudsey", "Otley", "Wetherby", "Garforth"],
     ["LS"], 40),
    ("City of Bradford Metropolitan District Council", ["Bradford", "Keighley", "Shipley",
                                                          "Ilkley", "Bingley"], ["BD"], 14),
    ("Kirklees Council", ["Huddersfield", "Dewsbury", "Batley", "Holmfirth"], ["HD", "WF"], 10),
    ("Calderdale Council", ["Halifax", "Brighouse", "Todmorden", "Hebden Bridge"], ["HX"], 6),
    ("Wakefield Council", ["Wakefield", "Pontefract", "Castleford", "Ossett"], ["WF"], 8),
    ("Sheffield City Council", ["Sheffield", "Stocksbridge"], ["S"], 4),
    ("Barnsley Council", ["Barnsley", "Penistone"], ["S"], 2),
    ("Rotherham Council", ["Rotherham", "Maltby"], ["S"], 2),
    ("Doncaster Council", ["Doncaster", "Thorne"], ["DN"], 2),
    ("City of York Council", ["York", "Haxby"], ["YO"], 3),
    ("North Yorkshire Council", ["Harrogate", "Selby", "Skipton", "Knaresborough", "Ripon"],
     ["HG", "YO", "BD"], 5),
    ("Lancashire County Council", ["Burnley", "Nelson", "Colne"], ["BB"], 1),
    ("Manchester City Council", ["Manchester"], ["M"], 1),
    ("Oldham Council", ["Oldham", "Saddleworth"], ["OL"], 1),
]
STREETS = ["Road", "Street", "Lane", "Avenue", "Close", "Drive", "Crescent", "Grove", "Way",
           "Terrace", "Rise", "View", "Court", "Mount", "Gardens", "Walk"]
ADVISERS = [  # (name, first year active, last year active)
    ("Helen Marsh", 2016, 2026), ("Priya Desai", 2016, 2022), ("Gareth Lloyd", 2016, 2019),
    ("Janet Okoro", 2016, 2026), ("Sue Whitaker", 2016, 2020), ("Tom Fairclough", 2017, 2023),
    ("Agnieszka Nowak", 2018, 2026), ("Rashid Khan", 2018, 2025), ("Chloë Bennett", 2019, 2026),
    ("Siobhán Kelly", 2019, 2024), ("Mark Dyson", 2020, 2026), ("Nadia Hussain", 2020, 2026),
    ("Lucy Armitage", 2021, 2026), ("Đorđe Petrović", 2021, 2026), ("Amy Sutcliffe", 2022, 2026),
    ("Ben Ackroyd", 2022, 2026), ("Fatima Begum", 2023, 2026), ("Zoë Holroyd", 2024, 2026),
    ("Kwame Mensah", 2024, 2026), ("Grace Liu", 2025, 2026),
]
PARENT_NOTES = ["", "", "", "", "Prefers calls after 3pm.", "Dad works nights; call Mum.",
                "Needs an interpreter for meetings.", "Mum has dyslexia: read letters aloud.",
                "Family moved from another LA last year.", "Previously supported in 2019.",
                "Child is looked after; social worker involved.", "Do not leave voicemails."]
CHILD_NOTES = ["", "", "", "Autistic; finds transitions and noise hard.",
               "Diagnosed ADHD; medication since Year 3.", "Hearing impaired; uses hearing aids.",
               "Speech and language delay; NHS SALT discharged.",
               "Anxiety-related school avoidance since the move to secondary.",
               "Dyslexia assessment by the school's specialist teacher.",
               "Cerebral palsy; uses a wheelchair outside.", "Global developmental delay.",
               "Down's syndrome.", "Visual impairment; large print needed.",
               "Epilepsy; care plan in place.", "Part-time timetable since the spring term."]
SUMMARIES = [
    "Parents want an EHC needs assessment; school says SEN support is enough.",
    "Refusal to assess: supporting the family with mediation and an appeal.",
    "Draft EHC plan received; sections B and F are vague. Helping the family respond.",
    "Annual review overdue; the plan has not been amended since {year}.",
    "Phase transfer to secondary: the named school cannot meet need.",
    "Fixed-term exclusions and a part-time timetable; advice on the law.",
    "Home to school transport refused after the move to post-16.",
    "Emotionally based school avoidance; attendance at {pct}%.",
    "Disability discrimination: left out of the residential trip.",
    "SEN support not reviewed; no outcomes shared with parents.",
    "Appeal to the SEND Tribunal against the content of the plan (sections B, F and I).",
    "Parent asked for help reading the EHC plan and preparing for the review.",
]
CLOSING = ["Plan issued; family happy to close.", "Family moved out of the area.",
           "Assessment agreed; no further help needed.", "No contact after three attempts.",
           "Tribunal decision received; case concluded.", "Mediation agreement honoured.",
           "Family now confident to carry on themselves.", ""]
ISSUES = ["ehc_assessment", "ehc_plan_content", "annual_review", "sen_support",
          "phase_transfer", "mediation", "tribunal_appeal", "exclusion", "transport",
          "attendance", "disability_discrimination", "other"]
ISSUE_WEIGHTS = list(itertools.accumulate([20, 12, 10, 14, 8, 5, 4, 5, 3, 6, 2, 4]))
TASK_TITLES = ["Chase the LA for the assessment decision", "Send the case summary to {p}",
               "Check the draft plan with {p}", "Ring the SENCO at {school}",
               "Book the annual review date", "Remind {p} about the appeal deadline",
               "Request the school's provision map", "Send the mediation certificate request",
               "Follow up transport appeal", "Call {p} back about the exclusion meeting",
               "Post the home visit record", "Prepare for the review meeting at {school}"]
PHONE_BITS = [
    "{p} rang: {child} has been sent home early twice this week.",
    "Called {p}; no answer, left a message asking them to ring back.",
    "{p} called about the letter from {la}. Explained what it means and the next steps.",
    "Spoke to the SENCO at {school}: the support plan will be reviewed before half term.",
    "{p} upset; {child} refusing school again. Talked through what to ask for at the meeting.",
    "Rang {la} SEN team to ask when the decision will be sent; told it is with the panel.",
    "{p} asked whether they can request an assessment themselves. Yes: explained how.",
    "Short call: {p} confirmed the meeting on {d} at {school}.",
    "{p} said the school has started a part-time timetable without agreeing it.",
    "Called the caseworker at {la}: the draft plan will be issued by {d}.",
]
EMAIL_BITS = [
    "Email from {p} with the school's report attached; saved to the case.",
    "Emailed {p} the information sheet on EHC needs assessments and the model letter.",
    "Email to {school} asking for the latest provision map and the SEN support outcomes.",
    "Reply from {la}: the assessment decision was sent on {d}.",
    "Emailed {p} a summary of today's call and the dates to keep an eye on.",
    "{p} forwarded the draft plan. Section F says 'access to' support without hours.",
    "Email from the educational psychologist: advice will be with {la} by {d}.",
    "Sent {p} the link to the mediation service and explained the two-month deadline.",
]
VISIT_BITS = [
    "Home visit with {p} and {child}.", "{child} was at home; met briefly.",
    "Went through the EHC plan section by section with {p}.",
    "{p} described mornings as very hard: {child} is often up from 4am.",
    "Agreed that {p} will write to {la} asking for an assessment; I will send a draft.",
    "Talked about {child}'s strengths: loves drawing, trains and swimming.",
    "Read the school's reports together. Attendance is {pct}% this term.",
    "{p} worried about the move to {school} in September.",
    "Explained the timescales: 6 weeks for the decision, 20 weeks for the plan.",
    "Explained the right to appeal to the SEND Tribunal and mediation first.",
    "Next steps: I will call the SENCO at {school} and send the home visit record.",
    "{p} wants a specialist placement; we discussed the evidence that would need.",
]
MEETING_BITS = [
    "Annual review meeting at {school} with {p}, the SENCO and the class teacher.",
    "Meeting with {la} caseworker, {p} and the school about the draft plan.",
    "Mediation meeting: {la} agreed to amend section F and name {school}.",
    "TAC meeting at {school}. Outcomes from the last review mostly not met.",
    "Outcome: the school will apply for top-up funding and review in six weeks.",
    "{p} felt listened to; the SENCO will share the new support plan by {d}.",
    "Disagreement about hours of 1:1 support; {la} to respond in writing.",
]
NOTE_BITS = [
    "Case note: reviewed the file before the call with {p}.",
    "Checked the statutory dates: the 20-week deadline falls on {d}.",
    "Letter from {la} dated {d} received and scanned.",
    "{p} gave consent to share information with {school}.",
    "Discussed the case in supervision; plan agreed.",
    "Safeguarding: no concerns raised. Noted for the record.",
]
LETTER_BITS = ["Letter to {p} confirming the advice given on {d}.",
               "Letter to {la} asking for the reasons for the decision of {d}.",
               "Sent the model letter requesting an EHC needs assessment to {p}.",
               "Letter to {school} requesting the SEN support records."]
KINDS = [("phone_call", 35, PHONE_BITS, (1, 2)), ("email", 30, EMAIL_BITS, (1, 3)),
         ("note", 13, NOTE_BITS, (1, 2)), ("home_visit", 8, VISIT_BITS, (4, 8)),
         ("meeting", 8, MEETING_BITS, (3, 6)), ("letter", 6, LETTER_BITS, (1, 1))]
KIND_CUM = list(itertools.accumulate(k[1] for k in KINDS))


# ----- the plan of the case book ----------------------------------------------------------

@dataclass
class PlannedCase:
    id: str
    family: int
    opened: date
    closed: date | None
    adviser: str
    entries: int = 0
    heavy: bool = False
    child_ids: list[str] = field(default_factory=list)


def stamp(day: date, rng: random.Random) -> str:
    """A timestamp in the app's format (UTC, microseconds) during a working day."""
    moment = datetime(day.year, day.month, day.day, 8, 30, tzinfo=UTC) + timedelta(
        seconds=rng.randrange(9 * 3600), microseconds=rng.randrange(1_000_000))
    return moment.isoformat(timespec="microseconds")


class Generator:
    def __init__(self, families: int, entries: int, today: date, seed: int) -> None:
        self.rng = random.Random(seed)
        self.figures_rng = random.Random(seed + 9)  # own stream: the rest stays as before
        self.families = families
        self.total_entries = entries
        self.today = today
        self.start = today - timedelta(days=3652)
        self.schools = self._schools()
        self.ref_counter: dict[int, int] = {}
        self.counts = {"families": 0, "people": 0, "children": 0, "cases": 0,
                       "open cases": 0, "entries": 0, "entry versions": 0, "tasks": 0,
                       "statutory events": 0, "SEN support cycles": 0, "search docs": 0}

    def pick(self, table: tuple[list[str], list[float]]) -> str:
        names, cum = table
        return names[bisect.bisect_left(cum, self.rng.random() * cum[-1])]

    def _schools(self) -> dict[str, list[str]]:
        rng = random.Random(7)
        out: dict[str, list[str]] = {}
        kinds, weights = zip(*SCHOOL_KINDS, strict=True)
        for la, _towns, _pc, weight in LAS:
            names: set[str] = set()
            while len(names) < max(12, int(weight * 3)):
                place = rng.choice(PLACE_A) + rng.choice(PLACE_B)
                kind = rng.choices(kinds, weights)[0]
                names.add(kind.format(p=place.capitalize(), s=rng.choice(SAINTS)))
            out[la] = sorted(names)
        out["Leeds City Council"].append("Fieldgate Primary School")
        return out

    def plan_cases(self) -> list[PlannedCase]:
        rng = self.rng
        span = (self.today - self.start).days
        planned: list[PlannedCase] = []
        for family in range(self.families):
            n_cases = 1 if rng.random() < 0.85 else (2 if rng.random() < 0.8 else 3)
            first = self.start + timedelta(days=int(span * rng.random() ** 0.8))
            opened = first
            for _ in range(n_cases):
                if opened > self.today:
                    break
                days = int(min(2500, rng.lognormvariate(math.log(120), 1.0)))
                closed: date | None = opened + timedelta(days=max(1, days))
                assert closed is not None
                if closed >= self.today:
                    closed = None
                year = opened.year
                active = [a for a, y0, y1 in ADVISERS if y0 <= year <= y1]
                planned.append(PlannedCase(str(uuid.uuid4()), family, opened, closed,
                                           rng.choice(active)))
                if closed is None:
                    break
                opened = closed + timedelta(days=rng.randrange(60, 1500))
        # The heaviest cases: long-running (tribunal, several plans), 2,000 entries each.
        heavy = max(2, self.families // 2000)
        long_ones = sorted(planned, key=lambda c: c.opened)[:len(planned) // 2]
        for case in rng.sample(long_ones, heavy):
            case.heavy = True
            case.entries = HEAVY_ENTRIES
            years = rng.uniform(3, 6)
            end = case.opened + timedelta(days=int(365 * years))
            case.closed = end if end < self.today and rng.random() < 0.5 else None
        # The rest: lognormal weights, more for longer cases, scaled to the total asked for.
        remaining = max(0, self.total_entries - heavy * HEAVY_ENTRIES)
        light = [c for c in planned if not c.heavy]
        weights = []
        for c in light:
            length = ((c.closed or self.today) - c.opened).days + 1
            weights.append(rng.lognormvariate(0, 1.1) * math.sqrt(length))
        scale = remaining / sum(weights)
        for c, w in zip(light, weights, strict=True):
            c.entries = min(1500, max(1, round(w * scale)))
        diff = remaining - sum(c.entries for c in light)
        while diff != 0:
            c = rng.choice(light)
            step = 1 if diff > 0 else -1
            if 1 <= c.entries + step <= 1500:
                c.entries += step
                diff -= step
        return planned

    # ----- text ---------------------------------------------------------------------
    def body(self, kind_bits: list[str], lines: tuple[int, int], ctx: dict[str, str],
             day: date) -> str:
        rng = self.rng
        parts = []
        for _ in range(rng.randint(*lines)):
            parts.append(rng.choice(kind_bits).format(
                d=(day + timedelta(days=rng.randrange(-30, 60))).strftime("%d/%m/%Y"),
                pct=rng.randrange(40, 96), **ctx))
        return ("\n" if len(parts) > 3 else " ").join(parts)

    def reference(self, opened: date) -> str:
        n = self.ref_counter.get(opened.year, 0) + 1
        self.ref_counter[opened.year] = n
        return f"SA-{opened.year}-{n:04d}"


def year_group(dob: date, on: date) -> str:
    school_year_start = on.year if on.month >= 9 else on.year - 1
    age_at_sept = school_year_start - dob.year - (1 if (dob.month, dob.day) > (9, 1) else 0)
    if age_at_sept < 3:
        return ""
    if age_at_sept == 3:
        return "Nursery"
    if age_at_sept == 4:
        return "Reception"
    if age_at_sept <= 15:
        return f"Year {age_at_sept - 4}"
    if age_at_sept <= 17:
        return f"Year {age_at_sept - 4}"
    return "Post-16"


# ----- writing ---------------------------------------------------------------------------

_PUT = ("INSERT INTO search_doc (case_id, source, words) VALUES (?, ?, ?) "
        "ON CONFLICT(case_id, source) DO UPDATE SET words = excluded.words "
        "WHERE words != excluded.words")  # exactly store/search.py's _put


def ascii_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name))


def words(text: str) -> str:
    """The same folding as store.search._folded([text])."""
    return " ".join(index_tokens(text or ""))


def write_batch(g: Generator, db: Database, cases: list[PlannedCase]) -> None:
    rng = g.rng
    conn = db.conn
    fam_rows, person_rows, child_rows, need_rows = [], [], [], []
    case_rows, issue_rows, link_rows, task_rows = [], [], [], []
    entry_rows, version_rows, doc_rows = [], [], []
    last_activity: dict[str, tuple[str, str]] = {}
    by_family: dict[int, list[PlannedCase]] = {}
    for c in cases:
        by_family.setdefault(c.family, []).append(c)
    for fcases in by_family.values():
        family_id = str(uuid.uuid4())
        surname = g.pick(SURNAMES)
        first = fcases[0]
        created = stamp(first.opened, rng)
        fam_rows.append((family_id, surname, rng.choice(PARENT_NOTES), created, created,
                         first.adviser))
        la, towns, areas, _w = rng.choices(LAS, [x[3] for x in LAS])[0]
        town = rng.choice(towns)
        postcode = (f"{rng.choice(areas)}{rng.randrange(1, 30)} "
                    f"{rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                    f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}")
        address = (f"{rng.randrange(1, 240)} {rng.choice(PLACE_A)}{rng.choice(PLACE_B)} "
                   f"{rng.choice(STREETS)}\n{town}")
        parents = []
        for number in range(1 if rng.random() < 0.65 else 2):
            given = g.pick(ADULT_GIVEN)
            relation = (rng.choices(["mother", "father", "grandparent", "foster_carer",
                                     "kinship_carer", "step_parent"],
                                    [70, 16, 5, 4, 3, 2])[0] if number == 0
                        else rng.choice(["father", "mother", "step_parent"]))
            parents.append(given)
            email = f"{ascii_name(given)}.{ascii_name(surname)}{rng.randrange(100)}@example.org"
            contact = rng.choice(["phone", "text", "email", "letter", None])
            consent = int(rng.random() < 0.8)
            person_rows.append((
                str(uuid.uuid4()), family_id, given, surname, relation,
                int(relation != "foster_carer"), address, postcode,
                f"07700 9{rng.randrange(100000):05d}", email, contact,
                rng.choice(["", "", "", "", "Needs large print", "Deaf: text only"]),
                rng.choice(["", "", "", "", "", "", "Polish", "Urdu", "Arabic", "Romanian",
                            "Vietnamese", "Somali", "Serbian"]),
                consent, first.opened.isoformat() if consent else None, created, created,
                first.adviser))
        g.counts["people"] += len(parents)
        n_children = rng.choices([1, 2, 3, 4], [60, 30, 8, 2])[0]
        children = []
        for _ in range(n_children):
            child_id = str(uuid.uuid4())
            age_days = int(rng.uniform(3.5, 19) * 365.25) if rng.random() < 0.97 else \
                int(rng.uniform(19, 25) * 365.25)
            dob = first.opened - timedelta(days=age_days)
            given = g.pick(GIVEN)
            status = rng.choices(["sen_support", "ehc_plan", "assessment_requested",
                                  "no_sen_support"], [45, 30, 15, 10])[0]
            issued = reviewed = None
            if status == "ehc_plan":
                issued_day = first.opened - timedelta(days=rng.randrange(30, 2000))
                issued = max(issued_day, dob + timedelta(days=800)).isoformat()
                reviewed = (first.opened - timedelta(days=rng.randrange(0, 360))).isoformat()
                reviewed = max(reviewed, issued)
            school = rng.choice(g.schools[la]) if rng.random() < 0.95 else ""
            child_rows.append((child_id, family_id, given, surname, dob.isoformat(), school,
                               year_group(dob, first.opened), la, status, issued, reviewed,
                               rng.choice(CHILD_NOTES), created, created, first.adviser))
            for area in rng.sample(list(AreaOfNeed), rng.choice([1, 1, 2, 2, 3])):
                need_rows.append((child_id, area.value))
            children.append((child_id, given, status, school))
        g.counts["children"] += n_children
        g.counts["families"] += 1
        for c in fcases:
            c.child_ids = [ch[0] for ch in children if rng.random() < 0.9] or [children[0][0]]
            ref = g.reference(c.opened)
            case_created = stamp(c.opened, rng)
            summary = rng.choice(SUMMARIES).format(year=c.opened.year - 1,
                                                   pct=rng.randrange(40, 90))
            closing = rng.choice(CLOSING) if c.closed else ""
            case_rows.append([c.id, ref, family_id, c.adviser,
                              "closed" if c.closed else "open", c.opened.isoformat(),
                              c.closed.isoformat() if c.closed else None, closing, summary,
                              case_created, case_created, c.adviser])
            for issue in sorted({ISSUES[bisect.bisect_left(ISSUE_WEIGHTS, rng.random()
                                                             * ISSUE_WEIGHTS[-1])]
                                 for _ in range(rng.choice([1, 1, 2, 3]))}):
                issue_rows.append((c.id, issue))
            for child_id in sorted(c.child_ids):
                link_rows.append((c.id, child_id))
            g.counts["cases"] += 1
            if not c.closed:
                g.counts["open cases"] += 1
            last = (case_created, c.adviser)
            # timeline
            end = c.closed or g.today
            span = max(1, (end - c.opened).days)
            child_given = [ch[1] for ch in children if ch[0] in c.child_ids]
            ctx_school = next((ch[3] for ch in children if ch[0] in c.child_ids and ch[3]),
                              "the school")
            days = sorted(c.opened + timedelta(days=rng.randrange(span + 1))
                          for _ in range(c.entries))
            for number, day in enumerate(days):
                closing_entry = c.closed is not None and number == len(days) - 1
                kind_index = bisect.bisect_left(KIND_CUM, rng.random() * KIND_CUM[-1])
                kind, _w, bits, lines = KINDS[kind_index]
                ctx = {"p": rng.choice(parents), "child": rng.choice(child_given),
                       "school": ctx_school, "la": la}
                if closing_entry:
                    assert c.closed is not None
                    kind, day = "note", c.closed
                    text = "Case closed." + (f" Closing note: {closing}" if closing else "")
                else:
                    text = g.body(bits, lines, ctx, day)
                entry_id = str(uuid.uuid4())
                author = c.adviser if rng.random() < 0.9 else rng.choice(
                    [a for a, y0, y1 in ADVISERS if y0 <= day.year <= y1])
                made = stamp(day, rng)
                version = 1
                if not closing_entry and rng.random() < 0.04:
                    original = g.body(bits, lines, ctx, day)
                    version_rows.append((entry_id, 1, kind, day.isoformat(), author, original,
                                         made, author))
                    version = 2
                    made2 = stamp(min(g.today, day + timedelta(days=rng.randrange(0, 3))), rng)
                    made2 = max(made2, made)
                    version_rows.append((entry_id, 2, kind, day.isoformat(), author, text,
                                         made2, author))
                    updated = made2
                else:
                    version_rows.append((entry_id, 1, kind, day.isoformat(), author, text,
                                         made, author))
                    updated = made
                entry_rows.append((entry_id, c.id, kind, day.isoformat(), author, text,
                                   version, made, updated, author))
                doc_rows.append((c.id, f"entry:{entry_id}", words(text)))
                last = max(last, (updated, author))
            g.counts["entries"] += len(days)
            # tasks
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
                title = rng.choice(TASK_TITLES).format(p=rng.choice(parents), school=ctx_school)
                task_id = str(uuid.uuid4())
                if c.closed:
                    due = c.opened + timedelta(days=rng.randrange(span + 1))
                    done: str | None = min(c.closed, due + timedelta(
                        days=rng.randrange(-5, 10))).isoformat()
                else:
                    due = g.today + timedelta(days=rng.randrange(-30, 60))
                    done = None
                made = stamp(min(due, g.today) - timedelta(days=rng.randrange(0, 20)), rng)
                task_rows.append((task_id, c.id, title,
                                  due.isoformat() if rng.random() < 0.9 else None, done,
                                  made, made, c.adviser))
                doc_rows.append((c.id, f"task:{task_id}", words(title)))
                g.counts["tasks"] += 1
            last_activity[c.id] = last
            case_rows[-1][10] = last[0]  # updated_at: the newest activity on the case
            case_rows[-1][11] = last[1]
    conn.executemany("INSERT INTO family (id, family_name, notes, created_at, updated_at, "
                     "updated_by) VALUES (?, ?, ?, ?, ?, ?)", fam_rows)
    conn.executemany(
        "INSERT INTO person (id, family_id, given_name, family_name, relationship, "
        "parental_responsibility, address, postcode, phone, email, preferred_contact, "
        "access_needs, interpreter_language, consent_to_share, consent_date, created_at, "
        "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        person_rows)
    conn.executemany(
        "INSERT INTO child (id, family_id, given_name, family_name, date_of_birth, school, "
        "year_group, local_authority, status, ehc_plan_issued, ehc_plan_last_reviewed, notes, "
        "created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        child_rows)
    conn.executemany("INSERT INTO child_need (child_id, area) VALUES (?, ?)", need_rows)
    conn.executemany(
        "INSERT INTO case_file (id, reference, family_id, adviser, state, opened_on, closed_on,"
        " closing_note, summary, created_at, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", case_rows)
    conn.executemany("INSERT INTO case_issue (case_id, issue) VALUES (?, ?)", issue_rows)
    conn.executemany("INSERT INTO case_child (case_id, child_id) VALUES (?, ?)", link_rows)
    for c in cases:  # the app's own header indexing (family, people, children)
        index_case_header(db, c.id)
    conn.executemany(
        "INSERT INTO timeline_entry (id, case_id, kind, entry_date, author, body, version, "
        "created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", entry_rows)
    conn.executemany(
        "INSERT INTO timeline_entry_version (entry_id, version, kind, entry_date, author, body,"
        " saved_at, saved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", version_rows)
    conn.executemany(
        "INSERT INTO task (id, case_id, title, due_on, done_on, created_at, updated_at, "
        "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", task_rows)
    conn.executemany(_PUT, doc_rows)
    g.counts["entry versions"] += len(version_rows)
    g.counts["search docs"] += len(doc_rows) + len(cases)
    _figures_fields(g, db, cases, entry_rows)
    _statutory_and_graduated(g, db, [c for c in cases if c.closed is None], child_rows)
    conn.executemany("UPDATE case_file SET updated_at = ?, updated_by = ? WHERE id = ?",
                     [(at, by, cid) for cid, (at, by) in last_activity.items()])


_CONTACT = {"home_visit": "home_visit", "phone_call": "phone", "email": "email",
            "meeting": "meeting", "letter": "letter"}
_LEVEL_WEIGHTS = (0.3, 0.35, 0.25, 0.1)
_USERS = ("parent_carer", "young_person", "child", "professional")
_HEARD = ("school", "local_authority", "health", "social_care", "voluntary_sector",
          "local_offer", "internet", "family_friend", "used_before", "other")


def _figures_fields(g: Generator, db: Database, cases: list[PlannedCase],
                    entry_rows: Sequence[Sequence[object]]) -> None:
    """What migration 0009 added, as advisers would fill it: each contact's way (most with
    the minutes spent), each case's level (a fifth raised later), service user and how they
    heard (a tenth not recorded), outcomes and evaluation answers on closed cases, and a tenth
    of open cases inactive. Written into the same columns and tables the store functions
    fill."""
    from adviser_app.domain.service_lists import DEFAULT_OUTCOMES, DEFAULT_QUESTIONS

    rng, conn = g.figures_rng, db.conn
    updates = []
    for row in entry_rows:
        way = _CONTACT.get(str(row[2]))
        if way == "meeting" and rng.random() < 0.3:
            way = "online"
        minutes = rng.choice((10, 15, 20, 30, 45, 60, 90, 120)) if (
            way and rng.random() < 0.85) else None
        updates.append((way, minutes, row[0]))
    conn.executemany("UPDATE timeline_entry SET contact = ?, minutes = ? WHERE id = ?",
                     updates)
    levels, statuses, answers, case_updates = [], [], [], []
    for c in cases:
        at = stamp(c.opened, rng)
        level = rng.choices((1, 2, 3, 4), _LEVEL_WEIGHTS)[0]
        levels.append((str(uuid.uuid4()), c.id, level, c.opened.isoformat(), at, at,
                       c.adviser))
        end = c.closed or g.today
        if level < 4 and rng.random() < 0.2 and (end - c.opened).days > 2:
            raised = c.opened + timedelta(days=rng.randrange(1, (end - c.opened).days))
            levels.append((str(uuid.uuid4()), c.id, level + 1, raised.isoformat(), at, at,
                           c.adviser))
        user = rng.choice(_USERS) if rng.random() < 0.9 else None
        heard = rng.choice(_HEARD) if rng.random() < 0.9 else None
        outcome = None
        if c.closed is not None:
            outcome = rng.choice(DEFAULT_OUTCOMES) if rng.random() < 0.85 else None
            if rng.random() < 0.4:
                for n, q in enumerate(DEFAULT_QUESTIONS):
                    answers.append((str(uuid.uuid4()), c.id, n, q, rng.choice(
                        ("yes", "yes", "partly", "no", "not_answered")), at, at, c.adviser))
        elif rng.random() < 0.1:
            since = g.today - timedelta(days=rng.randrange(1, 60))
            statuses.append((str(uuid.uuid4()), c.id, "inactive",
                             max(since, c.opened).isoformat(), at, at, c.adviser))
        case_updates.append((user, heard, outcome, c.id))
    conn.executemany("INSERT INTO case_level_change (id, case_id, level, changed_on, "
                     "created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)", levels)
    conn.executemany("INSERT INTO case_status_change (id, case_id, status, changed_on, "
                     "created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     statuses)
    conn.executemany("INSERT INTO case_evaluation_answer (id, case_id, position, question, "
                     "answer, created_at, updated_at, updated_by) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", answers)
    conn.executemany("UPDATE case_file SET service_user = ?, heard_from = ?, outcome = ? "
                     "WHERE id = ?", case_updates)


def _statutory_and_graduated(g: Generator, db: Database, open_cases: list[PlannedCase],
                             child_rows: Sequence[Sequence[object]]) -> None:
    """Statutory events and SEN support cycles on open cases, through the store functions."""
    rng = g.rng
    status = {str(r[0]): str(r[8]) for r in child_rows}
    for c in open_cases:
        actor = c.adviser
        for child_id in c.child_ids:
            st = status.get(child_id)
            if st == "assessment_requested":
                received = g.today - timedelta(days=rng.randrange(5, 150))
                events.insert_event(db, c.id, EventDetails(
                    EventKind.EHC_REQUEST_RECEIVED, received, child_id), actor)
                g.counts["statutory events"] += 1
                if (g.today - received).days > 50 and rng.random() < 0.7:
                    events.insert_event(db, c.id, EventDetails(
                        EventKind.ASSESSMENT_DECISION, received + timedelta(days=40),
                        child_id, {"outcome": rng.choice(["assess", "assess", "refuse"])}),
                        actor)
                    g.counts["statutory events"] += 1
            elif st == "ehc_plan" and rng.random() < 0.6:
                meeting = g.today - timedelta(days=rng.randrange(0, 60))
                events.insert_event(db, c.id, EventDetails(
                    EventKind.ANNUAL_REVIEW_MEETING, meeting, child_id), actor)
                g.counts["statutory events"] += 1
            elif st == "sen_support" and rng.random() < 0.35:
                assessed = g.today - timedelta(days=rng.randrange(20, 200))
                graduated.insert_cycle(db, CycleDetails(
                    child_id=child_id, assessed_on=assessed, assessed_by="Class teacher "
                    "with the SENCO", senco_involved=True,
                    evidence=(Evidence(EvidenceKind.TEACHER_ASSESSMENT,
                                       "Class teacher's observations", "Class teacher",
                                       assessed),),
                    areas=frozenset(rng.sample(list(AreaOfNeed), 1)),
                    planned_on=assessed + timedelta(days=10),
                    parents_told_on=assessed + timedelta(days=12) if rng.random() < 0.6
                    else None,
                    outcomes=(Outcome("Uses a visual timetable to move between lessons"),),
                    support=(Support("Small-group phonics", "Teaching assistant",
                                     "3 times a week"),),
                    review_due=assessed + timedelta(days=rng.randrange(60, 120))), actor)
                g.counts["SEN support cycles"] += 1


def verify_index(db: Database, sample: list[str]) -> None:
    """Re-index a sample of cases with the app's own reindex_case: nothing may change."""
    conn = db.conn
    before = conn.total_changes
    with db.atomic():
        for case_id in sample:
            reindex_case(db, case_id)
    changed = conn.total_changes - before
    if changed:
        raise SystemExit(f"search index differs from the app's own indexing ({changed} rows)")


def generate(out: Path, families: int, entries: int, kdf: KdfParams, seed: int,
             today: date) -> dict[str, int]:
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    g = Generator(families, entries, today, seed)
    planned = g.plan_cases()
    made = case_books.create_real(out, PASSPHRASE, kdf=kdf)
    db = made.db
    db.conn.execute("PRAGMA cache_size = -262144")  # generation only; not stored in the file
    with db.atomic():
        set_setting(db, "adviser_name", "Helen Marsh")
        # indexed as this version of the app indexes: no re-indexing at the first unlock
        set_setting(db, INDEX_VERSION_SETTING, INDEX_VERSION)
    documents.save_letterhead(db, {
        "name": "West Yorkshire SENDIASS", "address": "2 Park Square\nLeeds LS1 2NE",
        "phone": "0113 496 0000", "email": "sendiass@example.org", "footer": "",
        "signature_name": "", "signature_role": "SEND Information and Advice Officer",
        "logo_hex": ""})
    # Cases in the order they were opened, written family by family.
    by_family: dict[int, list[PlannedCase]] = {}
    for c in planned:
        by_family.setdefault(c.family, []).append(c)
    order = sorted(by_family, key=lambda f: by_family[f][0].opened)
    for first in range(0, len(order), BATCH_FAMILIES):
        batch = [c for f in order[first:first + BATCH_FAMILIES] for c in by_family[f]]
        with db.atomic():
            write_batch(g, db, batch)
        done = min(len(order), first + BATCH_FAMILIES)
        print(f"\r  {done:,}/{len(order):,} families, {g.counts['entries']:,} entries, "
              f"{time.perf_counter() - started:.0f} s", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    sample = [c.id for c in g.rng.sample(planned, min(30, len(planned)))]
    sample += [c.id for c in planned if c.heavy][:2]
    verify_index(db, sample)
    close_case_book(db)
    g.counts["seconds"] = round(time.perf_counter() - started)
    g.counts["heavy cases (2,000 entries)"] = sum(c.heavy for c in planned)
    return g.counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--entries", type=int, default=None,
                        help=f"timeline entries in total (default {ENTRIES_PER_FAMILY} per "
                             "family)")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"data folder (default {DEFAULT_ROOT}/families-N)")
    parser.add_argument("--cheap-kdf", action="store_true",
                        help="Argon2id t=1, 8 KiB (tests' setting) instead of the production "
                             "KDF")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="replace an existing folder")
    args = parser.parse_args(argv)
    os.umask(0o077)  # as the app does: case books readable by this user only
    out = args.out or default_dir(args.families)
    if out.exists():
        if not args.force:
            raise SystemExit(f"{out} exists (use --force to replace it)")
        shutil.rmtree(out)
    entries = args.entries if args.entries is not None else args.families * ENTRIES_PER_FAMILY
    kdf = CHEAP_KDF if args.cheap_kdf else PRODUCTION_KDF
    counts = generate(out, args.families, entries, kdf, args.seed, date.today())
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"case book: {out / places.REAL_NAME} ({size / 1e6:.0f} MB with its key and "
          f"backups folder), KDF {'cheap (t=1, 8 KiB)' if args.cheap_kdf else 'production'}")
    for name, value in counts.items():
        if name != "seconds":
            print(f"  {name}: {value:,}")
    print(f"generation time: {counts['seconds']} s")


if __name__ == "__main__":
    main()
