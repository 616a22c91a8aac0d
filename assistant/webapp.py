"""Pure message shaping for the web app: interface labels (FR/EN), answers as chat Markdown, staff tables.

`ui.py` wires these to Gradio components; nothing here imports Gradio, answers a question or touches
a file. Every piece of document or user text goes through `escape_markdown` before it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.citations import Answer, escape_markdown, sources_markdown, to_markdown

if TYPE_CHECKING:
    from assistant.feedback import BacklogRow, FeedbackRow
    from assistant.staff import DocumentInfo

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
LANG_CHOICES = (("Français", "fr"), ("English", "en"))

LABELS: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "title": "Assistant DERCI / DEI du CNRS",
        "intro": "Posez vos questions sur la coopération internationale du CNRS : la DEI (ex-DERCI), "
        "ses bureaux à l'étranger et ses outils. Chaque réponse cite ses sources [n].",
        "tab_chat": "Questions",
        "tab_map": "Carte des bureaux",
        "tab_staff": "Espace équipe",
        "chatbot": "Conversation",
        "question": "Votre question",
        "placeholder": "Ex. : quel bureau du CNRS couvre le Japon ?",
        "send": "Envoyer",
        "new_conversation": "Nouvelle conversation",
        "examples": "Exemples de questions",
        "feedback_title": "Qu'est-ce qui n'allait pas dans cette réponse ? (facultatif)",
        "reason": "Raison",
        "comment": "Commentaire (facultatif)",
        "feedback_send": "Envoyer l'avis",
        "feedback_skip": "Envoyer sans détail",
        "thanks_up": "✔ Merci pour votre avis.",
        "thanks_down": "✔ Merci : votre avis aidera l'équipe à améliorer la documentation.",
        "feedback_unavailable": "Cet avis n'a pas pu être enregistré (la réponse n'était pas enregistrée).",
        "preparing": "**Préparation de l'index des documents…** {progress} Au premier démarrage, "
        "cela prend environ 30 secondes ; les questions posées d'ici là attendent.",
        "index_failed": "⚠ **L'index n'a pas pu être préparé :** {error}",
        "refusal_title": "⊘ **Pas de réponse dans la documentation**",
        "error_title": "⚠ **Un problème est survenu**",
        "internal_error": "Une erreur interne a empêché de répondre. Réessayez ; si elle persiste, "
        "signalez-la à l'équipe DEI.",
        "sources": "Sources ({n})",
        "map_intro": "Chaque pays est coloré selon le bureau du CNRS à l'étranger qui le couvre ; en gris, "
        "les pays suivis directement par un pôle de la DEI au siège. Cliquez sur un pays ou un "
        "bureau pour afficher sa fiche.",
        "staff_disabled": "⚠ **L'espace équipe est désactivé.** {reason}",
        "staff_login_intro": "Connectez-vous pour gérer les documents et lire les avis des utilisateurs.",
        "user": "Identifiant",
        "password": "Mot de passe",
        "login": "Se connecter",
        "logout": "Se déconnecter",
        "logged_in": "✔ Connecté·e.",
        "logged_out": "Déconnecté·e.",
        "documents": "Documents du corpus",
        "refresh": "Actualiser",
        "upload": "Ajouter des documents (.md, .txt, .html, .pdf, .docx)",
        "overwrite": "Remplacer un document existant du même nom",
        "upload_button": "Téléverser",
        "uploaded": "Ajouté : {paths}. Cliquez sur « Réindexer » pour qu'il soit pris en compte.",
        "no_file": "Choisissez d'abord un fichier.",
        "resync": "Réindexer",
        "resynced": "Index à jour : {summary}",
        "delete_choice": "Document à supprimer",
        "delete_confirm": "Je confirme la suppression définitive de ce document",
        "delete": "Supprimer",
        "delete_needs_confirm": "Cochez la case de confirmation pour supprimer {path}.",
        "deleted": "Supprimé : {path}. Cliquez sur « Réindexer » pour le retirer de l'index.",
        "feedback": "Avis des utilisateurs",
        "backlog": "Questions sans bonne réponse (à documenter)",
        "export_feedback": "Exporter les avis (CSV)",
        "export_backlog": "Exporter les questions à documenter (CSV)",
        "counts": "{answers} réponses enregistrées · ▲ {up} · ▼ {down} · {refused} refus",
    },
    "en": {
        "title": "CNRS DERCI / DEI assistant",
        "intro": "Ask about the CNRS's international cooperation: the DEI (formerly DERCI), its offices "
        "abroad and its tools. Every answer cites its sources [n].",
        "tab_chat": "Questions",
        "tab_map": "Office map",
        "tab_staff": "Staff area",
        "chatbot": "Conversation",
        "question": "Your question",
        "placeholder": "E.g.: which CNRS office covers Japan?",
        "send": "Send",
        "new_conversation": "New conversation",
        "examples": "Example questions",
        "feedback_title": "What was wrong with this answer? (optional)",
        "reason": "Reason",
        "comment": "Comment (optional)",
        "feedback_send": "Send feedback",
        "feedback_skip": "Send without details",
        "thanks_up": "✔ Thank you for your feedback.",
        "thanks_down": "✔ Thank you: your feedback helps the team improve the documentation.",
        "feedback_unavailable": "This feedback could not be saved (the answer was not recorded).",
        "preparing": "**Preparing the document index…** {progress} On first start this takes about "
        "30 seconds; questions asked meanwhile wait for it.",
        "index_failed": "⚠ **The index could not be prepared:** {error}",
        "refusal_title": "⊘ **No answer in the documentation**",
        "error_title": "⚠ **Something went wrong**",
        "internal_error": "An internal error prevented an answer. Please try again; if it persists, "
        "report it to the DEI team.",
        "sources": "Sources ({n})",
        "map_intro": "Each country is coloured by the CNRS office abroad that covers it; in grey, the "
        "countries handled directly by a DEI pole at headquarters. Click a country or an office "
        "to show its card.",
        "staff_disabled": "⚠ **The staff area is disabled.** {reason}",
        "staff_login_intro": "Log in to manage the documents and read user feedback.",
        "user": "User",
        "password": "Password",
        "login": "Log in",
        "logout": "Log out",
        "logged_in": "✔ Logged in.",
        "logged_out": "Logged out.",
        "documents": "Corpus documents",
        "refresh": "Refresh",
        "upload": "Add documents (.md, .txt, .html, .pdf, .docx)",
        "overwrite": "Replace an existing document of the same name",
        "upload_button": "Upload",
        "uploaded": "Added: {paths}. Click “Re-index” to make it searchable.",
        "no_file": "Choose a file first.",
        "resync": "Re-index",
        "resynced": "Index up to date: {summary}",
        "delete_choice": "Document to delete",
        "delete_confirm": "I confirm the permanent deletion of this document",
        "delete": "Delete",
        "delete_needs_confirm": "Tick the confirmation box to delete {path}.",
        "deleted": "Deleted: {path}. Click “Re-index” to remove it from the index.",
        "feedback": "User feedback",
        "backlog": "Questions without a good answer (to document)",
        "export_feedback": "Export feedback (CSV)",
        "export_backlog": "Export questions to document (CSV)",
        "counts": "{answers} answers recorded · ▲ {up} · ▼ {down} · {refused} refused",
    },
}

REASON_LABELS: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "wrong_source": "Mauvaise source",
        "incomplete": "Incomplète",
        "outdated": "Obsolète",
        "other": "Autre",
    },
    "en": {
        "wrong_source": "Wrong source",
        "incomplete": "Incomplete",
        "outdated": "Outdated",
        "other": "Other",
    },
}

# Three personas, two questions each, in both languages: (persona, (question, question)).
EXAMPLES: Mapping[str, tuple[tuple[str, tuple[str, str]], ...]] = {
    "fr": (
        (
            "Chercheur·e qui cherche un partenaire",
            (
                "Je cherche un partenaire au Japon : quel bureau du CNRS contacter ?",
                "Quel outil pour démarrer une collaboration avec un laboratoire étranger ?",
            ),
        ),
        (
            "Nouvel·le arrivant·e",
            (
                "Qu'est-ce que la DERCI et comment s'appelle-t-elle aujourd'hui ?",
                "Combien de bureaux le CNRS a-t-il à l'étranger ?",
            ),
        ),
        (
            "Personnel DEI / gestionnaire",
            (
                "Quelle est la différence entre un IRP et un IRL ?",
                "Quel bureau couvre le Kenya ?",
            ),
        ),
    ),
    "en": (
        (
            "Researcher looking for a partner",
            (
                "I am looking for a partner in Japan: which CNRS office should I contact?",
                "Which tool should I use to start a collaboration with a foreign lab?",
            ),
        ),
        (
            "Newcomer",
            (
                "What is DERCI and what is it called today?",
                "How many offices does the CNRS have abroad?",
            ),
        ),
        (
            "DEI staff member",
            (
                "What is the difference between an IRP and an IRL?",
                "Which office covers Kenya?",
            ),
        ),
    ),
}

STAGES: Mapping[str, Mapping[str, str]] = {  # the stages `sync_index` reports
    "fr": {"reading": "lecture des documents", "embedding": "calcul des vecteurs des passages"},
    "en": {"reading": "reading the documents", "embedding": "embedding the passages"},
}

DOCUMENT_HEADERS = {
    "fr": ["Document", "Titre", "Langue", "Passages indexés", "Mis à jour", "Modifié le", "Taille (o)"],
    "en": ["Document", "Title", "Language", "Indexed chunks", "Updated", "Modified", "Size (B)"],
}
FEEDBACK_HEADERS = {
    "fr": ["Date", "Avis", "Raison", "Commentaire", "Question", "Réponse"],
    "en": ["Date", "Vote", "Reason", "Comment", "Question", "Answer"],
}
BACKLOG_HEADERS = {
    "fr": ["Question", "Fois posée", "Refus", "Avis ▼", "Dernière fois", "Dernière réponse"],
    "en": ["Question", "Times asked", "Refused", "Votes ▼", "Last seen", "Last answer"],
}

_CURSOR = " ▍"
_Q = re.compile(r"q\s*=\s*([^;\s]*)")


@dataclass
class ChatSession:
    """What the server keeps for one browser tab: the turns so far and the recorded answer of each message."""

    turns: list[dict[str, str]] = field(default_factory=list)  # plain text, for follow-up questions
    # The chat as shown: only what the app itself wrote. The chat handler never takes the chatbot's
    # value from the client, so a client cannot slip a file reference (or anything else) into it.
    messages: list[dict[str, Any]] = field(default_factory=list)
    answer_ids: dict[int, str] = field(default_factory=dict)  # chat message index -> FeedbackStore id
    pending_down: str | None = None  # answer id of a thumb down still waiting for its reason


def lang_of(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def label(lang: str | None, key: str, **values: object) -> str:
    text = LABELS[lang_of(lang)][key]
    return text.format(**values) if values else text


def preferred_language(accept_language: str | None) -> str:
    """The interface language from an Accept-Language header: the best-weighted of FR/EN, else FR."""
    best, best_q = DEFAULT_LANG, 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        m = _Q.search(params)
        try:
            q = float(m.group(1)) if m else 1.0
        except ValueError:
            continue
        if primary in LANGS and q > best_q:
            best, best_q = primary, q
    return best


def reason_choices(lang: str | None) -> list[tuple[str, str]]:
    return [(text, key) for key, text in REASON_LABELS[lang_of(lang)].items()]


def vote_of(liked: object) -> str | None:
    """'up' or 'down' from a Chatbot like event; None when the user took the vote back."""
    if liked is True:
        return "up"
    if liked is False:
        return "down"
    return None


# -- chat messages ------------------------------------------------------------------------------


def user_markdown(question: str) -> str:
    """The user's own message, shown as typed: never interpreted as Markdown or HTML."""
    return escape_markdown(question)


def partial_markdown(text: str) -> str:
    """An answer while it is being written: escaped text and a cursor ([n] links come at the end)."""
    return escape_markdown(text) + _CURSOR


def answer_markdown(answer: Answer) -> str:
    """The chat message of a finished answer: notice, text with [n] linked, and a collapsible sources panel.

    Refusals and errors get a distinct heading and are quoted, so they do not read like an answer.
    Labels follow the answer's language, which is the question's.
    """
    lang = lang_of(answer.lang)
    parts: list[str] = []
    if answer.meta.get("error"):
        parts.append(label(lang, "error_title"))
        parts.append(_quote(escape_markdown(answer.text)))
        return "\n\n".join(parts)
    if answer.notice:
        parts.append(f"*ℹ {escape_markdown(answer.notice)}*")
    body = to_markdown(answer)
    if answer.refused:
        parts.append(label(lang, "refusal_title"))
        body = _quote(body)
    parts.append(body)
    if answer.citations:
        parts.append(sources_panel(answer))
    return "\n\n".join(parts)


def sources_panel(answer: Answer) -> str:
    """The numbered sources of an answer in a <details> block (its Markdown body needs the blank lines)."""
    lang = lang_of(answer.lang)
    listing = sources_markdown(answer.citations, lang)
    listing = re.sub(r"\A\*\*[^*\n]+\*\*\n\n", "", listing)  # the <summary> already says "Sources"
    summary = label(lang, "sources", n=len(answer.citations))
    return f'<details class="derci-sources"><summary>{summary}</summary>\n\n{listing}\n\n</details>'


def error_markdown(lang: str | None) -> str:
    """The message shown when the app itself fails: friendly, never a trace."""
    return f"{label(lang, 'error_title')}\n\n{_quote(label(lang, 'internal_error'))}"


def preparing_markdown(lang: str | None, stage: str = "", done: int = 0, total: int = 0) -> str:
    """The "preparing the index" message, with the sync stage and its progress when known."""
    progress = ""
    if stage:
        name = STAGES[lang_of(lang)].get(stage, stage)
        progress = f"({escape_markdown(name)}" + (f" {done}/{total}" if total else "") + ")"
    return label(lang, "preparing", progress=progress)


def _quote(markdown: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in markdown.split("\n"))


# -- staff tables -------------------------------------------------------------------------------


def document_rows(documents: Sequence[DocumentInfo]) -> list[list[object]]:
    """Rows of the staff document table."""
    return [[d.path, d.title, d.lang, d.chunks, d.updated or "", d.modified, d.size] for d in documents]


def feedback_rows(rows: Sequence[FeedbackRow], lang: str | None) -> list[list[object]]:
    """Rows of the staff feedback table, newest first."""
    reasons = REASON_LABELS[lang_of(lang)]
    return [
        [
            r.created,
            "▲" if r.vote == "up" else "▼",
            reasons.get(r.reason or "", ""),
            r.comment or "",
            r.question,
            _short(r.answer),
        ]
        for r in rows
    ]


def backlog_rows(rows: Sequence[BacklogRow]) -> list[list[object]]:
    """Rows of the staff backlog table, most frequent first."""
    return [[r.question, r.count, r.refused, r.down_votes, r.last_seen, _short(r.last_answer)] for r in rows]


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
