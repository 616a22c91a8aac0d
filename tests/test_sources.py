"""Per-sentence source URLs: Markdown footnote references read, stored per chunk, found per sentence.

The reader tests read real files written to tmp_path; `urls_for` is tested on the chunks the chunker
makes of them, with sentences split the way the answerer splits them (`answering.split_sentences`).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from assistant.answering import split_sentences
from assistant.chunking import Chunk, chunk_document
from assistant.citations import citation_from_meta
from assistant.config import Settings
from assistant.documents import SourceDocument, read_document
from assistant.index import _flat_meta
from assistant.sources import (
    LINE_SOURCES,
    encode_line_sources,
    http_url,
    parse_definition,
    split_references,
    urls_for,
)

COVID = "https://www.cnrs.fr/fr/cnrsinfo/tokyo-covid-19"
TSUKUBA = "http://qfhxny.com/en/news/20240216132519.html"
JST = "https://tokyo.cnrs.fr/cooperation-japan/"
PAGE = f"""---
title: "Bureau du CNRS à Tokyo"
lang: fr
sources:
  - {JST}
  - {COVID}
  - {TSUKUBA}
---

# Bureau du CNRS à Tokyo

## Direction

Jacques Maleval est le directeur du bureau du CNRS à Tokyo. [^1] [^2]
En février 2024, Jacques Maleval a rencontré la direction de l'Université de Tsukuba. Le sujet était l'IRL J-FAST. [^2]
Les sources consultées ne donnent pas le nom des directeurs avant 2020.

## Partenaires [^3]

- La JSPS est le premier partenaire du CNRS au Japon.
- Le CNRS travaille aussi avec la JST. [^2]

| Pays | Bureau |
|---|---|
| Japon | Tokyo | [^1]

[^1]: {COVID}
[^2]: {TSUKUBA}
[^3]: {JST}
"""


def _read(tmp_path: Path, text: str, name: str = "office-tokyo.md") -> SourceDocument:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, tmp_path)


def _chunks(tmp_path: Path, text: str = PAGE) -> list[Chunk]:
    return chunk_document(_read(tmp_path, text))


def _meta(chunk: Chunk) -> dict[str, object]:
    """The metadata as the store gives it back (what the answerer sees on a hit)."""
    return _flat_meta(chunk)


def _urls(chunks: list[Chunk], sentence: str) -> tuple[str, ...]:
    """The URLs of `sentence`, looked up in the chunk whose text the answerer would take it from."""
    chunk = next(c for c in chunks if sentence in split_sentences(c.text))
    return urls_for(_meta(chunk), sentence)


# --- The line syntax --------------------------------------------------------------------------------


def test_split_references_strips_trailing_references_in_order() -> None:
    assert split_references("Le bureau couvre le Japon. [^2] [^10] [^2]") == (
        "Le bureau couvre le Japon.",
        ("2", "10"),
    )


def test_split_references_leaves_a_line_without_references_alone() -> None:
    assert split_references("Le bureau couvre le Japon [2].") == ("Le bureau couvre le Japon [2].", ())


def test_parse_definition_reads_label_and_target() -> None:
    assert parse_definition(f"[^12]: {JST}  ") == ("12", JST)
    assert parse_definition("Voir [^1]: la note.") is None


def test_http_url_refuses_other_schemes_and_spaces() -> None:
    assert http_url(JST) == JST
    assert http_url("javascript:alert(1)") is None
    assert http_url("https://a.example/x y") is None


# --- The reader -------------------------------------------------------------------------------------


def test_reader_strips_references_from_the_indexed_text(tmp_path: Path) -> None:
    doc = _read(tmp_path, PAGE)
    text = "\n".join(s.text for s in doc.sections)
    assert "[^" not in text
    assert "Jacques Maleval est le directeur du bureau du CNRS à Tokyo.\n" in text
    assert [s.heading_path for s in doc.sections] == [("Direction",), ("Partenaires",)]


def test_reader_drops_definition_lines(tmp_path: Path) -> None:
    doc = _read(tmp_path, PAGE)
    assert not any(COVID in s.text or "]:" in s.text for s in doc.sections)


def test_reader_gives_each_line_its_own_urls(tmp_path: Path) -> None:
    direction = _read(tmp_path, PAGE).sections[0]
    assert direction.sources == (
        ("Jacques Maleval est le directeur du bureau du CNRS à Tokyo.", (COVID, TSUKUBA)),
        (
            "En février 2024, Jacques Maleval a rencontré la direction de l'Université de Tsukuba. "
            "Le sujet était l'IRL J-FAST.",
            (TSUKUBA,),
        ),
        ("Les sources consultées ne donnent pas le nom des directeurs avant 2020.", ()),
    )


def test_reader_heading_references_apply_to_lines_without_their_own(tmp_path: Path) -> None:
    partners = dict(_read(tmp_path, PAGE).sections[1].sources)
    assert partners["- La JSPS est le premier partenaire du CNRS au Japon."] == (JST,)
    assert partners["- Le CNRS travaille aussi avec la JST."] == (TSUKUBA,)
    assert partners["| Japon | Tokyo |"] == (COVID,)


def test_reader_heading_references_reach_subsections(tmp_path: Path) -> None:
    text = (
        f"# Page\n\n## Partenaires [^1]\n\n### Japon\n\nLa JSPS aide le CNRS.\n\n"
        f"## Chiffres\n\nLe CNRS a 11 IRL au Japon.\n\n[^1]: {JST}\n"
    )
    sections = _read(tmp_path, text).sections
    assert [(s.heading_path, s.sources) for s in sections] == [
        (("Partenaires", "Japon"), (("La JSPS aide le CNRS.", (JST,)),)),
        (("Chiffres",), (("Le CNRS a 11 IRL au Japon.", ()),)),
    ]


def test_reader_ignores_an_undefined_label_with_a_warning(tmp_path: Path) -> None:
    text = f"# Page\n\nLe bureau couvre le Japon. [^7]\nLa JSPS aide le CNRS. [^1] [^7]\n\n[^1]: {JST}\n"
    doc = _read(tmp_path, text, "page.md")
    assert doc.sections[0].sources == (("Le bureau couvre le Japon.", ()), ("La JSPS aide le CNRS.", (JST,)))
    assert doc.warnings == ("footnote reference [^7] has no definition: ignored",)


def test_reader_ignores_a_definition_that_is_not_an_http_url(tmp_path: Path) -> None:
    text = f"# Page\n\nLe bureau couvre le Japon. [^1]\nLa JSPS aide le CNRS. [^2]\n\n[^1]: javascript:alert(1)\n[^2]: {JST}\n"
    doc = _read(tmp_path, text, "page.md")
    assert doc.sections[0].sources == (("Le bureau couvre le Japon.", ()), ("La JSPS aide le CNRS.", (JST,)))
    assert doc.warnings == ("footnote [^1] is not an http(s) URL ('javascript:alert(1)'): ignored",)


def test_reader_without_a_usable_definition_is_a_document_without_sources(tmp_path: Path) -> None:
    doc = _read(tmp_path, "# Page\n\nLe bureau couvre le Japon. [^1]\n\n[^1]: ftp://a.example/x\n")
    assert doc.sections[0].text == "Le bureau couvre le Japon."
    assert doc.sections[0].sources == ()


def test_sync_report_lists_the_readers_warnings(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from assistant.knowledge import KnowledgeBase
    from tests.fakes import HashEmbedder

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.md").write_text(
        f"# Page\n\nLa JSPS aide le CNRS. [^1] [^2]\n\n[^1]: {JST}\n", encoding="utf-8"
    )
    settings = Settings.load(environ={}, corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path)
    with caplog.at_level(logging.WARNING, logger="assistant.ingest"):
        report = KnowledgeBase.open(settings, HashEmbedder()).last_sync
    assert report is not None and report.added == 1 and not report.skipped
    assert report.warnings == ("page.md: footnote reference [^2] has no definition: ignored",)
    assert "page.md: footnote reference [^2] has no definition" in caplog.text


def test_reader_keeps_references_inside_code_fences(tmp_path: Path) -> None:
    text = f"# Page\n\nLa JSPS aide le CNRS. [^1]\n\n```\nnote [^1]\n[^2]: {TSUKUBA}\n```\n\n[^1]: {JST}\n"
    doc = _read(tmp_path, text)
    assert doc.sections[0].text == f"La JSPS aide le CNRS.\n\nnote [^1]\n[^2]: {TSUKUBA}"
    assert dict(doc.sections[0].sources)["note [^1]"] == ()


def test_reader_drops_a_line_of_references_only(tmp_path: Path) -> None:
    doc = _read(tmp_path, f"# Page\n\n## A\n\n[^1]\n\n## B\n\nLa JSPS aide le CNRS. [^1]\n\n[^1]: {JST}\n")
    assert [s.heading_path for s in doc.sections] == [("B",)]


def test_reader_removes_the_private_mark_from_the_input(tmp_path: Path) -> None:
    doc = _read(tmp_path, f"# Page\n\nLa JSPS\ue0000 aide le CNRS. [^1]\n\n[^1]: {JST}\n")
    assert doc.sections[0].sources == (("La JSPS0 aide le CNRS.", (JST,)),)


def test_reader_title_from_an_h1_with_references(tmp_path: Path) -> None:
    doc = _read(tmp_path, f"# Bureau de Tokyo [^1]\n\nLa JSPS aide le CNRS.\n\n[^1]: {JST}\n")
    assert doc.title == "Bureau de Tokyo"
    assert doc.sections[0].sources == (("La JSPS aide le CNRS.", (JST,)),)


# --- Chunks and urls_for ----------------------------------------------------------------------------


def test_chunk_metadata_of_an_unannotated_document_has_no_line_sources(tmp_path: Path) -> None:
    chunks = _chunks(tmp_path, "# Page\n\nLa JSPS aide le CNRS.\n")
    assert LINE_SOURCES not in chunks[0].meta


def test_urls_for_gives_a_sentence_its_own_urls(tmp_path: Path) -> None:
    chunks = _chunks(tmp_path)
    assert _urls(chunks, "Jacques Maleval est le directeur du bureau du CNRS à Tokyo.") == (COVID, TSUKUBA)


def test_urls_for_gives_every_sentence_of_a_line_the_line_urls(tmp_path: Path) -> None:
    chunks = _chunks(tmp_path)
    assert _urls(chunks, "Le sujet était l'IRL J-FAST.") == (TSUKUBA,)


def test_urls_for_sentence_without_reference_has_no_url(tmp_path: Path) -> None:
    chunks = _chunks(tmp_path)
    assert _urls(chunks, "Les sources consultées ne donnent pas le nom des directeurs avant 2020.") == ()


def test_urls_for_list_items_and_table_rows_as_the_answerer_splits_them(tmp_path: Path) -> None:
    chunks = _chunks(tmp_path)
    assert _urls(chunks, "La JSPS est le premier partenaire du CNRS au Japon.") == (JST,)
    assert _urls(chunks, "Le CNRS travaille aussi avec la JST.") == (TSUKUBA,)
    assert _urls(chunks, "Japon — Tokyo") == (COVID,)


def test_urls_for_tolerates_other_spacing_and_punctuation(tmp_path: Path) -> None:
    meta = _meta(_chunks(tmp_path)[0])
    assert urls_for(meta, "  jacques maleval est le directeur du bureau du CNRS à Tokyo  ") == (
        COVID,
        TSUKUBA,
    )
    assert urls_for(meta, "Le sujet était l'IRL J-FAST") == (TSUKUBA,)


def test_urls_for_a_sentence_trimmed_a_little_finds_its_line(tmp_path: Path) -> None:
    meta = _meta(_chunks(tmp_path)[0])
    assert urls_for(meta, "Jacques Maleval est directeur du bureau CNRS de Tokyo.") == (COVID, TSUKUBA)


def test_urls_for_a_sentence_of_no_line_has_no_url(tmp_path: Path) -> None:
    meta = _meta(_chunks(tmp_path)[0])
    assert urls_for(meta, "Le bureau de Pékin couvre la Mongolie.") == ()
    assert urls_for(meta, "Tokyo Maleval.") == ()  # its words are in a line, but not as a sentence


def test_urls_for_several_lines_gives_the_urls_of_each_in_order(tmp_path: Path) -> None:
    chunk = _chunks(tmp_path)[0]
    assert urls_for(_meta(chunk), chunk.text) == (COVID, TSUKUBA)


def test_urls_for_a_document_without_sources_gives_the_document_url(tmp_path: Path) -> None:
    chunks = _chunks(tmp_path, f"---\nsources: ['{JST}']\n---\n# Page\n\nLa JSPS aide le CNRS.\n")
    assert urls_for(_meta(chunks[0]), "La JSPS aide le CNRS.") == (JST,)
    assert urls_for({}, "La JSPS aide le CNRS.") == ()


def test_urls_for_unreadable_line_sources_gives_no_url() -> None:
    assert urls_for({LINE_SOURCES: "{not json", "url": JST}, "La JSPS aide le CNRS.") == ()
    assert urls_for({LINE_SOURCES: '{"urls": [], "lines": [["x", [3]]]}'}, "x") == ()


def test_urls_for_a_line_cut_in_pieces_keeps_its_urls(tmp_path: Path) -> None:
    long_line = " ".join(
        f"Le laboratoire {n} travaille avec le bureau de Tokyo depuis {1990 + n}." for n in range(40)
    )
    doc = _read(tmp_path, f"# Page\n\n## Labos\n\n{long_line} [^1]\nFin sans source.\n\n[^1]: {JST}\n")
    chunks = chunk_document(doc, max_tokens=120)
    assert len(chunks) > 2
    for chunk in chunks:
        for sentence in split_sentences(chunk.text):
            expected = () if sentence == "Fin sans source." else (JST,)
            assert urls_for(_meta(chunk), sentence) == expected, sentence


def test_encode_line_sources_lists_each_url_once() -> None:
    encoded = encode_line_sources([("a", (JST, COVID)), ("b", ()), ("c", (COVID,))])
    assert encoded == f'{{"urls":["{JST}","{COVID}"],"lines":[["a",[0,1]],["b",[]],["c",[1]]]}}'


# --- Citations --------------------------------------------------------------------------------------


def test_citation_url_is_the_url_of_the_cited_sentence(tmp_path: Path) -> None:
    chunk = _chunks(tmp_path)[0]
    sentence = "En février 2024, Jacques Maleval a rencontré la direction de l'Université de Tsukuba."
    citation = citation_from_meta(1, chunk.id, chunk.text, _meta(chunk), sentence, 0.5)
    assert citation.url == TSUKUBA
    assert citation.sources == (JST, COVID, TSUKUBA)


def test_citation_of_an_annotated_sentence_without_reference_has_no_url(tmp_path: Path) -> None:
    chunk = _chunks(tmp_path)[0]
    sentence = "Les sources consultées ne donnent pas le nom des directeurs avant 2020."
    citation = citation_from_meta(1, chunk.id, chunk.text, _meta(chunk), sentence, 0.5)
    assert citation.url is None
    assert citation.sources == (JST, COVID, TSUKUBA)


def test_citation_of_an_unannotated_document_keeps_the_document_url(tmp_path: Path) -> None:
    chunk = _chunks(tmp_path, f"---\nsources: ['{JST}', '{COVID}']\n---\n# Page\n\nLa JSPS aide le CNRS.\n")[
        0
    ]
    citation = citation_from_meta(1, chunk.id, chunk.text, _meta(chunk), "La JSPS aide le CNRS.", 0.5)
    assert citation.url == JST


def test_assistant_answer_links_each_sentence_to_its_own_source(tmp_path: Path) -> None:
    from assistant.chain import Assistant
    from assistant.knowledge import KnowledgeBase
    from tests.fakes import HashEmbedder

    corpus = tmp_path / "corpus"
    (corpus / "fr").mkdir(parents=True)
    (corpus / "fr" / "office-tokyo.md").write_text(PAGE, encoding="utf-8")
    settings = Settings.load(
        environ={}, corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data"
    )
    bot = Assistant(settings, knowledge=KnowledgeBase.open(settings, HashEmbedder()))
    answer = bot.ask("Qui est le directeur du bureau du CNRS à Tokyo ?", history=[])
    urls = {
        c.url
        for c in answer.citations
        if c.snippet == "Jacques Maleval est le directeur du bureau du CNRS à Tokyo."
    }
    assert COVID in urls and urls <= {COVID, TSUKUBA}, (
        answer.citations
    )  # not JST, the document's first source


# --- Contract with the real corpus ------------------------------------------------------------------

# URLs of fact base lines (shared/facts/bureau-tokyo.md): the one naming Jacques Maleval director of the
# Tokyo office, and the one giving the CNRS's share of Japan-France co-publications.
MALEVAL_FACT_URLS = {
    "https://www.cnrs.fr/fr/cnrsinfo/tokyo-plusieurs-laboratoires-internationaux-ont-repondu-des-appels-projet-sur-le-covid-19",
    "http://qfhxny.com/en/news/20240216132519.html",
}
SHARE_FACT_URLS = {"https://tokyo.cnrs.fr/cooperation-japan/"}
TOKYO_FACTS = [
    ("Jacques Maleval est le directeur du bureau du CNRS à Tokyo.", MALEVAL_FACT_URLS),
    ("Le CNRS participe à 52 % des co-publications entre le Japon et la France.", SHARE_FACT_URLS),
]


def test_corpus_every_sentence_url_is_a_front_matter_source() -> None:
    from assistant.documents import load_documents
    from tests.conftest import PROJECT

    documents, skipped = load_documents(PROJECT / "corpus")
    assert not skipped
    # no undefined reference, no definition that is not a URL
    assert not [(d.path, d.warnings) for d in documents if d.warnings]
    annotated = [d for d in documents if any(s.sources for s in d.sections)]
    assert {"fr/office-tokyo.md", "en/office-tokyo.md"} <= {d.path for d in annotated}
    for doc in annotated:
        declared = set(doc.meta.get("sources") or ())
        used = {url for s in doc.sections for _, urls in s.sources for url in urls}
        assert used <= declared, (doc.path, sorted(used - declared))


@pytest.mark.parametrize(("sentence", "fact_urls"), TOKYO_FACTS)
def test_corpus_office_tokyo_sentence_links_to_its_fact_source(sentence: str, fact_urls: set[str]) -> None:
    from tests.conftest import PROJECT

    corpus = PROJECT / "corpus"
    chunks = chunk_document(read_document(corpus / "fr" / "office-tokyo.md", corpus))
    urls = _urls(chunks, sentence)
    assert urls and set(urls) <= fact_urls


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "words", "fact_urls"),
    [
        ("Qui dirige le bureau du CNRS à Tokyo ?", ("Maleval", "directeur"), MALEVAL_FACT_URLS),
        (
            "Quelle part des co-publications entre le Japon et la France implique le CNRS ?",
            ("52 %",),
            SHARE_FACT_URLS,
        ),
    ],
)
def test_real_assistant_links_a_tokyo_fact_to_the_url_of_that_fact(  # type: ignore[no-untyped-def]
    real_assistant, question: str, words: tuple[str, ...], fact_urls: set[str]
) -> None:
    answer = real_assistant.ask(question, history=[])
    cited = [c for c in answer.citations if all(w in c.snippet for w in words)]
    assert cited, answer.text
    assert all(c.url in fact_urls for c in cited), [(c.snippet, c.url) for c in cited]
