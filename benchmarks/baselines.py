"""The pipelines ours is compared with, over the same corpus files and the same embedding model.

- `TutorialPipeline`: LangChain's RAG tutorial as written: Markdown files (front matter stripped),
  RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200), langchain_chroma.Chroma, top-4
  `similarity_search`; the answer is the retrieved text concatenated, and it never refuses. Its
  embeddings are the tutorial's Hugging Face option, `HuggingFaceEmbeddings(model_name=...)`, over the
  same bundled model folder (`StockEmbeddings` reproduces its code path).
- `mode_assistant`: our offline answerer (directory routing, sentence picking, refusal) fed by one
  retrieval mode only (BM25 or dense) instead of the hybrid fusion.
- `with_previous_questions`: how a pipeline without conversation is asked a follow-up: the earlier
  user turns, then the question, as one query.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from assistant.analysis import detect_language
from assistant.chain import Assistant
from assistant.citations import Answer
from assistant.evaluate import Ask
from assistant.retrieval import Hit, HybridSearch

if TYPE_CHECKING:
    from langchain_chroma import Chroma

TUTORIAL_K = 4
CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200


def load_markdown(corpus_dir: Path) -> list[Document]:
    """Every Markdown file of the corpus as one document: its text without the YAML front matter."""
    docs = []
    for path in sorted(corpus_dir.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        docs.append(
            Document(
                page_content=strip_front_matter(text),
                metadata={"source": path.relative_to(corpus_dir).as_posix()},
            )
        )
    return docs


def strip_front_matter(text: str) -> str:
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                return "\n".join(lines[i + 1 :]).lstrip("\n")
    return text


def corpus_digest(corpus_dir: Path) -> str:
    """A digest of the Markdown files' names and bytes: the tutorial store is rebuilt when it changes."""
    h = hashlib.sha256()
    for path in sorted(corpus_dir.rglob("*.md")):
        h.update(path.relative_to(corpus_dir).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class TutorialPipeline:
    """The LangChain tutorial's retrieve-then-stuff pipeline, with the retrieved text as the answer."""

    def __init__(
        self, store: Chroma, embedder: Embeddings, chunks: int, build_seconds: float | None = None
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.chunks = chunks
        self.build_seconds = build_seconds

    @classmethod
    def open(cls, corpus_dir: Path, embedder: Embeddings, persist_dir: Path) -> TutorialPipeline:
        """Load the store persisted for this corpus, or split, embed and persist it."""
        import chromadb
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        model = str(getattr(embedder, "model_name", type(embedder).__name__))
        folder = (
            persist_dir / hashlib.sha256(f"{corpus_digest(corpus_dir)} {model}".encode()).hexdigest()[:16]
        )
        done = folder / "complete"  # written after the build: a store without it may be partial
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
        client = chromadb.PersistentClient(
            path=str(folder), settings=chromadb.config.Settings(anonymized_telemetry=False)
        )
        store = Chroma(collection_name="tutorial", embedding_function=embedder, client=client)
        if done.exists():
            return cls(store, embedder, store._collection.count())
        start = time.perf_counter()
        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        splits = splitter.split_documents(load_markdown(corpus_dir))
        store.add_documents(splits)
        done.write_text(str(len(splits)))
        return cls(store, embedder, len(splits), time.perf_counter() - start)

    def with_embedder(self, embedder: Embeddings) -> TutorialPipeline:
        """The same store and chunks, with queries embedded by `embedder` (same model, other code)."""
        from langchain_chroma import Chroma

        store = Chroma(collection_name="tutorial", embedding_function=embedder, client=self.store._client)
        return TutorialPipeline(store, embedder, self.chunks, self.build_seconds)

    def retrieve(self, question: str, k: int = TUTORIAL_K) -> list[str]:
        return [d.page_content for d in self.store.similarity_search(question, k=k)]

    def ask(self, question: str) -> Answer:
        lang = detect_language(question)
        text = "\n\n".join(self.retrieve(question, TUTORIAL_K))
        return Answer(
            text=text,
            refused=False,
            lang="fr" if lang == "fr" else "en",
            question=question,
            backend="tutorial",
        )


def tutorial_embeddings(model_path: str) -> Embeddings:
    """The embeddings a user of the LangChain tutorial would write for a local sentence-transformers
    model, `HuggingFaceEmbeddings(model_name=...)`: see `StockEmbeddings`."""
    return StockEmbeddings(model_path)


class StockEmbeddings(Embeddings):
    """What `langchain_huggingface.HuggingFaceEmbeddings` does with default settings, line for line:
    a `SentenceTransformer` of the folder, newlines made spaces, `encode(texts, show_progress_bar=False)`,
    `.tolist()`. Written out rather than installed: langchain-huggingface 1.2 pins huggingface-hub
    below 2, and installing it would downgrade the hub library that our own stack runs with."""

    def __init__(self, model_path: str) -> None:
        from sentence_transformers import SentenceTransformer

        self.model_name = model_path
        self.client = SentenceTransformer(model_path, device="cpu")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: Any = self.client.encode([t.replace("\n", " ") for t in texts], show_progress_bar=False)
        return list(vectors.tolist())

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class ModeSearch:
    """Our search with its default (hybrid) mode replaced by `mode`; explicit modes and everything else
    (embedding overlap, filters, attributes) pass through to the wrapped search unchanged."""

    def __init__(self, inner: HybridSearch, mode: str) -> None:
        self.inner = inner
        self.mode = mode

    def search(self, query: str, k: int = 5, *, mode: str = "hybrid", **options: Any) -> list[Hit]:
        return self.inner.search(query, k, mode=self.mode if mode == "hybrid" else mode, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def mode_assistant(bot: Assistant, mode: str) -> Assistant:
    """An assistant sharing `bot`'s stores whose answers are built from `mode` hits ("dense", "bm25"...)."""
    # ModeSearch is a duck-typed HybridSearch (a wrapper, so that it follows the real one's signature).
    search: HybridSearch = ModeSearch(bot.knowledge.search, mode)  # type: ignore[assignment]
    knowledge = dataclasses.replace(bot.knowledge, search=search)
    return Assistant(bot.settings, knowledge=knowledge, chat_model=bot.chat_model)


def with_previous_questions(ask: Callable[[str], Answer | str]) -> Ask:
    """A (question, history) system from a question-only one: the earlier user turns are prepended."""

    def ask_with_history(question: str, history: Sequence[Mapping[str, str]]) -> Answer | str:
        earlier = [turn["content"] for turn in history if turn.get("role") == "user"]
        return ask(" ".join([*earlier, question]))

    return ask_with_history
