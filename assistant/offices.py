"""Office answers, from the directory: which office covers a place or a named structure, which countries
an office covers, whether an office is still open; each statement backed by a passage of its page.

Also what the directory says of the whole question: a place named as an office's where the CNRS has
none (the answer is a refusal), and whom to contact when the documents fall short.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.analysis import fold
from assistant.best import best as _best
from assistant.candidates import candidates as _candidates
from assistant.citations import support
from assistant.directory import Office
from assistant.entities import Entity, mentions, office_entity
from assistant.knowledge import KnowledgeBase
from assistant.lexical import LexicalIndex
from assistant.lexicon import DISAGREEMENT
from assistant.parts import SubQuestion
from assistant.plans import Context, Part, Statement
from assistant.prompts import (
    COVERAGE,
    COVERAGE_COUNT,
    FORMER_ITEM,
    FORMER_OFFICES,
    FORMER_THERE,
    HOSTED_WHERE,
    HOSTS_UNKNOWN,
    IN_REGION,
    OFFICE_ACTIVE,
    OFFICE_COUNT,
    OFFICE_FORMER,
    OFFICE_HOST_UNKNOWN,
    OFFICE_HOSTED,
    OFFICE_ITEM,
    OFFICE_LINE,
    OFFICE_REGION,
    OFFICE_REGION_NONE,
    OFFICE_REGION_ONE,
    OFFICES_HOSTED_BY,
    OFFICES_HOSTS,
    OFFICES_OPENED,
    OFFICES_OPENINGS,
    OPENED_IN,
    OPENED_WHEN,
    OPENINGS_UNKNOWN,
    RECONSTRUCTED_LIST,
    ROUTE_BY_PAGE,
    ROUTE_COUNTRIES,
    ROUTE_COUNTRIES_POLE,
    ROUTE_COUNTRY,
    ROUTE_COUNTRY_POLE,
    ROUTE_IN_ZONE,
    ROUTE_IN_ZONE_PLURAL,
    ROUTE_NAME,
)
from assistant.question import Analysis
from assistant.retrieval import Hit
from assistant.routing import country_in_sentence, join_names, plural_country
from assistant.selection import Candidate, Sentence, sentences_of

__all__ = [
    "best_backing",
    "contact",
    "directory_opening",
    "former_offices",
    "host_kind",
    "office_count",
    "office_countries",
    "office_location",
    "offices_table",
    "route",
    "still_active",
    "undated_opening",
    "unknown_office",
]


def route(sub: SubQuestion, ctx: Context) -> Part | None:
    """Which office covers the places (or the structures) this part names."""
    lang = ctx.lang
    statements: list[Statement] = []
    found: list[Entity] = []
    by_office: dict[str, list[Entity]] = {}
    answered_before = False  # a past-tense question answered by a former office
    for entity in sub.entities:
        if entity.kind == "country" and entity.office:
            by_office.setdefault(entity.office, []).append(entity)
        elif (
            entity.kind in ("office", "pole")
            and "zone" in sub.attributes
            and sub.intent != "where"
            and not any(e.kind == "country" for e in sub.entities)
        ):
            return None  # "which countries does it cover": a list ("does Egypt come under it?" is a route)
    for office_id, countries in by_office.items():
        office = ctx.kb.offices.by_id(office_id)
        if office is None:
            continue
        names = [country_in_sentence(c.label(lang), lang) for c in countries]
        if office.kind == "pole":
            pole = office.text("names", lang)
            if pole[1:2].islower():  # "Secteur Europe..." -> "secteur Europe...", but "DEI ..." stays
                pole = pole[:1].lower() + pole[1:]
            plural = len(countries) > 1 or plural_country(countries[0].label(lang), lang)
            template = ROUTE_COUNTRIES_POLE if plural else ROUTE_COUNTRY_POLE
            text = template[lang].format(Country=_cap(join_names(names, lang)), pole=pole)
        else:
            plural = len(countries) > 1 or plural_country(countries[0].label(lang), lang)
            template = ROUTE_COUNTRIES if plural else ROUTE_COUNTRY
            if office.countries_reconstructed and not all(
                _named_by_sources(c, office, ctx) for c in countries
            ):
                # "Ethiopia is covered by the Nairobi office": the sources name East Africa, not Ethiopia;
                # what is known is that the country lies in the office's zone
                template = ROUTE_IN_ZONE_PLURAL if plural else ROUTE_IN_ZONE
            text = template[lang].format(
                countries=_cap(join_names(names, lang)),
                country=_cap(names[0]),
                city=office.text("city", lang),
                zone=office.text("zone", lang),
            )
        fact = text.split(". ")[0]  # a pole's route: the passage backs whom to ask, the gap is ours
        today = Statement(text, _backing(fact, office, ctx, countries[0].label(lang)), "route")
        found.append(office_entity(office))
        past = bool(_PAST.search(fold(sub.text)))
        # "Which office covered Russia?": the former office that was there, with its dated note, first;
        # for a country with no office today, after the pole, even when the question is in the present.
        former = _former_office_of(countries, ctx) if past or office.kind == "pole" else []
        statements += [*former, today] if past else [today, *former]
        answered_before = answered_before or (past and bool(former))
    if not statements:
        for entity in sub.entities:
            if entity.kind == "name":
                hop = _hop(entity, sub, ctx)
                if hop is not None:
                    return hop
        return None
    # "À qui s'adresser pour chacun des deux volets ?": the other subjects (Horizon Europe) get theirs too.
    for entity in sub.entities:
        if entity.kind in ("org", "tool") and not by_office.get(entity.office or ""):
            asked = ("contact",) if "contact" in sub.attributes else ()  # whom to ask about it
            one = replace(sub, entities=(entity,), intent="where", attributes=asked)
            part = _best(one, _candidates(one, [entity], [], ctx), [entity], ctx)
            said = [s for s in part.statements if s.role != "gap"][:1] if part.answered else []
            if not mentions(fold(sub.text), entity):
                # A scheme from elsewhere in the message speaks only of these countries ("the 2014 PICS
                # areas ... Israel and Turkey"), not of itself ("Je monte un IRN avec des équipes à
                # Montréal : quel bureau pour chaque pays ?" asks nothing of the IRN's format).
                places = [c for cs in by_office.values() for c in cs]
                said = [s for s in said if any(mentions(fold(s.text), c) for c in places)]
            statements += said
    # A country no office abroad covers is a gap the documents state (only a pole at headquarters).
    poles_only = all(
        (office := ctx.kb.offices.by_id(office_id)) is None or office.kind == "pole"
        for office_id in by_office
    )
    status = "gap" if by_office and poles_only and not answered_before else "answered"
    return Part(sub, status, tuple(_unique_statements(statements)), tuple(found))


def _hop(entity: Entity, sub: SubQuestion, ctx: Context) -> Part | None:
    """A named structure's office: the country its sentences place it in, else the office page it is on."""
    lang = ctx.lang
    about = replace(sub, intent="general", attributes=(), entities=(entity,))
    candidates = [c for c in _candidates(about, [entity], [], ctx) if c.subject >= 0.8 and not c.sentence.gap]
    for c in candidates[:8]:
        places = ctx.kb.offices.find(c.text) or ctx.kb.offices.find(str(c.hit.meta.get("section") or ""))
        for place in places:
            office = place.office
            if office.kind != "office" or office.status != "active":
                continue
            statements = [Statement(c.text, c, "context")]
            zone = office.text("zone", lang)
            # A country named, or the country of the office's city ("... museum in Pretoria": South Africa)
            country = place.country or office.host_country()
            if country is not None:
                name = country.name(lang)
                template = ROUTE_COUNTRIES if plural_country(name, lang) else ROUTE_COUNTRY
                text = template[lang].format(
                    country=_cap(country_in_sentence(name, lang)),
                    countries=_cap(country_in_sentence(name, lang)),
                    city=office.text("city", lang),
                    zone=zone,
                )
                statements.append(Statement(text, _backing(text, office, ctx, name), "route"))
            else:  # the sentence places it in an office's city, in no country the office covers
                text = ROUTE_NAME[lang].format(
                    name=entity.label(lang), city=office.text("city", lang), zone=zone
                )
                statements.append(Statement(text, _backing(text, office, ctx), "route"))
            return Part(sub, "answered", tuple(statements), (office_entity(office),))
    for c in candidates[:5]:
        office_id = str(c.hit.meta.get("office") or "")
        on_page = ctx.kb.offices.by_id(office_id) if office_id else None
        if on_page is not None and on_page.kind == "office":
            office = on_page
            text = ROUTE_BY_PAGE[lang].format(name=entity.label(lang), city=office.text("city", lang))
            return Part(
                sub,
                "answered",
                (Statement(c.text, c, "context"), Statement(text, c, "route")),
                (office_entity(office),),
            )
    return None


def office_countries(sub: SubQuestion, office: Entity, ctx: Context, counting: bool = False) -> Part | None:
    """The countries an office covers: the sentence that lists them, else the directory's list, labelled
    (`counting`: with their number first, for "how many countries does it cover?")."""
    directory = ctx.kb.offices.by_id(office.key)
    if directory is None or not directory.countries:
        return None
    names = [c.name(ctx.lang) for c in directory.countries]
    candidates = _candidates(replace(sub, attributes=("zone",)), [office], [], ctx, extra=" ".join(names[:6]))
    counted = [(sum(fold(n) in c.sentence.folded for n in names), c) for c in candidates if c.subject > 0]
    listing = [(n, c) for n, c in counted if n >= max(3, len(names) - 1)]
    zone = directory.text("zone", ctx.lang)
    text = (COVERAGE_COUNT if counting else COVERAGE)[ctx.lang].format(
        city=directory.text("city", ctx.lang), countries=", ".join(names), zone=zone, n=len(names)
    )
    if fold(zone) == fold(", ".join(names)):  # "couvre : Inde (zone : Inde)" says it once
        text = text.replace(f" (zone : {zone})", "").replace(f" (zone: {zone})", "")
    if listing:  # the sources' own list, when one sentence names (almost) every country
        best = max(listing, key=lambda pair: (pair[0], pair[1].score))[1]
        if counting:  # the number first, backed by the sentence that names them all
            return Part(sub, "answered", (Statement(text, best, "route"),), (office,))
        return Part(sub, "answered", (Statement(best.text, best, "answer"),), (office,))
    statements = [Statement(text, _backing(text, directory, ctx), "route")]
    if directory.countries_reconstructed:
        # The sources name the region, not every country: what they do say first, cited, then the
        # directory's list, labelled as a reconstruction.
        said = [c for c in candidates if c.subject >= 1.0 and c.attribute and not c.sentence.gap]
        zone = fold(directory.text("zone", ctx.lang).split("(")[0].split(":")[0].strip())
        said = [c for c in said if zone and zone in c.sentence.folded] or said  # "covers East Africa"
        statements = [Statement(said[0].text, said[0], "answer")] if said else []
        statements += [
            Statement(text, None, "route"),
            Statement(RECONSTRUCTED_LIST[ctx.lang], None, "lead"),
        ]
    return Part(sub, "answered", tuple(statements), (office,))


def still_active(sub: SubQuestion, primary: Sequence[Entity], ctx: Context) -> Part | None:
    """ "Le bureau de Tokyo est-il toujours ouvert ?": what the directory says of the office's status.

    An active office has no closing to find; a closed or moved one has the directory's dated note.
    """
    office = (
        ctx.kb.offices.by_id(primary[0].office or "") if primary and primary[0].kind == "office" else None
    )
    if office is None or office.kind != "office":
        return None
    if office.status in ("closed", "moved") and office.status_note:
        # "Is the Malta office still open?": the directory's dated account of its closing or move.
        note = office.text("status_note", ctx.lang)
        name = office.text("names", ctx.lang)
        text = OFFICE_FORMER[ctx.lang].format(office=name, note=note[:1].lower() + note[1:])
        closed = Part(sub, "answered", (Statement(text, _backing(note, office, ctx), "route"),))
        return replace(closed, verdict="no") if _STILL.search(fold(sub.text)) else closed
    if office.status != "active":
        return None
    if not any(fold(city) in fold(sub.text) for city in office.city.values()):
        return None  # "le bureau de Rio" names the office by the city it left: the move answers
    text = OFFICE_ACTIVE[ctx.lang].format(office=_cap(primary[0].label(ctx.lang)))
    backing = _backing(text, office, ctx)
    part = Part(sub, "answered", (Statement(text, backing, "route"),))
    return replace(part, verdict="yes") if _STILL.search(fold(sub.text)) else part


_STILL = re.compile(r"\b(still|toujours|encore)\b")


def directory_opening(part: Part, primary: Sequence[Entity], ctx: Context) -> Part:
    """ "Depuis quand existe le bureau de Singapour ?": when the chosen sentence does not give the year the
    directory gives (it told of the CNRS@CREATE subsidiary), the directory's account, backed by the page."""
    office = (
        ctx.kb.offices.by_id(primary[0].office or "") if primary and primary[0].kind == "office" else None
    )
    if office is None or office.kind != "office" or office.opened is None or not office.opened_note:
        return part
    if _ANTENNA.search(fold(part.sub.text)):
        return part  # "quand l'antenne d'Ottawa a-t-elle ouvert ?": the antenna before the office (2019)
    first = part.statements[0].source if part.statements else None
    if first is not None and office.opened in first.sentence.years:
        return part  # the year the directory records
    note = office.text("opened_note", ctx.lang)
    backing = best_backing(note, office.page(ctx.lang), f"{office.opened} {note}", ctx)
    if backing is None or str(office.opened) not in backing.text:
        return part
    if first is not None and not first.sentence.years:
        # "annoncée un 21 avril" gives a day, not the year: the directory's account first, then that day
        if backing.text == first.text:
            return part
        return replace(part, statements=(Statement(backing.text, backing, "answer"), part.statements[0]))
    return Part(part.sub, "answered", (Statement(backing.text, backing, "answer"),), part.found)


_ANTENNA = re.compile(r"\b(antennes?|antennas?|satellite|branch)\b")


def undated_opening(sub: SubQuestion, primary: Sequence[Entity], ctx: Context) -> Part | None:
    """ "Quand le bureau de Tokyo a-t-il ouvert ?" when the directory has no opening year: the page's own
    sentence saying so, then what it does know (it already existed in 1997), not another thing's opening."""
    office = (
        ctx.kb.offices.by_id(primary[0].office or "") if primary and primary[0].kind == "office" else None
    )
    if office is None or office.opened is not None or not office.opened_note:
        return None
    note = office.text("opened_note", ctx.lang)
    clauses = [c.strip() for c in re.split(r"\s*;\s*|(?<=\.)\s+", note) if c.strip()][:2]
    statements: list[Statement] = []
    for clause in clauses:
        said = best_backing(clause, office.page(ctx.lang), clause, ctx)
        if said is not None and all(said.text != s.text for s in statements):
            statements.append(Statement(said.text, said, "context" if statements else "gap"))
    if not statements or not statements[0].source or not statements[0].source.sentence.gap:
        return None  # the page does not say it in its own words: the general strategy decides
    return Part(sub, "gap", tuple(statements))


_PAST = re.compile(
    r"\b(couvrait|couvraient|relevait|relevaient|s'occupait|covered|was|were|used to|ancien\w*|former"
    r"|autrefois|formerly|historiquement|historically|previously|auparavant|avant|before)\b"
)


def _former_office_of(countries: Sequence[Entity], ctx: Context) -> list[Statement]:
    """The closed or moved offices that were in these countries, each with its dated note."""
    codes = {c.key for c in countries}
    out = []
    for office in ctx.kb.offices.offices:
        if office.kind != "office" or office.status == "active" or office.country not in codes:
            continue
        note = office.text("status_note", ctx.lang)
        text = FORMER_THERE[ctx.lang].format(
            city=office.text("city", ctx.lang),
            zone=office.text("zone", ctx.lang),
            note=note[:1].lower() + note[1:],
        )
        out.append(Statement(text, _backing(note, office, ctx), "route"))
    return out


def office_location(sub: SubQuestion, primary: Sequence[Entity], ctx: Context) -> Part | None:
    """ "Where is the South America office?": its city and where it is housed, from the directory (with
    its move, when it moved), backed by the passage of its page that says so."""
    office = (
        ctx.kb.offices.by_id(primary[0].office or "") if primary and primary[0].kind == "office" else None
    )
    if office is None or office.kind != "office" or office.status != "active":
        return None
    if not office.host:
        # "le bureau de Tokyo, c'est où ?": the city is known, where in it is not (a passage that says so
        # itself is better: it is cited)
        said = _candidates(replace(sub, attributes=("location",)), [primary[0]], [], ctx)
        gaps = [c for c in said if c.sentence.gap and c.subject >= 1.0 and c.attribute]
        if gaps:
            return Part(sub, "gap", (Statement(gaps[0].text, gaps[0], "gap"),), (office_entity(office),))
        text = OFFICE_HOST_UNKNOWN[ctx.lang].format(city=office.text("city", ctx.lang))
        return Part(sub, "gap", (Statement(text, None, "gap"),), (office_entity(office),))
    host = office.text("host", ctx.lang)
    text = OFFICE_HOSTED[ctx.lang].format(city=office.text("city", ctx.lang), host=host)
    backing = _backing(host, office, ctx)
    if backing is None:
        return None  # the page does not say it: the general strategy decides
    return Part(sub, "answered", (Statement(text, backing, "route"),), (office_entity(office),))


def former_offices(sub: SubQuestion, ctx: Context) -> Part | None:
    """ "Quels bureaux du CNRS ont fermé ?": the directory's closed and moved offices, each with its
    dated note, backed by the passage of the former-offices page that tells it."""
    former = [o for o in ctx.kb.offices.offices if o.kind == "office" and o.status in ("closed", "moved")]
    if not former:
        return None
    statements = [Statement(FORMER_OFFICES[ctx.lang].format(n=len(former)), None, "lead")]
    for office in former:
        note = office.text("status_note", ctx.lang)
        opened = OPENED_IN[ctx.lang].format(year=office.opened) if office.opened else ""
        text = FORMER_ITEM[ctx.lang].format(
            city=office.text("city", ctx.lang), opened=opened, note=note[:1].lower() + note[1:]
        )
        statements.append(Statement(text, _backing(note, office, ctx), "item"))
    return Part(sub, "answered", tuple(statements))


def office_count(sub: SubQuestion, ctx: Context) -> Part | None:
    """ "Combien de bureaux le CNRS a-t-il à l'étranger ?": the directory's active offices, counted and
    named, backed by the sentence that gives that count with the latest date; then the documents' own
    sentence on how the counts differ between sources and dates."""
    active = [o for o in ctx.kb.offices.offices if o.kind == "office" and o.status == "active"]
    if not active:
        return None
    n = len(active)
    cities = join_names([o.text("city", ctx.lang) for o in active], ctx.lang)
    text = OFFICE_COUNT[ctx.lang].format(n=n, cities=cities)
    pool = _candidates(sub, [], [], ctx)
    stating = [c for c in pool if re.search(rf"\b{n}(e|th)?\b", c.sentence.folded) and c.sentence.years]
    stating.sort(key=lambda c: (-max(c.sentence.years), -c.score))
    region = next((e.key for e in sub.entities if e.kind == "region" and e.key in IN_REGION), None)
    if region is not None:
        return _region_offices(sub, region, active, stating[0] if stating else None, ctx)
    statements = [Statement(text, stating[0] if stating else None, "route")]
    differ = [c for c in pool if c.sentence.disagreement and c.attribute and c not in stating[:1]]
    if differ:
        statements.append(Statement(differ[0].text, differ[0], "context"))
    return Part(sub, "answered", tuple(statements))


def _region_offices(
    sub: SubQuestion, region: str, active: Sequence[Office], stating: Candidate | None, ctx: Context
) -> Part:
    """ "Quels sont les bureaux du CNRS en Asie ?": the active offices of that part of the world, counted
    and named, backed by the sentence that lists every office; then each office's zone, from its page."""
    where = IN_REGION[region][ctx.lang]
    parts_of = {"americas": ("north-america", "latin-america")}.get(region, (region,))
    there = [o for o in active if o.region in parts_of]
    if not there:
        text = OFFICE_REGION_NONE[ctx.lang].format(n=len(active), where=where)
        return Part(sub, "answered", (Statement(text, stating, "route"),))
    cities = join_names([o.text("city", ctx.lang) for o in there], ctx.lang)
    template = OFFICE_REGION if len(there) > 1 else OFFICE_REGION_ONE
    text = template[ctx.lang].format(n=len(there), where=where, cities=cities)
    if stating is None:  # the passage, anywhere in the corpus, that names these offices best
        stating = best_backing(text, None, f"{where} {cities}", ctx)
    # The count and the cities lead the list; each office's line then says what it covers.
    statements = [Statement(text, stating, "lead" if len(there) > 1 else "route")]
    if len(there) > 1:
        for office in there:
            line = OFFICE_LINE[ctx.lang].format(
                city=office.text("city", ctx.lang), zone=office.text("zone", ctx.lang)
            )
            statements.append(Statement(line, _backing(line, office, ctx), "item"))
    return Part(sub, "answered", tuple(statements))


def _named_by_sources(country: Entity, office: Office, ctx: Context) -> bool:
    """Whether the office's own page names the country (its host country always counts): a zone whose
    countries the directory reconstructs covers for sure only those its sources name."""
    if country.key == office.country:
        return True
    text = _page_text(ctx.kb.lexical, office.page(ctx.lang) or "")
    return any(re.search(rf"\b{re.escape(alias)}\b", text) for alias in country.aliases if len(alias) > 3)


@functools.lru_cache(maxsize=64)
def _page_text(lexical: LexicalIndex, page: str) -> str:
    return fold(" ".join(c.text for c in lexical.chunks if c.meta.get("doc_id") == page))


def _backing(text: str, office: Office, ctx: Context, country: str = "") -> Candidate | None:
    """The passage of the office's page that best supports a directory statement."""
    page = office.page(ctx.lang)
    query = f"{country} {office.text('city', ctx.lang)} {office.text('zone', ctx.lang)}"
    if office.kind == "pole":  # no city: the pole's own name finds the passage that describes it
        query = f"{query} {office.text('names', ctx.lang)}"
    return best_backing(text, page, query, ctx)


def best_backing(text: str, page: str | None, query: str, ctx: Context) -> Candidate | None:
    """The sentence of `page` (of any page in the question's language when None) that best supports `text`."""
    if page == "":
        return None
    filters = {"doc_id": page} if page else {"lang": ctx.lang}
    hits = ctx.lookup(query, 4 if page else 8, filters=filters, mode="lexical")
    best: tuple[float, Sentence, Hit] | None = None
    for hit in hits:
        for s in sentences_of(hit.chunk.text):
            value = support(text, s.text)
            if best is None or value > best[0]:
                best = (value, s, hit)
    if best is None or best[0] < 0.3:
        return None
    value, sentence, hit = best
    return Candidate(sentence, hit, value, 1.0, True, True)


def _unique_statements(statements: Sequence[Statement]) -> list[Statement]:
    seen: set[str] = set()
    out = []
    for s in statements:
        if s.text not in seen:
            seen.add(s.text)
            out.append(s)
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- what the directory says of the whole question ------------------------------------------------------


_OFFICE_PLACE = re.compile(
    r"\b(?:bureau|office|antenne|branch|representation)\s+(?:du cnrs\s+|of the cnrs\s+|cnrs\s+)?(?:a|à|au|en|in|at|de|d')\s*"
    r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)",
)


def unknown_office(analysis: Analysis, kb: KnowledgeBase) -> str:
    """A place named as an office's ("the CNRS office in Berlin") where the CNRS has no office, or ""."""
    if not any(o.kind == "office" for o in kb.offices.offices):
        return ""  # a corpus without an office directory cannot tell which offices do not exist
    text = analysis.text
    for m in _OFFICE_PLACE.finditer(_strip_case_keep(text)):
        place = m.group(1)
        if _known(place, kb) or kb.offices.former(place) or fold(place.split()[0]) in _REGIONS:
            continue  # an office, a former office ("le bureau de Hanoï"), or a region
        words = place.split()
        if len(words) > 1 and (_known(words[0], kb) or fold(words[1]) in _NOT_PLACE):
            place = words[0]  # "Berlin Is it...", not "Buenos Aires"
        if _known(place, kb):
            continue
        if any(
            mentions(fold(place), e) for e in analysis.entities if e.kind in ("office", "country", "pole")
        ):
            continue
        return place
    return ""


def _known(place: str, kb: KnowledgeBase) -> bool:
    """An office's city or a country; a city of a country ("Berlin") is no office of the CNRS."""
    return any(not match.by_city for match in kb.offices.find(place))


_NOT_PLACE = frozenset(
    "i is are was et and or ou what who when which how quel quelle qui quand comment the le la les des du de "
    "and its it il elle je".split()
)
_REGIONS = frozenset(
    "cnrs dei derci europe afrique africa asie asia amerique america ameriques americas oceanie oceania the le la "
    "latine latin moyen-orient middle mediterranee mediterranean pacifique pacific nord sud est ouest north south "
    "east west".split()
)


def _strip_case_keep(text: str) -> str:
    """`text` with the words the office pattern looks for lower-cased, and names kept as written."""
    return re.sub(
        r"\b(Bureau|Office|Antenne|Branch|Representation|Du|Of|The|Cnrs|CNRS|In|At|De|Au|En|A|À)\b",
        lambda m: fold(m.group(0)),
        text,
    ).replace("à", "a")


def contact(analysis: Analysis, kb: KnowledgeBase, parts: Sequence[Part] = ()) -> str | None:
    """Whom to ask when the documents fall short: the office of the place the unanswered parts are about,
    else of the question's place, if any.

    A gap on a tool ("quel budget pour un IRN ?") in a message that also names a partner in Seoul is not
    the Tokyo office's to fill: when the unanswered parts are about tools or CNRS bodies only, the DEI
    is whom to ask.
    """
    subjects = [e for p in parts if p.status == "gap" for e in p.sub.entities]
    placed = next((o for o in map(functools.partial(_active, kb), subjects) if o is not None), None)
    if placed is not None:
        return addressee(placed, analysis.lang)
    if subjects and all(e.kind in ("tool", "org") for e in subjects):
        return None  # a scheme's rules or the DEI's own business: the DEI
    for entity in analysis.entities:
        office = _active(kb, entity)
        if office is not None:  # not a closed office (Moscow, Malta)
            return addressee(office, analysis.lang)
    return None


def _active(kb: KnowledgeBase, entity: Entity) -> Office | None:
    """The office in charge of `entity`, when it is still open."""
    office = kb.offices.by_id(entity.office) if entity.office else None
    return office if office is not None and office.status == "active" else None


def addressee(office: Office, lang: str) -> str:
    """An office or pole named to be written to, with its article: "le pôle Amériques de la DEI"
    ("adressez-vous à le pôle..." becomes "au pôle..." when composed)."""
    name = office.text("names", lang)
    if name[1:2].islower():  # "Bureau du CNRS pour...", "Pôle Amériques": a common noun, lowered
        name = name[:1].lower() + name[1:]
    if lang != "fr":
        return "the " + name
    return (
        "l'" if name[:1] in "aeiouéèAEIOUÉ" else "les " if name.split()[0].endswith("x") else "le "
    ) + name


def offices_table(sub: SubQuestion, ctx: Context) -> Part | None:
    """ "Which CNRS offices are hosted by a university?", "Quels bureaux ont ouvert depuis 2010 ?": the
    directory's active offices with the property asked (where each is housed, when each opened), kept as
    the question says, one line each backed by the passage of its page that states it; then the offices
    the documentation says nothing of, named."""
    folded = sub.folded
    active = [o for o in ctx.kb.offices.offices if o.kind == "office" and o.status == "active"]
    if not active:
        return None
    lang, total = ctx.lang, len(active)
    if "opening" in sub.attributes:
        return _openings(sub, active, ctx)
    if not ("location" in sub.attributes or _HOSTED.search(folded)) or _SHARED.search(folded):
        return (
            None  # "with which French organisations did it share offices?" asks the partners, not the hosts
        )
    want = host_kind(folded)
    housed = [o for o in active if o.host]
    kept = [o for o in housed if want is None or _HOST_KINDS[want].search(fold(o.text("host", "en")))]
    if want is not None:
        lead = OFFICES_HOSTED_BY[lang].format(n=len(kept), total=total, where=HOSTED_WHERE[want][lang])
    else:
        lead = OFFICES_HOSTS[lang].format(total=total)
    statements = [Statement(lead, None, "lead")]
    for office in kept:
        host = office.text("host", lang)
        text = OFFICE_ITEM[lang].format(city=office.text("city", lang), value=host)
        statements.append(Statement(text, _backing(host, office, ctx), "item"))
    unknown = [o.text("city", lang) for o in active if not o.host]
    if unknown:
        # after the list ("then"): what the documents do say comes first
        statements.append(
            Statement(HOSTS_UNKNOWN[lang].format(cities=join_names(unknown, lang)), None, "then")
        )
    return Part(sub, "answered", tuple(statements))


def _openings(sub: SubQuestion, active: Sequence[Office], ctx: Context) -> Part:
    lang, total = ctx.lang, len(active)
    year = sub.years[0] if len(sub.years) == 1 else None
    folded = sub.folded
    side = None
    if year is not None:
        side = next((name for name, pattern in _SIDES.items() if pattern.search(folded)), "in")
    dated = sorted((o for o in active if o.opened), key=lambda o: o.opened or 0)
    if side is not None and year is not None:
        kept = [o for o in dated if _in_range(o.opened or 0, side, year)]
        lead = OFFICES_OPENED[lang].format(
            n=len(kept), total=total, when=OPENED_WHEN[side][lang].format(year=year)
        )
    else:
        kept = dated
        lead = OFFICES_OPENINGS[lang].format(total=total)
    statements = [Statement(lead, None, "lead")]
    for office in kept:
        note = office.text("opened_note", lang)
        said = note.split(". ")[0].rstrip(".")
        if not DISAGREEMENT.search(fold(said)):  # "Dates differ: December 2021 (embassy), April 2022 (press)"
            said = said.split("; ")[0]  # "created on 1 January 2010 in Rio de Janeiro", not its whole story
        value = f"{office.opened} — {said}" if said else str(office.opened)
        text = OFFICE_ITEM[lang].format(city=office.text("city", lang), value=value)
        statements.append(Statement(text, _backing(note or value, office, ctx), "item"))
    unknown = [o.text("city", lang) for o in active if not o.opened]
    if unknown and side is None:
        statements.append(
            Statement(OPENINGS_UNKNOWN[lang].format(cities=join_names(unknown, lang)), None, "then")
        )
    return Part(sub, "answered", tuple(statements))


_SHARED = re.compile(r"\b(partag\w*|shar(e|ed|es|ing)|organismes|organi[sz]ations)\b")


def host_kind(folded: str) -> str | None:
    """The kind of host a question asks about: "university" ("housed at a uni"), "embassy" or None."""
    return next((kind for kind, pattern in _HOST_KINDS.items() if pattern.search(folded)), None)


def _in_range(opened: int, side: str, year: int) -> bool:
    if side == "since":
        return opened >= year
    if side == "in":
        return opened == year
    return opened > year if side == "after" else opened < year


_HOSTED = re.compile(r"\b(heberg\w*|install\w*|housed|hosted|based|sit|sits|located|situes?|loge\w*)\b")
_HOST_KINDS = {
    "university": re.compile(r"\b(universit\w*|uni|campus|fac)\b"),
    "embassy": re.compile(r"\b(ambassades?|embass\w*)\b"),
}
# "since 2010" counts 2010, "after 2010" does not; a year alone ("opened in 2011") is that year
_SIDES = {
    "since": re.compile(r"\b(since|depuis|from|a partir de|starting|des)\b"),
    "after": re.compile(r"\b(after|apres|later than|plus tard que)\b"),
    "before": re.compile(r"\b(before|avant|earlier than|prior to)\b"),
}
