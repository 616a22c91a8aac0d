"""Checks on the document corpus: front matter, bilingual pairing, source footnotes, YAML directories, coverage.

Only stdlib + PyYAML; the project package is not imported. Schemas: docs/corpus-guide.md.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from assistant.entities import REGIONS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DEV_FILE = Path(__file__).resolve().parent / "data" / "dev.jsonl"
FACTS_DIR = Path(__file__).parents[1] / ".." / "shared" / "facts"
SEED_FILE = Path(__file__).parents[1] / ".." / "shared" / "reference" / "seed-derci.txt"

LANGS = ("fr", "en")
TOPICS = {
    "derci",
    "missions",
    "office",
    "network",
    "delegations",
    "europe",
    "irc",
    "africa",
    "tools",
    "guide",
    "faq",
    "glossary",
}
REQUIRED_KEYS = ("title", "lang", "topic", "counterpart", "sources", "updated", "summary")
CURRENT_OFFICES = (
    "washington",
    "ottawa",
    "south-america",
    "brussels",
    "pretoria",
    "nairobi",
    "new-delhi",
    "beijing",
    "tokyo",
    "singapore",
    "melbourne",
)
FORMER_OFFICES = ("new-york", "santiago", "hanoi", "johannesburg", "moscow", "malta")
FIXED_SLUGS = [f"office-{o}" for o in CURRENT_OFFICES] + [
    "former-offices",
    "derci",
    "derci-missions",
    "office-network",
    "delegations-monitoring",
    "europe",
    "international-research-centres",
    "africa",
    "tools-overview",
    "tool-iea",
    "tool-irp",
    "tool-irn",
    "tool-irl",
    "tool-joint-phd",
    "tool-other",
    "choosing-a-tool",
    "guide-partner-abroad",
    "guide-first-steps",
    "faq",
    "glossary",
]
# Offices named in ../shared/reference/seed-derci.txt, as the seed spells them.
SEED_OFFICES = (
    "Washington",
    "Pretoria",
    "Bruxelles",
    "Pékin",
    "New Delhi",
    "Singapour",
    "Tokyo",
    "Rio de Janeiro",
)
STATUSES = {"active", "moved", "closed"}
STAGES = {"emerging", "consolidating", "network", "structure", "training", "other"}
URL_RE = re.compile(r"^https?://\S+$")
FACT_URL_RE = re.compile(r"https?://[^\s)]+")
CODE_RE = re.compile(r"^[A-Z]{2}$")
# Source footnotes (docs/corpus-guide.md): a line ends with " [^1]" or " [^1] [^4]"; definitions "[^1]: URL"
# close the file, after a blank line.
FOOTNOTE_RE = re.compile(r"\[\^([^\]]*)\]")
TRAILING_REFS_RE = re.compile(r"(?<=\S)(?: \[\^[1-9][0-9]*\])+$")
DEFINITION_RE = re.compile(r"^\[\^([^\]]*)\]:(.*)$")
TABLE_SEPARATOR_RE = re.compile(r"^\|[\s:|-]+\|$")
# The share of sentence lines that must carry a source (their own or their heading's). A line may rightly
# carry none: a gap whose LACUNE bullet has no URL ("Aucune source consultée ne ..."), a pointer to another
# page. The pages below have more of those than 5 %: measured share (floored) and why.
FOOTNOTE_COVERAGE = 0.95
FOOTNOTE_COVERAGE_EXCEPTIONS: dict[str, tuple[float, str]] = {
    "faq": (0.68, "30 'Détails : page ...' lines point to the detailed page; 2 gaps without URL"),
    "tool-other": (
        0.89,
        "4 gaps with no LACUNE bullet (OHM, PRC successor, exchanges today, IRC call), 3 pointers",
    ),
    "former-offices": (
        0.90,
        "5 gaps (closing dates, Johannesburg and Moscow opening) without URL, 2 pointers",
    ),
    "tools-overview": (0.92, "3 pointers or editorial cautions, 1 gap (date of the 2019-2020 reform)"),
    "guide-first-steps": (0.93, "5 lines introducing the guide's sections or pointing to other pages"),
    "office-nairobi": (0.94, "2 gaps with no LACUNE bullet (full list of countries, host institution)"),
    "tool-iea": (
        0.94,
        "4 gaps with no LACUNE bullet (amounts after 2021, salaries, later deadlines, examples)",
    ),
}


# ---------------------------------------------------------------------------------------------------------------
# helpers


def normalize(text: str) -> str:
    """NFKD, strip combining marks, lower-case (the comparison of ../shared/eval/README.md)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def norm_form(text: str) -> str:
    """normalize() plus collapsed whitespace, for comparing names and aliases."""
    return " ".join(normalize(text).split())


def split_front_matter(text: str) -> tuple[str | None, str]:
    """Return (front matter YAML text or None, body)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1 :])
    return None, text


def load_documents() -> dict[str, dict]:
    """id ('fr/slug') -> {'path', 'lang', 'slug', 'meta' (dict or None), 'error', 'body'}."""
    docs: dict[str, dict] = {}
    for lang in LANGS:
        folder = CORPUS / lang
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.md")):
            text = path.read_text(encoding="utf-8")
            fm, body = split_front_matter(text)
            meta, error = None, None
            if fm is None:
                error = "no front matter delimited by '---' lines"
            else:
                try:
                    meta = yaml.safe_load(fm)
                except yaml.YAMLError as exc:
                    error = f"front matter is not valid YAML: {exc}"
                if error is None and not isinstance(meta, dict):
                    error = "front matter is not a mapping"
                    meta = None
            docs[f"{lang}/{path.stem}"] = {
                "path": path,
                "lang": lang,
                "slug": path.stem,
                "meta": meta,
                "error": error,
                "body": body,
            }
    return docs


DOCS = load_documents()
DOC_IDS = sorted(DOCS)


def load_yaml(name: str):
    path = CORPUS / name
    assert path.is_file(), f"corpus/{name} is missing"
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def meta_of(doc_id: str) -> dict:
    doc = DOCS[doc_id]
    assert doc["error"] is None, f"{doc['path'].relative_to(ROOT)}: {doc['error']}"
    return doc["meta"]


def require_docs():
    if not DOCS:
        pytest.skip("no corpus/fr/*.md or corpus/en/*.md documents yet")


def check_bilingual(value, where: str, errors: list[str], nullable: bool = False) -> None:
    """A {fr: str, en: str} mapping with non-empty strings (or None when nullable)."""
    if value is None:
        if not nullable:
            errors.append(f"{where}: must be {{fr, en}}, got null")
        return
    if not isinstance(value, dict) or set(value) != {"fr", "en"}:
        errors.append(f"{where}: must be a mapping with exactly the keys fr and en, got {value!r}")
        return
    for lang in LANGS:
        if not isinstance(value[lang], str) or not value[lang].strip():
            errors.append(f"{where}.{lang}: must be a non-empty string, got {value[lang]!r}")


def check_keys(entry: dict, where: str, required: set[str], optional: set[str], errors: list[str]) -> None:
    missing = required - set(entry)
    unknown = set(entry) - required - optional
    if missing:
        errors.append(f"{where}: missing keys {sorted(missing)}")
    if unknown:
        errors.append(f"{where}: unknown keys {sorted(unknown)}")


def check_sources(value, where: str, errors: list[str]) -> None:
    if not isinstance(value, list) or not value:
        errors.append(f"{where}: sources must be a non-empty list of URLs, got {value!r}")
        return
    for url in value:
        if not isinstance(url, str) or not URL_RE.match(url):
            errors.append(f"{where}: source {url!r} is not an http(s) URL")


def check_pages(value, where: str, errors: list[str]) -> None:
    if not isinstance(value, dict) or set(value) != {"fr", "en"}:
        errors.append(f"{where}: pages must be {{fr: fr/<slug>, en: en/<slug>}}, got {value!r}")
        return
    for lang in LANGS:
        page = value[lang]
        if not isinstance(page, str) or not page.startswith(f"{lang}/") or "/" in page[len(lang) + 1 :]:
            errors.append(f"{where}.{lang}: {page!r} is not a '{lang}/<slug>' document id")


def check_country(c, where: str, errors: list[str]) -> None:
    if not isinstance(c, dict):
        errors.append(f"{where}: a country must be a mapping, got {c!r}")
        return
    check_keys(c, where, {"code", "fr", "en", "aliases"}, {"demonyms"}, errors)
    code = c.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        errors.append(f"{where}: code {code!r} is not a 2-letter uppercase ISO 3166-1 alpha-2 code")
    for lang in LANGS:
        if not isinstance(c.get(lang), str) or not c.get(lang, "").strip():
            errors.append(f"{where} ({code}): {lang} name must be a non-empty string")
    aliases = c.get("aliases")
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        errors.append(f"{where} ({code}): aliases must be a list of non-empty strings, got {aliases!r}")
    if "demonyms" in c:
        demonyms = c["demonyms"]
        if not isinstance(demonyms, list) or not all(isinstance(d, str) and d.strip() for d in demonyms):
            errors.append(f"{where} ({code}): demonyms must be a list of non-empty strings, got {demonyms!r}")


def report(errors: list[str], what: str) -> None:
    assert not errors, f"{what}: {len(errors)} problem(s):\n  " + "\n  ".join(errors)


def active_entries(offices_data) -> list[tuple[str, dict]]:
    """(owner label, entry) for active offices and poles: the entries whose countries must be unique."""
    out = [
        (f"office {o.get('id')}", o)
        for o in offices_data.get("offices", [])
        if isinstance(o, dict) and o.get("status") == "active"
    ]
    out += [(f"pole {p.get('id')}", p) for p in offices_data.get("poles", []) if isinstance(p, dict)]
    return out


# ---------------------------------------------------------------------------------------------------------------
# front matter


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_frontmatter_has_required_keys(doc_id):
    meta = meta_of(doc_id)
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    assert not missing, f"{doc_id}: front matter misses {missing}"
    for key in ("title", "summary"):
        assert isinstance(meta[key], str) and meta[key].strip(), f"{doc_id}: {key} must be a non-empty string"


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_frontmatter_lang_matches_folder(doc_id):
    meta = meta_of(doc_id)
    assert meta.get("lang") in LANGS, f"{doc_id}: lang must be fr or en, got {meta.get('lang')!r}"
    assert meta["lang"] == DOCS[doc_id]["lang"], (
        f"{doc_id}: lang {meta['lang']!r} does not match its folder corpus/{DOCS[doc_id]['lang']}/"
    )


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_frontmatter_topic_is_known(doc_id):
    meta = meta_of(doc_id)
    assert meta.get("topic") in TOPICS, f"{doc_id}: topic {meta.get('topic')!r} not in {sorted(TOPICS)}"


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_frontmatter_sources_are_urls(doc_id):
    errors: list[str] = []
    check_sources(meta_of(doc_id).get("sources"), doc_id, errors)
    report(errors, doc_id)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_frontmatter_updated_is_year(doc_id):
    updated = meta_of(doc_id).get("updated")
    assert isinstance(updated, int) and not isinstance(updated, bool) and 1940 <= updated <= 2026, (
        f"{doc_id}: updated must be an int year between 1940 and 2026, got {updated!r}"
    )


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_frontmatter_office_is_known(doc_id):
    meta = meta_of(doc_id)
    if "office" not in meta:
        return
    ids = {o.get("id") for o in load_yaml("offices.yaml").get("offices", [])}
    assert meta["office"] in ids, f"{doc_id}: office {meta['office']!r} is not an id of corpus/offices.yaml"


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_counterpart_exists_and_points_back(doc_id):
    meta = meta_of(doc_id)
    lang, slug = DOCS[doc_id]["lang"], DOCS[doc_id]["slug"]
    other = "en" if lang == "fr" else "fr"
    expected = f"{other}/{slug}"
    counterpart = meta.get("counterpart")
    assert counterpart == expected, (
        f"{doc_id}: counterpart must be {expected!r} (same slug), got {counterpart!r}"
    )
    assert counterpart in DOCS, (
        f"{doc_id}: counterpart {counterpart} does not exist (corpus/{counterpart}.md)"
    )
    back = meta_of(counterpart).get("counterpart")
    assert back == doc_id, f"{counterpart}: counterpart should point back to {doc_id}, got {back!r}"


def test_corpus_fixed_slugs_present():
    require_docs()
    missing = [f"{lang}/{slug}" for slug in FIXED_SLUGS for lang in LANGS if f"{lang}/{slug}" not in DOCS]
    assert not missing, f"documents named in docs/corpus-guide.md are missing: {missing}"


# ---------------------------------------------------------------------------------------------------------------
# source footnotes


def parse_footnotes(body: str) -> dict:
    """A body's lines with their references and its footnote definitions.

    Returns {'lines': [(text without references, [labels], heading level or 0)], 'definitions':
    [(label, url)], 'errors': [...]}; lines and definitions keep their order, labels are ints.
    """
    lines = body.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    start = len(lines)
    while start > 0 and (DEFINITION_RE.match(lines[start - 1]) or not lines[start - 1].strip()):
        start -= 1
    errors: list[str] = []
    definitions: list[tuple[int, str]] = []
    for line in lines[start:]:
        match = DEFINITION_RE.match(line)
        if not match:
            continue
        label, url = match.group(1), match.group(2)
        if not label.isdigit() or label.startswith("0"):
            errors.append(f"definition {line!r}: the label must be a positive integer")
            continue
        if not url.startswith(" ") or url.startswith("  ") or not URL_RE.match(url.strip()):
            errors.append(f"definition {line!r}: expected '[^{label}]: <one http(s) URL>'")
        definitions.append((int(label), url.strip()))
    if definitions and lines[start].strip():
        errors.append("the footnote definitions must follow a blank line")
    out: list[tuple[str, list[int], int]] = []
    for line in lines[:start]:
        match = TRAILING_REFS_RE.search(line)
        text, labels = (
            (line[: match.start()], [int(x) for x in FOOTNOTE_RE.findall(match.group(0))])
            if match
            else (line, [])
        )
        stray = FOOTNOTE_RE.findall(text)
        if stray or DEFINITION_RE.match(line):
            errors.append(f"{line!r}: a reference or definition that is not ' [^n]' at the end of the line")
        heading = re.match(r"^(#{1,6}) ", text)
        out.append((text, labels, len(heading.group(1)) if heading else 0))
    return {"lines": out, "definitions": definitions, "errors": errors}


FOOTNOTES = {doc_id: parse_footnotes(doc["body"]) for doc_id, doc in DOCS.items()}


def sentence_lines(notes: dict) -> list[tuple[str, bool]]:
    """(text, cited) for each line of a parsed body that states something: paragraph lines, list items, table
    rows but the header; cited when the line carries a reference or a heading above it does (a heading's
    references cover its section, subsections included, down to the next heading of the same or a higher level).
    """
    rows = notes["lines"]
    out = []
    heading_refs: dict[int, bool] = {}
    for i, (text, labels, level) in enumerate(rows):
        stripped = text.strip()
        if level:
            heading_refs = {lvl: cited for lvl, cited in heading_refs.items() if lvl < level}
            heading_refs[level] = bool(labels)
            continue
        if not stripped or TABLE_SEPARATOR_RE.match(stripped):
            continue
        following = rows[i + 1][0].strip() if i + 1 < len(rows) else ""
        if stripped.startswith("|") and TABLE_SEPARATOR_RE.match(following):
            continue  # a table's header row names columns, it states nothing
        out.append((stripped, bool(labels) or any(heading_refs.values())))
    return out


def test_footnotes_heading_reference_covers_its_section_only():
    body = (
        "# Page\n\n## Section A [^1]\n\nFirst line.\n\n### Subsection A.1\n\nSecond line.\n\n"
        "## Section B\n\n### Subsection B.1 [^1]\n\nThird line.\n\n"
        "## Section C\n\nFourth line.\nFifth line. [^1]\n\n| Column |\n|---|\n| row |\n\n"
        "[^1]: https://example.org/source\n"
    )
    notes = parse_footnotes(body)
    assert not notes["errors"], notes["errors"]
    assert sentence_lines(notes) == [
        ("First line.", True),
        ("Second line.", True),
        ("Third line.", True),
        ("Fourth line.", False),
        ("Fifth line.", True),
        ("| row |", False),
    ]


def test_footnotes_reference_inside_a_line_is_an_error():
    notes = parse_footnotes("Some text [^1] and more text.\n\n[^1]: https://example.org/source\n")
    assert notes["errors"] and "at the end of the line" in notes["errors"][0], notes["errors"]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_footnotes_labels_defined_used_and_numbered(doc_id):
    notes = FOOTNOTES[doc_id]
    errors = list(notes["errors"])
    defined = [label for label, _ in notes["definitions"]]
    dupes = sorted({label for label in defined if defined.count(label) > 1})
    if dupes:
        errors.append(f"labels defined more than once: {dupes}")
    used: list[int] = []
    for _, labels, _ in notes["lines"]:
        used.extend(label for label in labels if label not in used)
    if sorted(set(used) - set(defined)):
        errors.append(f"labels used but not defined: {sorted(set(used) - set(defined))}")
    if sorted(set(defined) - set(used)):
        errors.append(f"labels defined but never used: {sorted(set(defined) - set(used))}")
    if used != list(range(1, len(used) + 1)):
        errors.append(f"labels must be numbered from 1 in order of first use, found {used}")
    if defined != sorted(defined):
        errors.append(f"definitions must be listed in label order, found {defined}")
    report(errors, f"{doc_id} footnotes")


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_footnotes_urls_listed_in_sources(doc_id):
    sources = meta_of(doc_id).get("sources") or []
    missing = [f"[^{label}]: {url}" for label, url in FOOTNOTES[doc_id]["definitions"] if url not in sources]
    assert not missing, f"{doc_id}: footnote URLs missing from the front matter sources: {missing}"


@pytest.mark.parametrize("slug", sorted({doc["slug"] for doc in DOCS.values()}))
def test_footnotes_same_references_in_both_languages(slug):
    if f"fr/{slug}" not in DOCS or f"en/{slug}" not in DOCS:
        pytest.skip(
            f"{slug} exists in one language only (test_counterpart_exists_and_points_back reports it)"
        )
    fr, en = FOOTNOTES[f"fr/{slug}"], FOOTNOTES[f"en/{slug}"]
    assert len(fr["lines"]) == len(en["lines"]), (
        f"{slug}: fr has {len(fr['lines'])} body lines, en {len(en['lines'])}: the pages must be line-parallel"
    )
    differ = [
        f"line {i + 1} of the body: fr {a[1]} {a[0][:50]!r}, en {b[1]} {b[0][:50]!r}"
        for i, (a, b) in enumerate(zip(fr["lines"], en["lines"], strict=True))
        if a[1] != b[1]
    ]
    assert not differ, f"{slug}: lines whose references differ between fr and en:\n  " + "\n  ".join(differ)
    assert fr["definitions"] == en["definitions"], f"{slug}: fr and en define different footnotes"


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_footnotes_urls_come_from_the_fact_base(doc_id):
    if not FACTS_DIR.is_dir():
        pytest.skip(f"fact folder {FACTS_DIR} not found (the shared facts are outside this repository)")
    fact_urls = {
        u for fact in FACTS_DIR.glob("*.md") for u in FACT_URL_RE.findall(fact.read_text(encoding="utf-8"))
    }
    unknown = [
        f"[^{label}]: {url}" for label, url in FOOTNOTES[doc_id]["definitions"] if url not in fact_urls
    ]
    assert not unknown, f"{doc_id}: footnote URLs that no fact in {FACTS_DIR} cites: {unknown}"


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_footnotes_cover_sentence_lines(doc_id):
    lines = sentence_lines(FOOTNOTES[doc_id])
    if not lines:
        return
    uncited = [text for text, cited in lines if not cited]
    share = 1 - len(uncited) / len(lines)
    minimum = FOOTNOTE_COVERAGE_EXCEPTIONS.get(DOCS[doc_id]["slug"], (FOOTNOTE_COVERAGE, ""))[0]
    assert share >= minimum - 1e-9, (
        f"{doc_id}: {share:.0%} of {len(lines)} sentence lines carry a source, expected at least {minimum:.0%}; "
        "uncited:\n  " + "\n  ".join(uncited)
    )


# ---------------------------------------------------------------------------------------------------------------
# offices.yaml


def test_offices_schema_valid():
    data = load_yaml("offices.yaml")
    errors: list[str] = []
    assert isinstance(data, dict) and set(data) == {"offices", "poles"}, (
        "corpus/offices.yaml: top level must have exactly the keys offices and poles"
    )
    required = {
        "id",
        "names",
        "city",
        "city_aliases",
        "host",
        "opened",
        "status",
        "zone",
        "pages",
        "countries",
        "sources",
    }
    optional = {
        "opened_note",
        "status_note",
        "former_countries",
        "former_countries_note",
        "countries_note",
        "aliases",  # other names of the office itself ("bureau de Rio", "CNRS@ASEAN")
        "countries_reconstructed",  # true: no source lists the countries; the list is inferred
        "region",  # the part of the world the office is in: "Quels bureaux en Asie ?"
        "country",  # ISO code of the country the office's city is in: "a museum in Pretoria" -> ZA
    }
    seen: set[str] = set()
    for i, o in enumerate(data["offices"]):
        where = f"corpus/offices.yaml offices[{i}] ({o.get('id') if isinstance(o, dict) else o!r})"
        if not isinstance(o, dict):
            errors.append(f"{where}: must be a mapping")
            continue
        check_keys(o, where, required, optional, errors)
        oid = o.get("id")
        if not isinstance(oid, str) or not re.match(r"^[a-z][a-z-]*$", oid):
            errors.append(f"{where}: id must be a lower-case slug")
        if oid in seen:
            errors.append(f"{where}: duplicate id")
        seen.add(oid)
        for key in ("names", "city", "zone"):
            check_bilingual(o.get(key), f"{where}.{key}", errors)
        check_bilingual(o.get("host"), f"{where}.host", errors, nullable=True)
        for key in ("opened_note", "status_note", "former_countries_note", "countries_note"):
            if key in o:
                check_bilingual(o[key], f"{where}.{key}", errors)
        aliases = o.get("city_aliases")
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            errors.append(f"{where}.city_aliases: must be a list of non-empty strings")
        if "region" in o and o["region"] not in REGIONS:
            errors.append(f"{where}.region: {o['region']!r} not in {sorted(REGIONS)}")
        if "country" in o and not re.fullmatch(r"[A-Z]{2}", str(o["country"])):
            errors.append(f"{where}.country: an ISO 3166 alpha-2 code, got {o['country']!r}")
        if "countries_reconstructed" in o and not isinstance(o["countries_reconstructed"], bool):
            errors.append(f"{where}.countries_reconstructed: must be true or false")
        if o.get("countries_reconstructed") and "countries_note" not in o:
            errors.append(
                f"{where}: a reconstructed country list needs a countries_note saying what is known"
            )
        names = o.get("aliases", [])
        if not isinstance(names, list) or not all(isinstance(a, str) and a.strip() for a in names):
            errors.append(f"{where}.aliases: must be a list of non-empty strings, got {names!r}")
        opened = o.get("opened")
        if opened is not None and (
            not isinstance(opened, int) or isinstance(opened, bool) or not 1900 <= opened <= 2026
        ):
            errors.append(f"{where}.opened: must be an int year or null, got {opened!r}")
        if opened is None and "opened_note" not in o:
            errors.append(f"{where}: opened is null, so opened_note must say the year is undocumented")
        status = o.get("status")
        if status not in STATUSES:
            errors.append(f"{where}.status: {status!r} not in {sorted(STATUSES)}")
        if status in ("moved", "closed") and "status_note" not in o:
            errors.append(f"{where}: a {status} office needs a status_note with dates")
        check_pages(o.get("pages"), f"{where}.pages", errors)
        pages = o.get("pages") if isinstance(o.get("pages"), dict) else {}
        if status == "active":
            expected = {lang: f"{lang}/office-{oid}" for lang in LANGS}
            if pages != expected:
                errors.append(f"{where}.pages: an active office's pages must be {expected}, got {pages}")
        elif status in ("moved", "closed"):
            expected = {lang: f"{lang}/former-offices" for lang in LANGS}
            if pages != expected:
                errors.append(f"{where}.pages: a former office's pages must be {expected}, got {pages}")
            if o.get("countries"):
                errors.append(f"{where}.countries: a former office covers no country today (must be [])")
        countries = o.get("countries")
        if not isinstance(countries, list):
            errors.append(f"{where}.countries: must be a list")
        else:
            for j, c in enumerate(countries):
                check_country(c, f"{where}.countries[{j}]", errors)
        former = o.get("former_countries", [])
        if not isinstance(former, list):
            errors.append(f"{where}.former_countries: must be a list")
        else:
            for j, c in enumerate(former):
                check_country(c, f"{where}.former_countries[{j}]", errors)
            if former and "former_countries_note" not in o:
                errors.append(f"{where}: former_countries needs a former_countries_note")
        check_sources(o.get("sources"), where, errors)
    for i, p in enumerate(data["poles"]):
        where = f"corpus/offices.yaml poles[{i}] ({p.get('id') if isinstance(p, dict) else p!r})"
        if not isinstance(p, dict):
            errors.append(f"{where}: must be a mapping")
            continue
        check_keys(p, where, {"id", "names", "note", "pages", "countries", "sources"}, set(), errors)
        if p.get("id") in seen:
            errors.append(f"{where}: id {p.get('id')!r} already used by an office or pole")
        seen.add(p.get("id"))
        check_bilingual(p.get("names"), f"{where}.names", errors)
        check_bilingual(p.get("note"), f"{where}.note", errors)
        check_pages(p.get("pages"), f"{where}.pages", errors)
        countries = p.get("countries")
        if not isinstance(countries, list) or not countries:
            errors.append(f"{where}.countries: must be a non-empty list")
        else:
            for j, c in enumerate(countries):
                check_country(c, f"{where}.countries[{j}]", errors)
        check_sources(p.get("sources"), where, errors)
    report(errors, "corpus/offices.yaml schema")


def test_offices_expected_ids_and_statuses():
    offices = {o["id"]: o for o in load_yaml("offices.yaml")["offices"]}
    missing = [o for o in CURRENT_OFFICES + FORMER_OFFICES if o not in offices]
    assert not missing, f"corpus/offices.yaml: missing offices {missing}"
    wrong = [o for o in CURRENT_OFFICES if offices[o]["status"] != "active"]
    assert not wrong, f"corpus/offices.yaml: current offices not active: {wrong}"
    wrong = [o for o in FORMER_OFFICES if offices[o]["status"] not in ("moved", "closed")]
    assert not wrong, f"corpus/offices.yaml: former offices must be moved or closed: {wrong}"
    extra = [o for o, e in offices.items() if e["status"] == "active" and o not in CURRENT_OFFICES]
    assert not extra, f"corpus/offices.yaml: unexpected active offices {extra}"


def test_offices_seed_offices_present():
    if SEED_FILE.is_file():
        seed = normalize(SEED_FILE.read_text(encoding="utf-8"))
        absent = [name for name in SEED_OFFICES if normalize(name) not in seed]
        assert not absent, f"{SEED_FILE}: expected office names {absent} no longer appear in the seed"
    offices = load_yaml("offices.yaml")["offices"]
    missing = []
    for name in SEED_OFFICES:
        hits = [
            o["id"]
            for o in offices
            if o.get("status") == "active"
            and norm_form(name)
            in {norm_form(x) for x in [o["city"]["fr"], o["city"]["en"], *o.get("city_aliases", [])]}
        ]
        if len(hits) != 1:
            missing.append(f"{name} -> {hits}")
    assert not missing, (
        f"corpus/offices.yaml: seed offices without exactly one active office entry: {missing}"
    )


def test_offices_current_have_pages_in_both_languages():
    require_docs()
    missing = [
        f"{lang}/office-{o}" for o in CURRENT_OFFICES for lang in LANGS if f"{lang}/office-{o}" not in DOCS
    ]
    assert not missing, f"current offices without a page: {missing} (expected corpus/<lang>/office-<id>.md)"


def test_offices_pages_exist():
    require_docs()
    data = load_yaml("offices.yaml")
    missing = []
    for kind in ("offices", "poles"):
        for entry in data[kind]:
            for lang in LANGS:
                page = entry["pages"][lang]
                if page not in DOCS:
                    missing.append(f"{kind[:-1]} {entry['id']}: {page}")
    assert not missing, f"corpus/offices.yaml pages entries without a document: {sorted(set(missing))}"


def test_countries_codes_unique_across_active_offices_and_poles():
    data = load_yaml("offices.yaml")
    owners: dict[str, list[str]] = {}
    bad = []
    for label, entry in active_entries(data):
        for c in entry.get("countries", []):
            code = c.get("code")
            if not isinstance(code, str) or not CODE_RE.match(code):
                bad.append(f"{label}: {code!r}")
            owners.setdefault(code, []).append(label)
    assert not bad, f"corpus/offices.yaml: country codes that are not 2-letter uppercase: {bad}"
    dupes = {code: labels for code, labels in owners.items() if len(labels) > 1}
    assert not dupes, (
        f"corpus/offices.yaml: country codes listed more than once (active offices + poles): {dupes}"
    )


def all_country_entries(offices_data) -> list[tuple[str, dict]]:
    """(owner label, country) for every country and former country of every office and pole."""
    out = []
    for kind in ("offices", "poles"):
        for entry in offices_data.get(kind, []):
            if not isinstance(entry, dict):
                continue
            for key in ("countries", "former_countries"):
                for c in entry.get(key) or []:
                    if isinstance(c, dict):
                        out.append((f"{kind[:-1]} {entry.get('id')}.{key}", c))
    return out


def test_countries_aliases_resolve_to_one_entry():
    data = load_yaml("offices.yaml")
    forms: dict[str, set[tuple[str, str]]] = {}
    for label, entry in active_entries(data):
        for c in entry.get("countries", []):
            for form in [c.get("fr", ""), c.get("en", ""), *c.get("aliases", []), *c.get("demonyms", [])]:
                forms.setdefault(norm_form(form), set()).add((label, c.get("code")))
    shared = {form: sorted(owners) for form, owners in forms.items() if len(owners) > 1}
    assert not shared, (
        f"corpus/offices.yaml: names/aliases/demonyms shared by several countries or entries: {shared}"
    )
    # Demonyms ("argentin", "Kenyan") across every entry, former countries included: each folded form names
    # exactly one country code, and never repeats a country's name or alias (its own included: redundant).
    names: dict[str, set[str]] = {}
    demonyms: dict[str, set[str]] = {}
    for _, c in all_country_entries(data):
        for form in [c.get("fr", ""), c.get("en", ""), *c.get("aliases", [])]:
            names.setdefault(norm_form(form), set()).add(c.get("code"))
        for form in c.get("demonyms", []):
            demonyms.setdefault(norm_form(form), set()).add(c.get("code"))
    ambiguous = {form: sorted(codes) for form, codes in demonyms.items() if len(codes) > 1}
    assert not ambiguous, f"corpus/offices.yaml: demonyms given to several countries: {ambiguous}"
    as_names = {
        form: (sorted(codes), sorted(names[form])) for form, codes in demonyms.items() if form in names
    }
    assert not as_names, (
        f"corpus/offices.yaml: demonyms equal to a country name or alias (demonym of, name of): {as_names}"
    )


def test_countries_seed_regions_covered():
    """Spot checks of the orientation table (bureaux-reseau.md section 4)."""
    data = load_yaml("offices.yaml")
    where = {}
    for _label, entry in active_entries(data):
        for c in entry.get("countries", []):
            where[c["code"]] = entry["id"]
    expected = {
        "US": "washington",
        "MX": "washington",
        "CA": "ottawa",
        "BR": "south-america",
        "AR": "south-america",
        "CL": "south-america",
        "JP": "tokyo",
        "KR": "tokyo",
        "TW": "tokyo",
        "CN": "beijing",
        "HK": "beijing",
        "MO": "beijing",
        "MN": "beijing",
        "TH": "singapore",
        "VN": "singapore",
        "MM": "singapore",
        "AU": "melbourne",
        "NZ": "melbourne",
        "IN": "new-delhi",
        "ZA": "pretoria",
        "BW": "pretoria",
        "KE": "nairobi",
        "RU": "europe-bilateral",
        "DE": "europe-bilateral",
        "MA": "africa-middle-east-india",
        "SN": "africa-middle-east-india",
        "LB": "africa-middle-east-india",
    }
    wrong = {
        code: (where.get(code), office) for code, office in expected.items() if where.get(code) != office
    }
    assert not wrong, (
        f"corpus/offices.yaml: countries routed differently from the facts (got, expected): {wrong}"
    )
    singapore = [c for c in dict(active_entries(data))["office singapore"]["countries"]]
    assert len(singapore) == 10, (
        f"corpus/offices.yaml: Singapore must list the 10 ASEAN countries, has {len(singapore)}"
    )
    pretoria = dict(active_entries(data))["office pretoria"]["countries"]
    assert len(pretoria) == 13, (
        f"corpus/offices.yaml: Pretoria must list 13 Southern African countries, has {len(pretoria)}"
    )


# ---------------------------------------------------------------------------------------------------------------
# tools.yaml


def test_tools_schema_valid():
    data = load_yaml("tools.yaml")
    assert isinstance(data, dict) and set(data) == {"tools"}, (
        "corpus/tools.yaml: top level must be {tools: [...]}"
    )
    errors: list[str] = []
    required = {
        "id",
        "acronym",
        "names",
        "replaced",
        "purpose",
        "stage",
        "stage_note",
        "duration",
        "renewable",
        "funding",
        "who",
        "call",
        "page",
        "sources",
    }
    seen = set()
    for i, t in enumerate(data["tools"]):
        where = f"corpus/tools.yaml tools[{i}] ({t.get('id') if isinstance(t, dict) else t!r})"
        if not isinstance(t, dict):
            errors.append(f"{where}: must be a mapping")
            continue
        check_keys(t, where, required, {"aliases"}, errors)
        aliases = t.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            errors.append(f"{where}.aliases: must be a list of non-empty names, got {aliases!r}")
        if t.get("id") in seen:
            errors.append(f"{where}: duplicate id")
        seen.add(t.get("id"))
        if not isinstance(t.get("id"), str) or not re.match(r"^[a-z][a-z-]*$", t.get("id", "")):
            errors.append(f"{where}: id must be a lower-case slug")
        if t.get("acronym") is not None and (not isinstance(t["acronym"], str) or not t["acronym"].strip()):
            errors.append(f"{where}.acronym: must be a non-empty string or null")
        check_bilingual(t.get("names"), f"{where}.names", errors)
        check_bilingual(t.get("purpose"), f"{where}.purpose", errors)
        for key in ("stage_note", "duration", "renewable", "funding", "who", "call"):
            check_bilingual(t.get(key), f"{where}.{key}", errors, nullable=True)
        if t.get("stage") not in STAGES:
            errors.append(f"{where}.stage: {t.get('stage')!r} not in {sorted(STAGES)}")
        replaced = t.get("replaced")
        if replaced is not None:
            if not isinstance(replaced, dict) or set(replaced) != {"acronym", "names"}:
                errors.append(f"{where}.replaced: must be null or {{acronym, names}}, got {replaced!r}")
            else:
                if not isinstance(replaced["acronym"], str) or not replaced["acronym"].strip():
                    errors.append(f"{where}.replaced.acronym: must be a non-empty string")
                check_bilingual(replaced["names"], f"{where}.replaced.names", errors)
        page = t.get("page")
        if isinstance(page, dict):
            check_pages(page, f"{where}.page", errors)
        else:
            errors.append(f"{where}.page: must be {{fr: fr/<slug>, en: en/<slug>}}")
        check_sources(t.get("sources"), where, errors)
    report(errors, "corpus/tools.yaml schema")


def test_tools_core_tools_present():
    tools = {t["id"]: t for t in load_yaml("tools.yaml")["tools"]}
    missing = [t for t in ("iea", "irp", "irn", "irl", "joint-phd", "irc") if t not in tools]
    assert not missing, f"corpus/tools.yaml: missing tools {missing}"
    replaced = {tid: (tools[tid]["replaced"] or {}).get("acronym") for tid in ("iea", "irp", "irn", "irl")}
    assert replaced == {"iea": "PICS", "irp": "LIA", "irn": "GDRI", "irl": "UMI"}, (
        f"corpus/tools.yaml: predecessors must be PICS/LIA/GDRI/UMI, got {replaced}"
    )


def test_tools_pages_exist():
    require_docs()
    missing = sorted(
        {
            f"{t['id']}: {t['page'][lang]}"
            for t in load_yaml("tools.yaml")["tools"]
            for lang in LANGS
            if t["page"][lang] not in DOCS
        }
    )
    assert not missing, f"corpus/tools.yaml page entries without a document: {missing}"


# ---------------------------------------------------------------------------------------------------------------
# glossary.yaml


def test_glossary_schema_valid():
    data = load_yaml("glossary.yaml")
    assert isinstance(data, dict) and set(data) == {"terms"}, (
        "corpus/glossary.yaml: top level must be {terms: [...]}"
    )
    terms = data["terms"]
    errors: list[str] = []
    # A sanity range, not a quota: the glossary also holds the question words that mean the documents'
    # words ("progression" for "gradation"), which grows with the questions users ask.
    if not isinstance(terms, list) or not 80 <= len(terms) <= 250:
        errors.append(
            f"corpus/glossary.yaml: expected 80-250 terms, got {len(terms) if isinstance(terms, list) else terms!r}"
        )
        terms = terms if isinstance(terms, list) else []
    seen = set()
    for i, term in enumerate(terms):
        where = f"corpus/glossary.yaml terms[{i}] ({term.get('fr') if isinstance(term, dict) else term!r})"
        if not isinstance(term, dict):
            errors.append(f"{where}: must be a mapping")
            continue
        check_keys(term, where, {"fr", "en"}, {"aliases", "definition", "note"}, errors)
        for lang in LANGS:
            if not isinstance(term.get(lang), str) or not term.get(lang, "").strip():
                errors.append(f"{where}.{lang}: must be a non-empty string")
        aliases = term.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            errors.append(f"{where}.aliases: must be a list of non-empty strings")
        for key in ("definition", "note"):
            if key in term:
                check_bilingual(term[key], f"{where}.{key}", errors)
        pair = (norm_form(str(term.get("fr"))), norm_form(str(term.get("en"))))
        if pair in seen:
            errors.append(f"{where}: duplicate term")
        seen.add(pair)
    report(errors, "corpus/glossary.yaml schema")


def test_glossary_required_terms_present():
    forms = set()
    for term in load_yaml("glossary.yaml")["terms"]:
        forms.update(norm_form(x) for x in [term["fr"], term["en"], *term.get("aliases", [])])
    required = [
        "DERCI",
        "DEI",
        "DRI",
        "DREI",
        "IRL",
        "UMI",
        "IRP",
        "LIA",
        "IRN",
        "GDRI",
        "IEA",
        "PICS",
        "IRC",
        "ERC",
        "PCRD",
        "Horizon Europe",
        "antenne",
        "branch",
        "appel à projets",
        "call for proposals",
        "thèse en cotutelle",
        "Joint PhD",
        "laboratoire",
        "laboratory",
        "directeur",
        "director",
        "délégation",
        "delegation",
        "veille",
        "monitoring",
        "Pékin",
        "Beijing",
        "Singapour",
        "Singapore",
        "Bruxelles",
        "Brussels",
        "New Delhi",
        "Delhi",
        "São Paulo",
        "Sao Paulo",
        "Rio de Janeiro",
        "pays",
        "country",
        "ouverture",
        "opening",
        "financement",
        "funding",
        "durée",
        "duration",
        "renouvelable",
        "renewable",
        "Afrique australe",
        "Southern Africa",
        "Asie du Sud-Est",
        "South-East Asia",
        "Amérique du Sud",
        "South America",
    ]
    missing = [r for r in required if norm_form(r) not in forms]
    assert not missing, f"corpus/glossary.yaml: terms missing (as fr, en or alias): {missing}"


# ---------------------------------------------------------------------------------------------------------------
# coverage of the development set and of the fact files


def load_dev() -> list[dict]:
    assert DEV_FILE.is_file(), f"{DEV_FILE} is missing (copy of ../shared/eval/dev.jsonl)"
    with DEV_FILE.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_coverage_dev_expected_groups_in_corpus():
    require_docs()
    texts = []
    for doc in DOCS.values():
        title = str((doc["meta"] or {}).get("title", ""))
        texts.append(normalize(f"{title}\n{doc['body']}"))
    missing = []
    for q in load_dev():
        if q.get("category") == "out_of_scope" or not q.get("expected"):
            continue
        for group in q["expected"]:
            if not any(normalize(alt) in text for alt in group for text in texts):
                missing.append(f"{q['id']} ({q['fact_file']}): none of {group}")
    assert not missing, "dev questions whose expected answer occurs in no document:\n  " + "\n  ".join(
        missing
    )


def test_sources_every_fact_file_cited():
    if not FACTS_DIR.is_dir():
        pytest.skip(f"fact folder {FACTS_DIR} not found (the shared facts are outside this repository)")
    require_docs()
    cited = set()
    for doc in DOCS.values():
        if doc["meta"] and isinstance(doc["meta"].get("sources"), list):
            cited.update(u for u in doc["meta"]["sources"] if isinstance(u, str))
    uncited = []
    for fact in sorted(FACTS_DIR.glob("*.md")):
        urls = set(FACT_URL_RE.findall(fact.read_text(encoding="utf-8")))
        if urls and not urls & cited:
            uncited.append(fact.name)
    assert not uncited, f"fact files with no URL in any document's sources: {uncited}"
