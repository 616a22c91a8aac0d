"""Pure: which sentence of the retrieved passages answers one part of a question, and how well.

A candidate sentence is scored for a `SubQuestion` on what a reader checks:

- subject: does the sentence name what the part is about (1.0), or only its section heading (0.7) or
  the page it sits on (0.5)? A part about a subject never takes a sentence about another one;
- attribute: does it give the property asked (a director, a duration...: `lexicon.ATTRIBUTES`)?
- value: does it hold the kind of value asked (a person's name for "who", a date for "when"...)?
- words: the weighted share of the part's own words it contains (IDF weights, as the refusal uses);
- time: the year, period, "first" or "today" the part asks about;

minus what makes a sentence a poor reply: it opens on a word pointing back to a sentence the reader
will not see ("These structures..."), it only says where to read, or it says that the documents do not
know (kept apart: such a sentence is the answer to a gap, and only then).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.analysis import fold, text_stems
from assistant.answering import Unit, coverage, split_sentences
from assistant.lexicon import ANNOUNCES, ATTRIBUTE_BY_NAME, DANGLING, DISAGREEMENT, GAP_SENTENCE, POINTER
from assistant.question import Entity, SubQuestion, mentions
from assistant.retrieval import Hit

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DATE = re.compile(
    r"\b(1[89]\d\d|20\d\d)\b|\b\d{1,2}(er)? (janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre"
    r"|novembre|decembre)\b|\b(january|february|march|april|may|june|july|august|september|october|november"
    r"|december) \d{1,2}\b|\b\d{1,2} (january|february|march|april|may|june|july|august|september|october"
    r"|november|december)\b"
    # "les résultats tombent en janvier", "from September to October": a month is a date too
    r"|\b(en|de|a|au|jusqu'en|debut|fin|mi|in|from|to|until|by|early|late|mid|end of) -?(janvier|fevrier|mars|avril"
    r"|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february|march|april|june|july|august"
    r"|september|october|november|december)\b"
)
_NUMBER = re.compile(
    r"\d|\b(un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|cent|one|two"
    r"|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|hundred|dozen|douzaine"
    r"|vingtaine|once|twice)\b"
)
# A person's name: two or more capitalised words (Jacques Maleval, Minh-Hà Pham-Delègue, Luc Le Calvez).
_PERSON = re.compile(
    r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?(?:\s+(?:de |da |le |van |von |du |Le |De )?[A-ZÀ-Ý][a-zà-ÿ]+"
    r"(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)+"
)
# "Residential Research Schools", "Visiting Fellowships": what a capitalised name of things ends on
_NOT_PERSON_END = re.compile(
    r"\b(Programs?|Programmes?|Schools?|Fellowships?|Projects?|Centers?|Centres?|Laborator\w+|Networks?|Days"
    r"|Agency|Foundation|Council|Board|Committee|Groups?|Actions?|Sciences?|Studies|Systems?|Challenges?"
    r"|Grants?|Awards?|Prizes?)$"
)
_NOT_PERSON = re.compile(
    r"^(Le|La|Les|The|Selon|According|Depuis|Since|En|In|Au|At|Pour|For|Dans|Un|Une|A|An|Entre|Between"
    r"|Université|University|Institut|Institute|Centre|Center|Maison|House|Office|Bureau|Ministère|Ministry"
    r"|Journées|Science|National|French|Embassy|Ambassade|Grand|Global|South|North|East|West|New|Nouvelle"
    r"|Afrique|Africa|Amérique|America|Asie|Asia|Europe|Union|Innovation|Joint|Japan|Japanese|Research"
    r"|International|Department|Treasury|Invest|Victoria|Victorian|Cradle|Berceau|Maison|Campus|Direction"
    r"|Directorate|Division|European|Européenne|Européen"
    r"|From|Until|After|Before|Après|Avant|Jusqu|Dès|On|Le|Lors|During|Pendant"
    # a place in several words is not a person: "Santiago de Chile", "Buenos Aires", "Kuala Lumpur"
    r"|Santiago|Rio|São|Sao|Buenos|Los|San|Santa|Hong|Kuala|Addis|Dar|Phnom|Abu|Tel|Port|Puerto|Costa|Sri"
    r"|Saint|Sainte|Cape|Hô|Ho|Mexico|Washington|Tokyo|Singapore|Singapour|Melbourne|Pretoria|Nairobi"
    # a date is not a person: "From September 2024", "En janvier"
    r"|January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Janvier|Février|Mars|Avril|Mai|Juin|Juillet|Août|Septembre|Octobre|Novembre|Décembre)\b"
)
_WAS = re.compile(
    r"\b(dirigeait|presidait|etait|was|were|(?<!has )(?<!have )headed|formerly|jusqu'(en|a|au)|until|a dirige"
    r"|avait dirige|a ete|had been|had led|had headed)\b"
)
_FIRST = re.compile(r"\b(premier|premiere|first|inaugural|initial\w*|fondat\w*|founding)\b")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a chunk with what scoring asks of it, independent of the question."""

    text: str
    folded: str
    stems: frozenset[str]
    years: frozenset[int]
    date: bool
    number: bool
    persons: tuple[str, ...]
    gap: bool
    dangling: bool
    pointer: bool
    disagreement: bool
    announces: bool
    position: int


@functools.lru_cache(maxsize=20_000)
def sentences_of(text: str) -> tuple[Sentence, ...]:
    """The sentences of a chunk, with their features (cached: the same chunks come back all the time)."""
    out = []
    for i, sentence in enumerate(split_sentences(text)):
        folded = fold(sentence)
        out.append(
            Sentence(
                text=sentence,
                folded=folded,
                stems=text_stems(sentence),
                years=frozenset(int(y) for y in _YEAR.findall(sentence)),
                date=bool(_DATE.search(folded)),
                number=bool(_NUMBER.search(_YEAR.sub(" ", folded))),
                persons=tuple(
                    p
                    for p in _PERSON.findall(sentence)
                    if not _NOT_PERSON.match(p) and not _NOT_PERSON_END.search(p)
                ),
                gap=bool(GAP_SENTENCE.search(folded)),
                dangling=bool(DANGLING.match(folded)),
                pointer=bool(POINTER.search(folded)),
                disagreement=bool(DISAGREEMENT.search(folded)),
                announces=bool(ANNOUNCES.search(folded)),
                position=i,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Candidate:
    """A sentence scored for one part of a question."""

    sentence: Sentence
    hit: Hit
    score: float
    subject: float  # 1 names the subject, 0.7 its section does, 0.5 its page does, 0 neither
    attribute: bool
    value: bool
    words: float = 1.0  # weighted share of the part's own words the sentence holds

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def serves(self) -> bool:
        """Names the subject and gives what is asked: a sentence that answers the part."""
        return self.subject > 0 and self.attribute and self.value and not self.sentence.gap

    def __repr__(self) -> str:
        return f"Candidate({self.score:.2f} s={self.subject} a={self.attribute} v={self.value} {self.text[:60]!r})"


def subject_match(
    sentence: Sentence, hit: Hit, entities: Sequence[Entity], rivals: Sequence[str] = ()
) -> float:
    """How closely a sentence is about `entities` (any of them): 1, 0.8, 0.7, 0.5 or 0.

    0.8: the sentence names it, but after another acronym ("The former LIA, which the IRP replaced,
    ..."): it is about that other thing first.
    """
    if not entities:
        return 1.0
    best = 0.0
    context = _context(hit)
    passage = _folded_passage(hit.chunk.text)
    for entity in entities:
        at = _position(sentence.folded, entity)
        if at >= 0:
            # The word right before the name is often its type ("l'IRL CROSSING", "the LIA HOMEN"): it
            # does not make the sentence about something else.
            before = sentence.text[: max(0, at - 8)]
            others = [a for a in _TOOL_ACRONYM.findall(before) if fold(a) not in entity.aliases]
            head = sentence.folded[:at]
            others += [r for r in rivals if r in head and r not in entity.aliases and _alias_in(head, r)]
            best = max(best, 0.8 if others else 1.0)
            if best == 1.0:
                return 1.0
            continue
        if mentions(context, entity):
            best = max(best, 0.7)
        elif mentions(passage, entity):
            best = max(best, 0.6)  # a neighbouring sentence of the same passage names it
        elif _on_page(hit, entity):
            best = max(best, 0.5)
    return best


@functools.lru_cache(maxsize=20_000)
def _folded_passage(text: str) -> str:
    return fold(text)


_TOOL_ACRONYM = re.compile(r"\b(?:IRL|IRP|IRN|IEA|LIA|LEA|UMI|GDRI|GDRE|PICS|UMIFRE|PRC|IRC|LMI|USR|UMR)s?\b")


def _alias_in(text: str, alias: str) -> bool:
    return alias in text and bool(_bounded(alias).search(text))


@functools.lru_cache(maxsize=4096)
def _bounded(alias: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])")


def _position(folded: str, entity: Entity) -> int:
    """Where the sentence first names the entity (in folded text), or -1."""
    found = [folded.find(a) for a in entity.aliases if a in folded]
    return min((f for f in found if f >= 0 and mentions(folded, entity)), default=-1)


def _on_page(hit: Hit, entity: Entity) -> bool:
    doc = str(hit.meta.get("doc_id") or "")
    return (doc and doc in entity.pages) or (
        entity.office is not None and hit.meta.get("office") == entity.office
    )


@functools.lru_cache(maxsize=20_000)
def _context_of(title: str, section: str) -> str:
    return fold(f"{title} {section}")


def _context(hit: Hit) -> str:
    return _context_of(str(hit.meta.get("title") or ""), str(hit.meta.get("section") or ""))


_NOT_AN_OFFICE_HEAD = re.compile(
    r"\b(directeur general|directrice generale|director general|directeur de (recherche|these|l'institut)"
    r"|research director|thesis (director|supervisor)|directeur de laboratoire|lab director|pdg|ceo|chairman"
    r"|president)\b"
)


def gives_attribute(sentence: Sentence, attributes: Sequence[str]) -> bool:
    """Whether the sentence gives one of the asked attributes (no attribute asked: True)."""
    if not attributes:
        return True
    return _gives(sentence.folded, tuple(attributes))


@functools.lru_cache(maxsize=65_536)  # corpus sentences x the few attributes asked: reused across questions
def _gives(folded: str, attributes: tuple[str, ...]) -> bool:
    for name in attributes:
        attribute = ATTRIBUTE_BY_NAME.get(name)
        if attribute is None or not attribute.sentence.search(folded):
            continue
        if (
            name == "director"
            and _NOT_AN_OFFICE_HEAD.search(folded)
            and not re.search(
                r"\b(directeur|directrice|director) (du|of the|de l'|d') (bureau|office|antenne|derci|dei|dri|drei)",
                folded,
            )
        ):
            continue  # "le directeur général du CNRS Hubert Curien" heads the CNRS, not the office
        return True
    return False


def holds_value(sentence: Sentence, value: str, exclude: Sequence[str] = ()) -> bool:
    """Whether the sentence holds the kind of value asked: a person, a date, a number (or anything)."""
    if value == "person":
        return any(p for p in sentence.persons if fold(p) not in exclude)
    if value == "date":
        return sentence.date
    if value == "number":
        return sentence.number
    if value == "amount":
        return bool(_MONEY.search(sentence.text))
    if value == "place":  # a named place, not only the city the question already gives
        named = [p for p in sentence.persons if fold(p) not in exclude] or _PLACE.findall(sentence.text)
        return bool(named) or bool(_VENUE.search(sentence.folded))
    return True


_MONEY = re.compile(
    r"\d\s*(€|\$|k€|m€|md€|euros?\b|eur\b|dollars?\b)|(€|\$)\s*\d|\b(million|billion|milliard)s?\b", re.I
)
_PLACE = re.compile(
    r"[«\"“]\s*[A-ZÀ-Ý][^»\"”]{2,40}[»\"”]|\b(?:The )?[A-Z][a-z]+ (?:Hub|Tower|House|Campus|Centre|Center)\b"
)
_VENUE = re.compile(
    r"\b(ambassade|embassy|campus|universite|university|maison|house|tower|hub|batiment|building|locaux de)\b"
)


_UNIT_HEAD = re.compile(
    r"\b(poles?|secteurs?|sectors?|divisions?)\b[^.]{0,40}\b(dirig\w*|headed|led by|directed)"
    r"|\b(adjoint\w*|deputy) (a la |au |to the )?(directeur|directrice|director)"
)
_SINCE = re.compile(r"\b(depuis|since)\b")
_SINCE_YEAR = re.compile(r"\b(depuis|since|a partir de|from|des) (\w+ ){0,2}((?:19|20)\d\d)\b")
_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*(?:-|–|a|à|to|until|jusqu'en)\s*((?:19|20)\d\d)\b")


def _ranges(sentence: Sentence) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in _RANGE.findall(sentence.folded) if int(a) < int(b)]


def time_match(sentence: Sentence, sub: SubQuestion) -> float:
    """How well the sentence fits the time the part asks about: 0 to 1."""
    score = 0.0
    if sub.time == "before" and sub.years and sentence.years:
        # "any contact before its 1978 agreement?": what came earlier, not the 1978 agreement itself
        return 1.0 if max(sentence.years) < min(sub.years) else -0.3
    if sub.years:
        if sentence.years & set(sub.years) or any(
            a <= y <= b for a, b in _ranges(sentence) for y in sub.years
        ):
            score = 1.0  # the year asked, or a span that holds it ("vers 2015-2018" for 2016)
        elif any(int(m.group(3)) <= y for m in _SINCE_YEAR.finditer(sentence.folded) for y in sub.years):
            score = 0.8  # "à partir de 2023, X dirige la DEI": still so in 2024, unless a later one says not
        elif (
            sub.time == "around"
            and sentence.years
            and any(min(abs(y - a) for a in sub.years) <= 1 for y in sentence.years)
        ):
            score = 0.6
        elif sentence.years:
            score = -0.3  # another year than the one asked
    if sub.time == "before" and not sub.years and _WAS.search(sentence.folded):
        score = max(score, 0.3)  # "Et avant ça, il dirigeait quoi ?": what was, before what is
    if sub.time == "first" and _FIRST.search(sentence.folded):
        score = max(score, 0.8)
    if (
        sub.time == "today"
        and _WAS.search(sentence.folded)
        and not _SINCE.search(sentence.folded)
        and not (sentence.years and max(sentence.years) >= 2022)
    ):
        # "X dirigeait le bureau vers 2017" says who it was, not who it is: below an undated "X is director",
        # the later of two such statements first.
        recent = min(0.09, max(0.0, (max(sentence.years) - 2000) / 250)) if sentence.years else 0.0
        return min(score, -0.2 + recent)
    if sub.time == "today" and sentence.years:
        if max(sentence.years) >= 2022:
            score = max(score, 0.4)
        elif _SINCE.search(sentence.folded):
            score = max(score, 0.2)  # "since 2021, X heads it": still true when it was written
        else:
            # Of two older statements, the later one is nearer today ("became director in 2019" before
            # "was director around 2017"); a tie-break, far below a recent one.
            score = max(score, min(0.1, max(0.0, (max(sentence.years) - 2000) / 200)))
    if sub.time == "since" and sub.years:
        # "qui le dirige depuis fin 2021 ?": "since the end of 2021, X has headed it", not "from 2019
        # to the end of 2021, Y headed it".
        asked = "|".join(str(y) for y in sub.years)
        if re.search(rf"\b(depuis|since|a partir d[eu]|from) (\w+ ){{0,4}}({asked})\b", sentence.folded):
            score = max(score, 1.0)
        elif re.search(
            rf"\b(a|to|until|jusqu'(a|en|au)|-)\s*(la |the )?(fin |end of |debut )?(\w+ )?({asked})\b",
            sentence.folded,
        ):
            score = min(score, -0.3)
    return score


def score(
    sentence: Sentence,
    hit: Hit,
    sub: SubQuestion,
    units: Sequence[Unit],
    *,
    primary: Sequence[Entity],
    secondary: Sequence[Entity] = (),
    retrieval: float = 0.0,
    rivals: Sequence[str] = (),
) -> Candidate:
    """`sentence` of `hit`, scored for the part `sub` (primary entities: what it is about; `rivals`:
    names of other things of the same kind, such as the other offices' cities)."""
    subject = subject_match(sentence, hit, primary, rivals)
    attribute = gives_attribute(sentence, sub.attributes)
    if attribute and "director" in sub.attributes and primary and all(e.kind == "org" for e in primary):
        # "Qui dirige la DEI ?": not the head of one of its poles, nor the director's deputy.
        attribute = not _UNIT_HEAD.search(sentence.folded)
    value = holds_value(sentence, sub.value, exclude=[a for e in primary for a in e.aliases])
    words = coverage(units, sentence.stems, text_stems(_context(hit))) if units else 0.0
    total = 1.2 * subject + 0.9 * attribute + 0.4 * value + 0.8 * words + 0.5 * time_match(sentence, sub)
    # "à quel pôle de la DEI l'Inde est-elle rattachée ?": the sentence that names the country asked
    total += sum(
        (0.4 if e.kind in ("country", "region") else 0.15) * mentions(sentence.folded, e) for e in secondary
    )
    total += 0.1 * retrieval
    if sub.intent == "definition" and hit.meta.get("topic") == "glossary":
        total += 0.25  # the glossary's entries are written as definitions
    if sub.intent == "list" and (_enumerates(sentence) or sentence.announces):
        total += 0.3  # a list question is best answered by the sentence that lists or announces the items
    if _asks(_EXAMPLE_ASKED, sub.folded) and _EXAMPLE.search(sentence.folded):
        total += 0.4
    if (
        sub.intent == "who"
        and sub.value == ""
        and (
            _AGENT.search(sentence.folded)
            or ("funding" in sub.attributes and _PAYERS.search(sentence.folded))
            or (bool(sentence.persons) and not sentence.gap and "funding" not in sub.attributes)
        )
    ):
        # "who pays": "funded by all of its partners"; "who coordinated it?": "Christelle Roy coordinated it"
        total += 0.3
    if _asks(_FIRST_STEP_ASKED, sub.folded) and _FIRST_STEP.search(sentence.folded):
        total += 0.3  # "qui voir en premier ?": "un candidat doit d'abord informer le directeur de son unité"
    if asks_results(sub) and tells_results(sentence):
        total += 0.3  # "when would we hear back?": "results are announced in January"
    if sub.intent == "when" and _asks(_EXACTLY, sub.folded) and DAY.search(sentence.folded):
        total += 0.1  # "when exactly?": "on 1 January 2010" before "in 2010"
    offices = tuple(a for e in primary if e.kind == "office" for a in e.aliases)
    if offices and _names_as_asked(sentence.folded, _named_forms(sub.folded, offices)):
        total += 0.15  # "the Rio office" asked: Rio, not São Paulo where the same office moved
    if sentence.dangling:
        total -= 0.6
    if sentence.pointer:
        total -= 0.8
    if len(sentence.text) > 320:
        total -= 0.15
    return Candidate(sentence, hit, total, subject, attribute, value, words)


def says_first(sentence: Sentence) -> bool:
    """Whether a sentence says something was the first ("the first director", "founding director")."""
    return bool(_FIRST.search(sentence.folded))


@functools.lru_cache(maxsize=4096)  # the part's own text: the same for each of the ~100 sentences scored
def _asks(pattern: re.Pattern[str], folded_part: str) -> bool:
    return pattern.search(folded_part) is not None


# The first step of a procedure asked ("qui voir en 1er ?", "where do I start?") and stated ("d'abord")
_FIRST_STEP_ASKED = re.compile(
    r"\b(en (premier|1er)|d'abord|first of all|first step|premiere etape|to start with|where (do|should) (i|we) start"
    r"|par (ou|qui|quoi) (je |on )?commenc\w*|(je|on) commence par|commencer par|who do (i|we) start with)\b"
    r"|\bfirst\s*\??$"
)
_FIRST_STEP = re.compile(
    r"\b(d'abord|en premier( lieu)?|premiere etape|first step|first of all|commence\w* par|start\w* (by|with))\b"
    r"|\b(must|should|needs? to) first\b"
)
# "when would we hear back?", "quand aura-t-on la réponse ?": when the results come, not when to submit
_RESULTS_ASKED = re.compile(
    r"\b(hear back|results?|resultats?|reponses?|notified|outcome|selected when|retenus quand)\b"
)
_RESULTS = re.compile(r"\b(results?|resultats?|announced|annonce\w*|notified|notifie\w*)\b")


def asks_results(sub: SubQuestion) -> bool:
    """Whether a "when" part asks when the results come ("when would we hear back?")."""
    return sub.intent == "when" and _asks(_RESULTS_ASKED, sub.folded)


def tells_results(sentence: Sentence) -> bool:
    return bool(_RESULTS.search(sentence.folded))


_EXACTLY = re.compile(r"\b(exact\w*|precis\w*|quel jour|what day|which day|date)\b")
# "le 16 juin 2010", "on 1 October", "June 16": a day, not only a month or a year
DAY = re.compile(
    r"\b\d{1,2}(er)? (janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
    r"|january|february|march|april|may|june|july|august|september|october|november|december)\b"
    r"|\b(january|february|march|april|may|june|july|august|september|october|november|december) \d{1,2}\b"
)


@functools.lru_cache(maxsize=256)
def _named_forms(question: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    """The names of an office the question itself uses ("rio" among the South America office's)."""
    return tuple(a for a in aliases if len(a) >= 3 and _alias_in(question, a))


def _names_as_asked(folded: str, named: tuple[str, ...]) -> bool:
    return any(_alias_in(folded, a) for a in named)


def headed_missions(hit: Hit) -> bool:
    """Whether the passage is under a "Missions" (or "Rôle") heading."""
    return bool(_MISSIONS_HEADING.search(fold(str(hit.meta.get("section") or ""))))


_MISSIONS_HEADING = re.compile(
    r"^(missions?|roles?|role et missions|role and missions|a quoi serv\w*"
    r"|what .* (is|are) for|what do the .* do)\b"
)
_EXAMPLE_ASKED = re.compile(r"\b(exemple|example|for instance|par exemple|illustration)\b")
_EXAMPLE = re.compile(r"\b(par exemple|for example|for instance|e\.g\.|notamment|such as)\b")
_AGENT = re.compile(
    r"\b(par|by) (l'ensemble|all|each|chaque|tous|the|le|la|les|l'|both)\b|\b(each|chaque) (organisation|organisme|partner|partenaire)\b"
)
# "the CNRS and a partner university co-fund theses": who pays is both (asked who funds, not who submits)
_PAYERS = re.compile(
    r"\bco-?fund(s|ed)?\b|\bco-?financ(e|ent|ee|ees|es)\b|\bjointly funded\b|\bfinance\w* conjointement\b"
)


def _enumerates(sentence: Sentence) -> bool:
    """A sentence that lists items itself: "cinq appels : Starting, Consolidator, ... et Proof of Concept".

    At least three short items (five words at most) separated by commas, the last after "et" / "and".
    """
    if (
        ":" in sentence.text
    ):  # the last colon: "ERC (...) : l'ERC finance ... par cinq appels : Starting, ..."
        tail = sentence.text.rsplit(":", 1)[1]
    else:  # "The three organisations ... are IRD, IFRA and CIRAD."
        parts = re.split(
            r"\b(?:are|is|were|was|include|includes|sont|est|etaient|comprennent|comprend|cite|cites|citent"
            r"|lists|names|compte|comptent|covers?|couvre|couvrent|regroupe\w*|brings together|reunit)\b",
            sentence.text,
            maxsplit=1,
        )
        if len(parts) < 2:
            return False  # no colon and no listing verb: names in a row ("A, B et C ont signé") are no list
        tail = parts[-1]
    # "... sont notamment la coopération et l'action culturelle, la science et la technologie, le nucléaire
    # et les affaires sociales": "notamment", "including" announce the items as a colon does
    announced = bool(re.match(r"\s*(notamment|including|such as|a savoir|à savoir|namely)\b", tail)) or bool(
        re.search(r"\b(include|includes|comprennent|comprend)\b", sentence.text)
    )
    tail = re.sub(r"\([^()]*\)", "", tail)  # "Myanmar (Burma, Birmanie)" is one item
    items = [i.strip() for i in re.split(r",|\bet\b|\band\b", tail.rstrip(" .;")) if i.strip()]
    short = [i for i in items[:-1] if len(i.split()) <= 5]
    # Without a colon, only names make a list ("... cite l'IRC Arizona, l'IRC Imperial et ..."): "piloté
    # par des instances bilatérales, communes au CNRS et à l'institution" is one clause.
    named = sum(bool(re.search(r"(?<![\w'])[A-Z0-9À-Ý]", i)) for i in items)
    return (
        len(items) >= 3
        and len(short) == len(items) - 1
        and len(items[-1].split()) <= 8
        and bool(re.search(r"\b(et|and)\b", tail))
        and (":" in sentence.text or announced or named >= len(items) - 1)
    )


enumerates = _enumerates


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def neighbours(hit: Hit, sentence: Sentence) -> tuple[Sentence, ...]:
    """The sentences after `sentence` in its chunk, in order."""
    return tuple(s for s in sentences_of(hit.chunk.text) if s.position > sentence.position)
