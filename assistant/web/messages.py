"""Every user-facing text of the web app, the staff area and the document library, in French and English.

One convention: each message is a dict keyed "fr" and "en", looked up by name in `UI` and filled
with `text(lang, name, **values)`; errors meant for the user carry a message name (`Refusal`), so
the page shows them in the interface language. The internal-error text is the core's
(`assistant.prompts.INTERNAL_ERROR`), not a copy. Data only: no Gradio, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant.errors import InputError
from assistant.prompts import INTERNAL_ERROR

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
LANG_CHOICES = (("Français", "fr"), ("English", "en"))

UI: Mapping[str, Mapping[str, str]] = {
    # -- page ------------------------------------------------------------------------------------
    "title": {"fr": "Assistant DERCI / DEI du CNRS", "en": "CNRS DERCI / DEI assistant"},
    "intro": {
        "fr": "Posez vos questions sur la coopération internationale du CNRS : la DEI (ex-DERCI), "
        "ses bureaux à l'étranger et ses outils. Chaque réponse cite ses sources [n].",
        "en": "Ask about the CNRS's international cooperation: the DEI (formerly DERCI), its offices "
        "abroad and its tools. Every answer cites its sources [n].",
    },
    "tab_chat": {"fr": "Questions", "en": "Questions"},
    "tab_map": {"fr": "Carte des bureaux", "en": "Office map"},
    "tab_staff": {"fr": "Espace équipe", "en": "Staff area"},
    # -- first index build -----------------------------------------------------------------------
    "preparing": {
        "fr": "**Préparation de l'index des documents…** {progress} Les questions posées d'ici là "
        "attendent qu'il soit prêt.",
        "en": "**Preparing the document index…** {progress} Questions asked meanwhile wait for it.",
    },
    "progress_starting": {"fr": "Démarrage.", "en": "Starting."},
    "progress_files": {
        "fr": "Documents lus : {done}/{total}.",
        "en": "Documents read: {done}/{total}.",
    },
    "progress_chunks": {
        "fr": "Passages indexés : {done}/{total}.",
        "en": "Passages indexed: {done}/{total}.",
    },
    "progress_eta_s": {"fr": "Environ {n} s restantes.", "en": "About {n} s left."},
    "progress_eta_min": {"fr": "Environ {n} min restantes.", "en": "About {n} min left."},
    "index_failed": {
        "fr": "⚠ **L'index n'a pas pu être préparé :** {error}",
        "en": "⚠ **The index could not be prepared:** {error}",
    },
    "index_retrying": {
        "fr": "Nouvel essai automatique toutes les {seconds} s : les réponses reprendront dès que "
        "l'index sera joignable, sans redémarrage.",
        "en": "Retrying automatically every {seconds} s: answers resume as soon as the index can be "
        "reached, without a restart.",
    },
    "api_preparing": {
        "fr": "L'index est en préparation ({progress}) : réessayez dans un instant.",
        "en": "The index is being prepared ({progress}): retry shortly.",
    },
    # -- chat --------------------------------------------------------------------------------------
    "chatbot": {"fr": "Conversation", "en": "Conversation"},
    "question": {"fr": "Votre question", "en": "Your question"},
    "placeholder": {
        "fr": "Ex. : quel bureau du CNRS couvre le Japon ?",
        "en": "E.g.: which CNRS office covers Japan?",
    },
    "send": {"fr": "Envoyer", "en": "Send"},
    "new_conversation": {"fr": "Nouvelle conversation", "en": "New conversation"},
    "examples": {"fr": "Exemples de questions", "en": "Example questions"},
    "message_cut": {
        "fr": "(message de {n} caractères : seuls les {kept} premiers ont été lus)",
        "en": "(a {n}-character message: only its first {kept} characters were read)",
    },
    "refusal_title": {
        "fr": "⊘ **Pas de réponse dans la documentation**",
        "en": "⊘ **No answer in the documentation**",
    },
    "error_title": {"fr": "⚠ **Un problème est survenu**", "en": "⚠ **Something went wrong**"},
    "internal_error": dict(INTERNAL_ERROR),
    "sources": {"fr": "Sources ({n})", "en": "Sources ({n})"},
    # -- feedback ----------------------------------------------------------------------------------
    "feedback_title": {
        "fr": "Qu'est-ce qui n'allait pas dans cette réponse ? (facultatif)",
        "en": "What was wrong with this answer? (optional)",
    },
    "reason": {"fr": "Raison", "en": "Reason"},
    "comment": {"fr": "Commentaire (facultatif)", "en": "Comment (optional)"},
    "feedback_send": {"fr": "Envoyer l'avis", "en": "Send feedback"},
    "feedback_skip": {"fr": "Envoyer sans détail", "en": "Send without details"},
    "thanks_up": {"fr": "✔ Merci pour votre avis.", "en": "✔ Thank you for your feedback."},
    "thanks_down": {
        "fr": "✔ Merci : votre avis aidera l'équipe à améliorer la documentation.",
        "en": "✔ Thank you: your feedback helps the team improve the documentation.",
    },
    "feedback_unavailable": {
        "fr": "Cet avis n'a pas pu être enregistré (la réponse n'était pas enregistrée).",
        "en": "This feedback could not be saved (the answer was not recorded).",
    },
    "feedback_store_down": {
        "fr": "ℹ Les avis ne peuvent pas être enregistrés sur ce serveur : {reason} Les réponses, "
        "elles, fonctionnent normalement.",
        "en": "ℹ Feedback cannot be saved on this server: {reason} Answers work as usual.",
    },
    "feedback_store_unwritable": {
        "fr": "le dossier de données {path} n'est pas accessible en écriture ({error}).",
        "en": "the data folder {path} is not writable ({error}).",
    },
    # -- map ---------------------------------------------------------------------------------------
    "map_intro": {
        "fr": "Chaque pays est coloré selon le bureau du CNRS à l'étranger qui le couvre ; en gris, "
        "les pays suivis directement par un pôle de la DEI au siège. Cliquez sur un pays ou un "
        "bureau pour afficher sa fiche.",
        "en": "Each country is coloured by the CNRS office abroad that covers it; in grey, the "
        "countries handled directly by a DEI pole at headquarters. Click a country or an office "
        "to show its card.",
    },
    # -- staff: login ------------------------------------------------------------------------------
    "staff_disabled": {
        "fr": "⚠ **L'espace équipe est désactivé.** Définissez DERCI_STAFF_USER et "
        "DERCI_STAFF_PASSWORD_HASH (hachage créé par `derci-assistant hash-password`), puis redémarrez.",
        "en": "⚠ **The staff area is disabled.** Set DERCI_STAFF_USER and DERCI_STAFF_PASSWORD_HASH "
        "(make the hash with `derci-assistant hash-password`), then restart.",
    },
    "staff_bad_hash": {
        "fr": "⚠ **L'espace équipe est désactivé.** DERCI_STAFF_PASSWORD_HASH n'est pas un hachage créé "
        "par `derci-assistant hash-password` : créez-en un avec cette commande, puis redémarrez.",
        "en": "⚠ **The staff area is disabled.** DERCI_STAFF_PASSWORD_HASH is not a hash made by "
        "`derci-assistant hash-password`: make a new one with that command, then restart.",
    },
    "staff_login_intro": {
        "fr": "Connectez-vous pour gérer les documents et lire les avis des utilisateurs.",
        "en": "Log in to manage the documents and read user feedback.",
    },
    "user": {"fr": "Identifiant", "en": "User"},
    "password": {"fr": "Mot de passe", "en": "Password"},
    "login": {"fr": "Se connecter", "en": "Log in"},
    "logout": {"fr": "Se déconnecter", "en": "Log out"},
    "logged_in": {"fr": "✔ Connecté·e.", "en": "✔ Logged in."},
    "logged_out": {"fr": "Déconnecté·e.", "en": "Logged out."},
    "wrong_credentials": {
        "fr": "Identifiant ou mot de passe incorrect.",
        "en": "Wrong user or password.",
    },
    "login_required": {
        "fr": "Connexion requise : connectez-vous dans l'espace équipe.",
        "en": "Login required: log in in the staff area.",
    },
    "too_many_attempts": {
        "fr": "Trop de tentatives : réessayez dans {seconds} s.",
        "en": "Too many attempts: try again in {seconds} s.",
    },
    "no_cookie": {
        "fr": "Votre navigateur n'a pas envoyé le cookie de session de cette page : autorisez les cookies "
        "pour ce site, puis rechargez la page.",
        "en": "Your browser did not send this page's session cookie: allow cookies for this site, "
        "then reload the page.",
    },
    "empty_password": {
        "fr": "Le mot de passe est vide : choisissez un mot de passe non vide.",
        "en": "The password is empty: choose a non-empty password.",
    },
    # -- staff: documents --------------------------------------------------------------------------
    "documents": {"fr": "Documents du corpus", "en": "Corpus documents"},
    "refresh": {"fr": "Actualiser", "en": "Refresh"},
    "upload": {
        "fr": "Ajouter des documents (.md, .txt, .html, .pdf, .docx)",
        "en": "Add documents (.md, .txt, .html, .pdf, .docx)",
    },
    "overwrite": {
        "fr": "Remplacer un document existant du même nom",
        "en": "Replace an existing document of the same name",
    },
    "upload_button": {"fr": "Téléverser", "en": "Upload"},
    "uploaded": {
        "fr": "Ajouté : {paths}. Cliquez sur « Réindexer » pour qu'il soit pris en compte.",
        "en": "Added: {paths}. Click “Re-index” to make it searchable.",
    },
    "upload_refused": {"fr": "Refusé : {items}.", "en": "Refused: {items}."},
    "no_file": {"fr": "Choisissez d'abord un fichier.", "en": "Choose a file first."},
    "not_an_upload": {
        "fr": "{name} n'a pas été envoyé par votre navigateur : choisissez le fichier dans la zone de dépôt.",
        "en": "{name} was not sent by your browser: choose the file in the upload box.",
    },
    "resync": {"fr": "Réindexer", "en": "Re-index"},
    "resynced": {"fr": "Index à jour : {summary}", "en": "Index up to date: {summary}"},
    "sync_summary": {
        "fr": "{added} ajouté(s), {updated} modifié(s), {removed} retiré(s), {unchanged} inchangé(s), "
        "{skipped} ignoré(s) ; {chunks} passages ({embedded} calculés) en {seconds} s.",
        "en": "{added} added, {updated} updated, {removed} removed, {unchanged} unchanged, "
        "{skipped} skipped; {chunks} chunks ({embedded} embedded) in {seconds} s.",
    },
    "sync_skipped": {"fr": "Ignorés : {items}.", "en": "Skipped: {items}."},
    "delete_choice": {"fr": "Document à supprimer", "en": "Document to delete"},
    "delete": {"fr": "Supprimer…", "en": "Delete…"},
    "delete_confirm": {"fr": "Confirmer la suppression de {path}", "en": "Confirm the deletion of {path}"},
    "delete_cancel": {"fr": "Annuler", "en": "Cancel"},
    "delete_asked": {
        "fr": "Supprimer définitivement {path} ? Cliquez sur « Confirmer la suppression » pour ce "
        "document, ou sur « Annuler ».",
        "en": "Delete {path} for good? Click “Confirm the deletion” of this document, or “Cancel”.",
    },
    "delete_stale": {
        "fr": "La confirmation portait sur {confirmed}, pas sur {path} : rien n'a été supprimé. "
        "Cliquez à nouveau sur « Supprimer… ».",
        "en": "The confirmation was for {confirmed}, not {path}: nothing was deleted. Click “Delete…” again.",
    },
    "delete_cancelled": {"fr": "Suppression annulée.", "en": "Deletion cancelled."},
    "deleted": {
        "fr": "Supprimé : {path}. Cliquez sur « Réindexer » pour le retirer de l'index.",
        "en": "Deleted: {path}. Click “Re-index” to remove it from the index.",
    },
    "empty_upload": {"fr": "le fichier {name} est vide", "en": "the file {name} is empty"},
    "upload_too_large": {
        "fr": "le fichier {name} dépasse la limite de {limit} Mo",
        "en": "the file {name} is larger than the {limit} MB limit",
    },
    "unsupported_type": {
        "fr": "type de fichier non accepté pour {name} (types acceptés : {allowed})",
        "en": "file type not accepted for {name} (allowed types: {allowed})",
    },
    "unreadable_upload": {
        "fr": "{name} ne peut pas être lu : {reason}",
        "en": "{name} cannot be read: {reason}",
    },
    "already_exists": {
        "fr": "le document {path} existe déjà : cochez « remplacer » pour l'écraser",
        "en": "the document {path} already exists: tick “replace” to overwrite it",
    },
    "bad_folder": {"fr": "dossier invalide : {folder}", "en": "invalid folder: {folder}"},
    "bad_path": {
        "fr": "chemin invalide : {path} n'est pas un document du dossier du corpus",
        "en": "invalid path: {path} is not a document inside the corpus folder",
    },
    "no_such_document": {"fr": "document introuvable : {path}", "en": "no such document: {path}"},
    "unreadable_title": {"fr": "(illisible : {reason})", "en": "(unreadable: {reason})"},
    "index_not_ready": {
        "fr": "L'index est en préparation : réessayez dans un instant.",
        "en": "The index is being prepared: retry shortly.",
    },
    # -- staff: feedback ---------------------------------------------------------------------------
    "feedback": {"fr": "Avis des utilisateurs", "en": "User feedback"},
    "backlog": {
        "fr": "Questions sans bonne réponse (à documenter)",
        "en": "Questions without a good answer (to document)",
    },
    "export_feedback": {"fr": "Exporter les avis (CSV)", "en": "Export feedback (CSV)"},
    "export_backlog": {
        "fr": "Exporter les questions à documenter (CSV)",
        "en": "Export questions to document (CSV)",
    },
    "counts": {
        "fr": "{answers} réponses enregistrées · ▲ {up} · ▼ {down} · {refused} refus",
        "en": "{answers} answers recorded · ▲ {up} · ▼ {down} · {refused} refused",
    },
    "tables_failed": {
        "fr": "⚠ Les tableaux n'ont pas pu être chargés : {error}",
        "en": "⚠ The tables could not be loaded: {error}",
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

DOCUMENT_HEADERS: Mapping[str, list[str]] = {
    "fr": ["Document", "Titre", "Langue", "Passages indexés", "Mis à jour", "Modifié le", "Taille (o)"],
    "en": ["Document", "Title", "Language", "Indexed chunks", "Updated", "Modified", "Size (B)"],
}
FEEDBACK_HEADERS: Mapping[str, list[str]] = {
    "fr": ["Date", "Avis", "Raison", "Commentaire", "Question", "Réponse"],
    "en": ["Date", "Vote", "Reason", "Comment", "Question", "Answer"],
}
BACKLOG_HEADERS: Mapping[str, list[str]] = {
    "fr": ["Question", "Fois posée", "Refus", "Lacunes", "Avis ▼", "Dernière fois", "Dernière réponse"],
    "en": ["Question", "Times asked", "Refused", "Gaps", "Votes ▼", "Last seen", "Last answer"],
}


def lang_of(lang: str | None) -> str:
    """`lang` if it is an interface language, else the default (French)."""
    return lang if lang in LANGS else DEFAULT_LANG


def text(lang: str | None, key: str, /, **values: object) -> str:
    """The message `key` in `lang` (French for anything else), filled with `values`."""
    message = UI[key][lang_of(lang)]
    return message.format(**values) if values else message


class Refusal(InputError):
    """A user-facing refusal from the web layer, shown in the reader's language.

    `str()` gives the English text (for logs and the terminal); the page calls `in_lang`.
    """

    def __init__(self, key: str, /, **values: object) -> None:
        if key not in UI:
            raise KeyError(f"no message named {key!r} in assistant.web.messages.UI")
        super().__init__(text("en", key, **values))
        self.key = key
        self.values = values

    def in_lang(self, lang: str | None) -> str:
        return text(lang, self.key, **self.values)


def error_text(error: Exception, lang: str | None) -> str:
    """What the page says about an error: a `Refusal` in `lang`; any other package error as it is."""
    return error.in_lang(lang) if isinstance(error, Refusal) else str(error)
