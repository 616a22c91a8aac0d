"""Tests of assistant.chunking: window fitting, splitting order, stable ids, carried metadata."""

from __future__ import annotations

from assistant.chunking import Chunk, chunk_document, word_count_tokens
from assistant.documents import Section, SourceDocument


def _words(text: str) -> int:
    """A token counter that is easy to reason about: one token per word."""
    return len(text.split())


def _doc(*sections: Section, path: str = "en/doc.md", title: str = "Title", **meta: object) -> SourceDocument:
    return SourceDocument(
        path=path,
        doc_id=path.rsplit(".", 1)[0],
        title=title,
        lang=str(meta.pop("lang", "en")),
        meta=meta,
        sections=sections,
        digest="0" * 64,
    )


def _paragraph(tag: str, sentences: int = 4, words: int = 9) -> str:
    """`sentences` sentences of `words` words each, every word tagged so paragraphs differ."""
    return " ".join(
        f"{tag.capitalize()}{s} " + " ".join(f"{tag}{s}w{i}" for i in range(words - 1)) + "."
        for s in range(sentences)
    )


def test_chunk_document_fitting_section_is_one_chunk() -> None:
    text = "First paragraph.\n\nSecond paragraph."
    chunks = chunk_document(_doc(Section(("Intro",), text)), _words, max_tokens=50)
    assert len(chunks) == 1
    assert chunks[0].text == text
    assert chunks[0].heading_path == ("Intro",)
    assert chunks[0].embed_text == "Title > Intro\nFirst paragraph.\n\nSecond paragraph."


def test_chunk_document_one_chunk_per_section() -> None:
    doc = _doc(Section(("A",), "Alpha text."), Section(("B", "B1"), "Beta text."))
    chunks = chunk_document(doc, _words, max_tokens=50)
    assert [(c.section, c.text) for c in chunks] == [("A", "Alpha text."), ("B > B1", "Beta text.")]


def test_chunk_document_long_section_chunks_fit_the_window() -> None:
    text = "\n\n".join(_paragraph(f"p{i}", sentences=3 + i % 3) for i in range(8))
    max_tokens = 60
    chunks = chunk_document(_doc(Section(("Long", "Part"), text)), _words, max_tokens=max_tokens)
    assert len(chunks) > 1
    assert all(_words(c.embed_text) <= max_tokens for c in chunks)
    assert " ".join(c.text for c in chunks).split() == text.split()  # nothing lost, order kept


def test_chunk_document_splits_on_paragraphs_first() -> None:
    paragraphs = [_paragraph(f"p{i}", sentences=2) for i in range(6)]  # 18 words each
    chunks = chunk_document(_doc(Section((), "\n\n".join(paragraphs))), _words, max_tokens=45)
    # Budget 45 - 1 (title) - 2 = 42 words: two paragraphs per chunk, never a paragraph cut in two.
    assert [c.text for c in chunks] == [
        "\n\n".join(paragraphs[i : i + 2]) for i in range(0, len(paragraphs), 2)
    ]


def test_chunk_document_splits_long_paragraph_on_sentences() -> None:
    paragraph = _paragraph("s", sentences=6, words=10)  # 60 words in one paragraph
    chunks = chunk_document(_doc(Section((), paragraph)), _words, max_tokens=35)
    assert len(chunks) > 1
    for chunk in chunks:
        assert _words(chunk.embed_text) <= 35
        assert all(piece.endswith(".") for piece in chunk.text.split("\n\n"))  # whole sentences


def test_chunk_document_cuts_a_paragraph_of_lines_between_lines_not_at_colons() -> None:
    """One sentence per line (the annotated corpus): a long paragraph is cut between its lines, and a line
    is never cut at ":" or ";" ("cinq appels : Starting, Consolidator..." stays whole)."""
    lines = [
        "ERC : le Conseil européen de la recherche finance la recherche exploratoire par cinq appels : "
        "Starting, Consolidator, Advanced, Synergy et Proof of Concept.",
        *(
            f"Ligne {i} : une phrase de remplissage ; Elle parle du sujet {i} sans fin utile."
            for i in range(8)
        ),
    ]
    chunks = chunk_document(_doc(Section(("ERC",), "\n".join(lines))), _words, max_tokens=40)
    assert len(chunks) > 1
    pieces = [piece for c in chunks for piece in c.text.split("\n") if piece.strip()]
    assert sorted(pieces) == sorted(lines)


def test_chunk_document_giant_sentence_cut_on_words() -> None:
    sentence = " ".join(f"word{i}" for i in range(500))  # no punctuation at all
    chunks = chunk_document(_doc(Section(("H",), sentence)), _words, max_tokens=64)
    assert len(chunks) >= 500 // 64
    assert all(_words(c.embed_text) <= 64 for c in chunks)
    assert " ".join(c.text for c in chunks) == sentence  # cut between words, none split


def test_chunk_document_default_counter_fits_the_window() -> None:
    text = "\n\n".join(_paragraph(f"p{i}") for i in range(20))
    chunks = chunk_document(_doc(Section(("H",), text)), max_tokens=128)
    assert len(chunks) > 1
    assert all(word_count_tokens(c.embed_text) <= 128 for c in chunks)


def test_chunk_document_ids_stable_across_runs() -> None:
    text = "\n\n".join(_paragraph(f"p{i}") for i in range(6))
    doc = _doc(Section(("H",), text), Section(("K",), "Short."))
    first = [c.id for c in chunk_document(doc, _words, max_tokens=50)]
    second = [c.id for c in chunk_document(doc, _words, max_tokens=50)]
    assert first == second
    assert len(set(first)) == len(first)


def test_chunk_document_edit_changes_only_the_edited_chunk_id() -> None:
    paragraphs = [_paragraph(f"p{i}", sentences=2) for i in range(6)]
    before = chunk_document(_doc(Section(("H",), "\n\n".join(paragraphs))), _words, max_tokens=45)
    edited = paragraphs[3].replace("p30w2", "edited")  # same length: same chunk boundaries
    assert edited != paragraphs[3]
    paragraphs[3] = edited
    after = chunk_document(_doc(Section(("H",), "\n\n".join(paragraphs))), _words, max_tokens=45)
    assert len(before) == len(after) == 3
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a.id != b.id]
    assert changed == [1]


def test_chunk_document_edit_in_one_section_keeps_other_section_ids() -> None:
    before = chunk_document(_doc(Section(("A",), "Alpha."), Section(("B",), "Beta.")), _words)
    after = chunk_document(_doc(Section(("A",), "Alpha."), Section(("B",), "Beta, edited.")), _words)
    assert before[0].id == after[0].id
    assert before[1].id != after[1].id


def test_chunk_document_id_depends_on_path_and_heading() -> None:
    section = Section(("H",), "Same text.")
    base = chunk_document(_doc(section), _words)[0].id
    assert chunk_document(_doc(section, path="fr/doc.md"), _words)[0].id != base
    assert chunk_document(_doc(Section(("Other",), "Same text.")), _words)[0].id != base


def test_chunk_document_duplicate_paragraphs_get_distinct_ids() -> None:
    repeated = _paragraph("dup", sentences=3)  # 27 words: one paragraph per chunk at this window
    text = "\n\n".join([repeated, _paragraph("other", sentences=3), repeated])
    chunks = chunk_document(_doc(Section(("H",), text)), _words, max_tokens=40)
    assert [c.text for c in chunks].count(repeated) == 2
    assert len({c.id for c in chunks}) == len(chunks) == 3


def test_chunk_document_carries_document_metadata() -> None:
    doc = _doc(
        Section(("H",), "Text."),
        path="fr/bureau.md",
        lang="fr",
        topic="office",
        office="tokyo",
        sources=["https://example.org/a", "https://example.org/b"],
        updated=2024,
        counterpart="en/bureau",
    )
    chunk = chunk_document(doc, _words)[0]
    assert chunk.doc_path == "fr/bureau.md"
    assert chunk.meta["doc_id"] == "fr/bureau"
    assert chunk.meta["lang"] == "fr"
    assert chunk.meta["url"] == "https://example.org/a"
    assert chunk.meta["sources"] == "https://example.org/a\nhttps://example.org/b"
    assert chunk.meta["updated"] == "2024"
    assert (chunk.meta["topic"], chunk.meta["office"], chunk.meta["counterpart"]) == (
        "office",
        "tokyo",
        "en/bureau",
    )
    assert all(isinstance(v, str) for v in chunk.meta.values())  # Chroma-compatible scalars


def test_chunk_document_missing_metadata_is_empty_text() -> None:
    chunk = chunk_document(_doc(Section((), "Text.")), _words)[0]
    assert (chunk.meta["url"], chunk.meta["updated"], chunk.meta["office"]) == ("", "", "")


def test_chunk_document_keeps_pdf_page() -> None:
    doc = _doc(Section((), "Page one.", page=1), Section((), "Page two.", page=2), path="a.pdf")
    assert [c.page for c in chunk_document(doc, _words)] == [1, 2]


def test_chunk_repr_is_short() -> None:
    chunk = Chunk(id="x", text="word " * 100, doc_path="en/a.md", title="T", heading_path=("H",))
    assert len(repr(chunk)) < 100
