"""Structured knowledge from the corpus directories: offices (country -> office), tools, glossary.

Pure look-ups over plain values; `load_*` functions are the only ones that read the YAML files.
A missing directory file yields an empty directory: the assistant then answers from documents only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.analysis import STOP_WORDS, content_words, fold, stems
from assistant.cities import CITIES
from assistant.errors import ConfigError


@dataclass(frozen=True)
class Country:
    code: str
    names: Mapping[str, str]  # lang -> name
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()  # "argentin", "Japanese": how questions often name a country

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or self.code


@dataclass(frozen=True)
class Office:
    """An office of the CNRS abroad (active, moved or closed), or a headquarters pole (kind='pole')."""

    id: str
    names: Mapping[str, str]
    city: Mapping[str, str] = field(default_factory=dict)
    city_aliases: tuple[str, ...] = ()
    host: Mapping[str, str] | None = None
    opened: int | None = None
    opened_note: Mapping[str, str] | None = None
    status: str = "active"
    status_note: Mapping[str, str] | None = None
    zone: Mapping[str, str] = field(default_factory=dict)
    pages: Mapping[str, str] = field(default_factory=dict)
    countries: tuple[Country, ...] = ()
    sources: tuple[str, ...] = ()
    kind: str = "office"
    note: Mapping[str, str] | None = None
    aliases: tuple[str, ...] = ()  # other names of the office itself: CNRS@ASEAN, "bureau de Rio"
    countries_note: Mapping[str, str] | None = None
    countries_reconstructed: bool = False  # the sources name the region; `countries` lists its states
    region: str = ""  # the part of the world it is in, a key of `entities._REGIONS` ("asia")
    country: str = ""  # ISO code of the country its city is in ("JP")

    def host_country(self) -> Country | None:
        """The country its city is in, when it is one of the countries it covers."""
        return next((c for c in self.countries if self.country and c.code == self.country), None)

    def text(self, attr: str, lang: str) -> str:
        value = getattr(self, attr)
        if not value:
            return ""
        return str(value.get(lang) or value.get("en") or value.get("fr") or "")

    def page(self, lang: str) -> str:
        return self.pages.get(lang) or next(iter(self.pages.values()), "")


@dataclass(frozen=True)
class Tool:
    id: str
    acronym: str
    names: Mapping[str, str]
    stage: str
    fields: Mapping[str, Any]
    replaced: str | None = None
    pages: Mapping[str, str] = field(default_factory=dict)

    def text(self, key: str, lang: str) -> str:
        value = self.fields.get(key)
        if isinstance(value, Mapping):
            return str(value.get(lang) or value.get("en") or value.get("fr") or "")
        return "" if value is None else str(value)

    def page(self, lang: str) -> str:
        return self.pages.get(lang) or next(iter(self.pages.values()), "")


@dataclass(frozen=True)
class PlaceMatch:
    """A place named in a text: a country (with the office or pole covering it) or an office city."""

    surface: str
    office: Office
    country: Country | None = None
    by_city: bool = False  # the country named by one of its cities ("Montréal"), not by its name


class OfficeDirectory:
    """Country and city look-ups over offices.yaml."""

    def __init__(self, offices: Sequence[Office]) -> None:
        self.offices = tuple(offices)
        self._patterns: list[tuple[re.Pattern[str], bool, Office, Country | None]] = []
        entries: list[tuple[str, Office, Country | None]] = []  # alias, office, country (None: a city)
        office_cities = {
            fold(alias)
            for office in self.offices
            if office.kind == "office"
            for alias in {*office.city.values(), *office.city_aliases, *office.aliases}
        }
        for office in self.offices:
            if office.status == "active" or office.kind == "pole":
                for country in office.countries:
                    entries.extend(
                        (alias, office, country)
                        for alias in {*country.names.values(), *country.aliases, *country.demonyms}
                    )
                    # "a team in Montréal": the city's country (an office's own city keeps its office)
                    entries.extend(
                        (city, office, country)
                        for city in CITIES.get(country.code, ())
                        if fold(city) not in office_cities
                    )
            if office.kind == "office" and office.status == "active":
                for alias in {*office.city.values(), *office.city_aliases, *office.aliases}:
                    entries.append((alias, office, None))
        # One alternation per case mode, longest alias first, so that at any position "Corée du Sud"
        # wins over "Corée" and "Nouvelle-Zélande" over "Zélande"; one regex pass per question.
        self._folded: dict[str, tuple[Office, Country | None]] = {}
        self._exact: dict[str, tuple[Office, Country | None]] = {}  # "US", "UK": not the word "us"
        for alias, office, place in entries:
            exact_case = alias.isupper() and len(alias) <= 4
            table = self._exact if exact_case else self._folded
            table.setdefault(alias if exact_case else fold(alias), (office, place))
        # cities from the gazetteer only; a city the directory itself lists for its country stays a name
        self._cities = {
            fold(city)
            for office in self.offices
            for c in office.countries
            for city in CITIES.get(c.code, ())
            if fold(city) not in {fold(a) for a in (*c.names.values(), *c.aliases, *c.demonyms)}
        }
        self._folded_re = _alternation(self._folded)
        self._exact_re = _alternation(self._exact)
        # Offices that closed or moved, by the cities they were in ("le bureau de Hanoï", "Malta office").
        self._former = {
            fold(alias): office
            for office in self.offices
            if office.kind == "office" and office.status != "active"
            for alias in {*office.city.values(), *office.city_aliases, *office.aliases}
            if alias
        }
        self._former_re = _alternation(self._former)

    def former(self, text: str) -> list[tuple[str, Office]]:
        """Closed or moved offices whose city `text` names, with the words that name it, in order."""
        if self._former_re is None:
            return []
        return [(m.group(0), self._former[m.group(0)]) for m in self._former_re.finditer(fold(text))]

    def by_id(self, office_id: str) -> Office | None:
        return next((o for o in self.offices if o.id == office_id), None)

    def find(self, text: str) -> list[PlaceMatch]:
        """Places named in `text`, in order of appearance, each once."""
        return list(self._find(text))

    # One question is looked up by routing, retrieval and the refusal's contact: a few recent texts
    # are remembered (a handful, so that this is per request rather than a cache of past questions).
    @functools.lru_cache(maxsize=8)
    def _find(self, text: str) -> tuple[PlaceMatch, ...]:
        found: list[tuple[int, PlaceMatch]] = []
        for regex, table, haystack in (
            (self._folded_re, self._folded, fold(text)),
            (self._exact_re, self._exact, text),
        ):
            if regex is None:
                continue
            for m in regex.finditer(haystack):
                office, country = table[m.group(0)]
                by_city = country is not None and fold(m.group(0)) in self._cities
                found.append((m.start(), PlaceMatch(m.group(0), office, country, by_city)))
        seen: set[tuple[str, str]] = set()
        out: list[PlaceMatch] = []
        for _, match in sorted(found, key=lambda f: f[0]):
            key = (match.office.id, match.country.code if match.country else "")
            if key not in seen:
                seen.add(key)
                out.append(match)
        return tuple(out)


def _alternation(table: Mapping[str, object]) -> re.Pattern[str] | None:
    if not table:
        return None
    alternatives = trie_pattern(table)
    # "un mécanisme franco-indien", "the Franco-Japanese agreement": the partner country is named
    return re.compile(rf"(?:(?<![\w-])|(?<=franco-)|(?<=Franco-))(?:{alternatives})(?![\w-])")


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching exactly `words`, as a character trie: at each position the engine follows one
    branch instead of trying 1,700 aliases in turn (15 times faster on a question). Optional parts are
    greedy, so the longest word that fits is tried first, as in an alternation sorted longest first."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(trie)


class ToolDirectory:
    def __init__(self, tools: Sequence[Tool]) -> None:
        self.tools = tuple(tools)

    def by_stage(self, stage: str) -> Tool | None:
        """The current tool for a stage of collaboration (never one that a newer tool replaced)."""
        retired = {t.replaced for t in self.tools if t.replaced}
        return next((t for t in self.tools if t.stage == stage and t.acronym not in retired), None)

    def by_acronym(self, acronym: str) -> Tool | None:
        a = acronym.upper()
        return next((t for t in self.tools if t.acronym.upper() == a), None)


class Glossary:
    """French <-> English terms; `expansions` gives the other forms of the terms a text names."""

    def __init__(self, terms: Iterable[Sequence[str]]) -> None:
        self._groups: list[tuple[str, ...]] = [tuple(g) for g in terms if g]
        # Phrase patterns filed under their first word: a question only tries the few whose first
        # word it contains.
        self._index: dict[str, list[tuple[str, re.Pattern[str], int]]] = {}
        self._by_word: dict[str, set[int]] = {}
        self._exact: list[tuple[str, re.Pattern[str], int]] = []  # short acronyms: "EU", not the French "eu"
        for i, group in enumerate(self._groups):
            for form in group:
                folded = fold(form)
                # single words only: phrases would match loosely; never a stop word ("eu", "us")
                # Short acronyms ("EU", "UMI") are matched case-sensitively below, never by stem.
                short_acronym = form.isupper() and len(form) <= 4
                if re.fullmatch(r"[\w-]{2,}", folded) and folded not in STOP_WORDS and not short_acronym:
                    for stem in stems(folded):  # "heads" finds the group of "head"
                        self._by_word.setdefault(stem, set()).add(i)
                if form.isupper() and len(form) <= 4:
                    self._exact.append((form, re.compile(rf"(?<!\w){re.escape(form)}(?!\w)"), i))
                elif len(folded) >= 2:
                    first = re.findall(r"\w+", folded)[:1]
                    if first:
                        pattern = re.compile(rf"(?<!\w){re.escape(folded)}(?!\w)")
                        self._index.setdefault(first[0], []).append((folded, pattern, i))

    def __len__(self) -> int:
        return len(self._groups)

    @property
    def groups(self) -> tuple[tuple[str, ...], ...]:
        """Every term's forms (French, English, aliases), one tuple per term."""
        return tuple(self._groups)

    def alternatives(self, word: str) -> list[str]:
        """Every form of the terms that contain this word (folded): "pekin" -> Pékin, Beijing, Peking."""
        folded = fold(word)
        groups = {i for stem in stems(folded) for i in self._by_word.get(stem, ())}
        out: list[str] = []
        for i in sorted(groups):
            for form in self._groups[i]:
                # Single words only, and never another acronym: IRP's group also holds LIA, the tool it
                # replaced, which is a different thing for a sentence to talk about.
                if re.fullmatch(r"[\w-]{2,}", fold(form)) and not (
                    _is_acronym(form) and fold(form) != folded
                ):
                    out.append(form)
        return out

    def phrases(self, text: str) -> dict[str, list[str]]:
        """The glossary's phrases a text holds, each with its group's other forms: "set up" -> created..."""
        folded = fold(text)
        out: dict[str, list[str]] = {}
        for word in set(re.findall(r"\w+", folded)):
            for form, pattern, i in self._index.get(word, ()):
                if " " in form and form in folded and pattern.search(folded):
                    out[form] = [f for f in self._groups[i] if fold(f) != form]
        return out

    def expansions(self, text: str) -> list[str]:
        folded = fold(text)
        # A substring test first: the regex (word boundaries) only runs for forms the text contains.
        hit = {
            i
            for word in set(re.findall(r"\w+", folded))
            for form, pattern, i in self._index.get(word, ())
            if form in folded and pattern.search(folded)
        }
        hit |= {i for form, pattern, i in self._exact if form in text and pattern.search(text)}
        for word in content_words(text):  # inflected forms: "heads" reaches the group of "head"
            for stem in stems(word):
                hit |= self._by_word.get(stem, set())
        out: list[str] = []
        for i in sorted(hit):
            out.extend(f for f in self._groups[i] if fold(f) not in folded)
        return out


def _is_acronym(form: str) -> bool:
    return form.isupper() and len(form) <= 6


# -- loading ---------------------------------------------------------------------------------------


def _yaml(path: Path) -> Any:
    if not path.is_file():
        return None
    import yaml

    try:
        # libyaml's safe loader when PyYAML has it: 0.04 s against 0.43 s for the three directories here
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid YAML ({exc}). Fix the file, then restart.") from None


def _langs(value: Any) -> Mapping[str, str]:
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items() if v}
    if value:
        return {"fr": str(value), "en": str(value)}
    return {}


def _countries(rows: Any) -> tuple[Country, ...]:
    out = []
    for row in rows or ():
        if isinstance(row, Mapping) and row.get("code"):
            names = {k: str(row[k]) for k in ("fr", "en") if row.get(k)}
            out.append(
                Country(
                    str(row["code"]),
                    names,
                    tuple(str(a) for a in row.get("aliases") or ()),
                    tuple(str(a) for a in row.get("demonyms") or ()),
                )
            )
    return tuple(out)


def load_offices(path: Path) -> OfficeDirectory:
    data = _yaml(path) or {}
    offices: list[Office] = []
    for kind, key in (("office", "offices"), ("pole", "poles")):
        for row in data.get(key) or ():
            if not isinstance(row, Mapping) or not row.get("id"):
                continue
            opened = row.get("opened")
            offices.append(
                Office(
                    id=str(row["id"]),
                    names=_langs(row.get("names")),
                    city=_langs(row.get("city")),
                    city_aliases=tuple(str(a) for a in row.get("city_aliases") or ()),
                    host=_langs(row.get("host")) or None,
                    opened=opened if isinstance(opened, int) else None,
                    opened_note=_langs(row.get("opened_note")) or None,
                    status=str(row.get("status") or ("active" if kind == "pole" else "closed")),
                    status_note=_langs(row.get("status_note")) or None,
                    zone=_langs(row.get("zone")),
                    pages=_langs(row.get("pages")),
                    countries=_countries(row.get("countries")),
                    sources=tuple(str(s) for s in row.get("sources") or ()),
                    kind=kind,
                    note=_langs(row.get("note")) or None,
                    aliases=tuple(str(a) for a in row.get("aliases") or ()),
                    countries_note=_langs(row.get("countries_note")) or None,
                    countries_reconstructed=bool(row.get("countries_reconstructed")),
                    region=str(row.get("region") or ""),
                    country=str(row.get("country") or ""),
                )
            )
    return OfficeDirectory(offices)


def load_tools(path: Path) -> ToolDirectory:
    data = _yaml(path) or {}
    tools = []
    for row in data.get("tools") or ():
        if not isinstance(row, Mapping) or not (row.get("acronym") or row.get("id")):
            continue
        replaced = row.get("replaced")
        tools.append(
            Tool(
                id=str(row.get("id") or row["acronym"]).lower(),
                acronym=str(row.get("acronym") or ""),
                names=_langs(row.get("names")),
                stage=str(row.get("stage") or "other"),
                fields=dict(row),
                replaced=str(replaced.get("acronym")) if isinstance(replaced, Mapping) else None,
                pages=_langs(row.get("page") or row.get("pages")),
            )
        )
    return ToolDirectory(tools)


def load_glossary(path: Path) -> Glossary:
    data = _yaml(path) or {}
    groups: list[list[str]] = []
    for row in data.get("terms") or ():
        if not isinstance(row, Mapping):
            continue
        forms = [str(row[k]) for k in ("fr", "en") if row.get(k)]
        forms += [str(a) for a in row.get("aliases") or ()]
        # "UMI (unité mixte internationale)" also yields "UMI" and "unité mixte internationale".
        for form in list(forms):
            m = re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", form)
            if m:
                forms += [m.group(1), m.group(2)]
        groups.append(list(dict.fromkeys(f for f in forms if f.strip())))
    return Glossary(groups)
