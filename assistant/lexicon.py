"""The words that tell what a question asks, and what a sentence answers: data, compiled once.

Every pattern runs on folded text (lower case, no accents: `analysis.fold`). A question's *intent*
says what kind of answer it wants (a list, a comparison, a date...); its *attribute* says which
property of its subject it asks about (the director of an office, the duration of a tool...). The
same attribute has a second pattern for sentences: the words a sentence uses when it gives that
property, and the kind of value it must hold (a person's name, a date, a number).

Scope: French and English as researchers write them, with the usual SMS spellings. Not a grammar:
cue words, tried in order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# Plural nouns that, after "quels / which", ask for a list: "quels grands défis", "which French bodies".
_PLURALS = (
    "countries|tools|themes|challenges|programmes|programs|labs|laboratories|offices|types|kinds|structures"
    "|institutions|calls|bodies|organisations|organizations|agencies|priorities|partners|universities|irls"
    "|irps|irns|ieas|ircs|umis|lias|gdris|umifres|prcs|members|topics|fields|areas|regions|units|networks|projects|centres"
    "|centers|directors|people|steps|stages|missions|actions|instruments|schemes|grants|platforms|events"
    "|sectors|poles|clubs|examples|pays|outils|themes|thematiques|defis|laboratoires|bureaux|appels|organismes"
    "|agences|priorites|partenaires|universites|membres|domaines|unites|reseaux|projets|centres|directeurs"
    "|etapes|dispositifs|bourses|plateformes|evenements|secteurs|exemples|sujets|axes|volets|categories"
    "|visites|visits|deplacements|trips|voyages|accords|agreements|chiffres|figures"
)

# -- intents -----------------------------------------------------------------------------------------

INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "compare",
        _re(
            r"\b(difference|differences|differencier|differ|differs|different from|distinction|distingu\w+"
            r"|compar\w*|versus|vs\.?|meme chose|same thing|pareil|similaire|similar|plutot que|rather than"
            r"|le rapport (entre|avec)|quel rapport|what is the (link|relation)|relation (entre|between)|related"
            r"|how (are|were) they|what distinguishes|ou bien|par rapport a|repartiss\w*|split (of|between)"
            r"|division of (roles|labour|labor)|roles? (de chacun|of each)|who does what|qui fait quoi"
            r"|side by side|cote a cote|en parallele"
            r"|qu'est-ce qui (change|a change)|ce qui change|what (changes|has changed|is different|differs)"
            # "Which opened first, Ottawa or Melbourne?": each side's date, side by side
            r"|(which|lequel|laquelle|quel|quelle)\b[^?]{0,40}\b(first|earlier|older|premier|premiere|plus (tot|ancien\w*))"
            r"\b[^?]{0,60}\b(or|ou)\b)\b"
        ),
    ),
    (
        "recommend",
        _re(
            r"\b(quel(le)?s? (outil|dispositif|instrument|cadre|type de (projet|structure)|programme)"
            r"|which (tool|scheme|instrument|mechanism|kind of (project|structure)|programme|program)"
            r"|what (tool|scheme|instrument)|which cnrs (tool|scheme)|outil (choisir|viser|adapte|faut-il)"
            r"|tool (fits|should|to use|would fit)|que me conseill\w+|what do you (recommend|suggest)"
            r"|(should|could) (i|we) (use|apply for|choose)|lequel choisir|quoi viser|which one fits)\b"
        ),
    ),
    (
        "list",
        _re(
            r"\b(quels sont|quelles sont|lesquels|lesquelles|liste[rz]?|list (them|all|the|every)|please list"
            r"|enumer\w+|what are the|which are the|(what|which) are [\w-]+'s ("
            + _PLURALS
            + r")\b|name (all|the|every)|tous les pays|all the countries"
            r"|(quel(le)?s|which|what) (?!(kinds?|types?|sorts?) of\b)([\w-]+ ){0,3}(?:" + _PLURALS + r")\b"
            r"|what (kinds|types) of|exemples"
            # "c'est quoi les différents appels ERC ?", "what are the different calls?"
            r"|les differente?s|the different|the various|les divers(es)?"
            r"|examples|donne-moi la liste|give me the list)"
        ),
    ),
    (
        "procedure",
        _re(
            r"\b(comment (faire|proceder|deposer|soumettre|candidater|postuler|monter|lancer|creer|s'y prendre"
            r"|se deroule|ca se passe|fonctionne|trouver|contacter|demarrer|commencer)|comment|how (do|can|should"
            r"|would) (i|we|one)|how to|how does .* work|how is .* (run|done)|demarche"
            r"|procedures?|demarches|quelles (sont les )?etapes|what (are the )?steps|etapes (a suivre|pour)|steps (to|for)"
            r"|par ou commencer|where (do i|to|should i) start|que (dois|doit)-(je|on)"
            r"|what should (i|we) do|se deroule|deroulement|how (do|does) .* (apply|submit)|how it works"
            r"|how (is|are) (an? |the )?\w+( \w+)? (created|set up|established|launched|formed|started)"
            r"|comment (est|sont) (cree|creee|crees|mis en place|mise en place|monte|montee|lance|lancee))\b"
        ),
    ),
    (
        "definition",
        _re(
            r"(c'est quoi|c est quoi|cest quoi|qu'est-ce qu|qu est ce qu|what (exactly |precisely |really )?is an?\b"
            r"|what's (exactly )?an?\b|what (exactly )?is the"
            r"|what are\b|definition|defini\w* |que signifie|que veut dire|veut dire quoi|stand for|stands for"
            r"|a quoi (sert|servent|correspond)|what does .* (mean|do)|kesako|what kind of (entity|thing)"
            # "Tell me about the Brussels office", "parle-moi de l'IRL IPAL": what it is, first
            r"|\btell me (more )?about\b|\b(parle|parlez|presente|presentez)[- ]moi\b|\bwhat do you know about\b"
            r"|\bque sais-tu (de|du|des|sur)\b|\bdescribe\b|\bdecri[st]\b)"
        ),
    ),
    (
        "how_many",
        _re(r"\b(combien|how many|how much|nombre de|quel montant|quelle part|what share|number of)\b"),
    ),
    (
        "when",
        _re(
            r"\b(quand|when|quelle? date|what date|quelle? annee|what year|depuis quand|since when|quel jour"
            r"|what day|which day|le combien"
            r"|en quelle? annee|which year|a quelle date|a quelles dates|what dates?)\b"
        ),
    ),
    (
        "where",
        _re(
            r"\b(quel(s)? bureaux?|which (cnrs )?offices?|what office|a qui (m'adresser|s'adresser|ecrire)"
            r"|who (should|do|can) (i|we) (contact|turn to|write to)|qui contacter|a qui|ou (est|se trouve|sont"
            r"|trouver)|where (is|are|can)|dans quel lieu|quel lieu|which country|quel pays|c'est ou|c est ou)\b"
        ),
    ),
    ("who", _re(r"\b(qui|who|whom|c ki|ki)\b")),
    (
        "yes_no",
        _re(
            r"^(est-ce qu|y a-t-il|ya-t-il|existe-t-il|peut-on|puis-je|faut-il|dois-je|a-t-on|is |are |am |does |do "
            r"|can |could |did |was |were |has |have |will |should |may |must |ai-je |suis-je |l'appel \w+ est-il|\w+ est-il|\w+ est-elle"
            r"|\w+ sont-ils|il y a|y a t il|ya )"
            # "Une IEA peut-elle être renouvelée ?": an inverted subject early in the sentence.
            r"|^([\w'@-]+\s+){0,4}?\w+-(t-)?(il|elle|ils|elles|on)\b"
            # "Ils sont tous à l'étranger ?": spoken French asks with a statement, when no asking word follows
            r"|^(ils|elles|il|elle|on|ca|cela) (sont|est|etait|etaient|peut|peuvent|doit|doivent|a|ont|existe"
            r"|existent|dure|durent|reste|restent|marche|fonctionne)\b"
            r"(?!.*\b(quoi|qui|quand|ou|combien|comment|quel\w*|lequel|laquelle|pourquoi)\b)"
        ),
    ),
)

# -- attributes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribute:
    """A property a question may ask about, how questions ask it, and how sentences give it.

    `value`: what a sentence giving it must contain: "person" (a capitalised name), "date" (a year or
    a date), "number" (a figure), or "" (no constraint).
    """

    name: str
    question: re.Pattern[str]
    sentence: re.Pattern[str]
    value: str = ""
    label: Mapping[str, str] | None = None  # "the director", for "the documentation does not give ..."


_A = Attribute

ATTRIBUTES: tuple[Attribute, ...] = (
    _A(
        "announcement",
        _re(r"\b(annonce\w*|announc\w*)\b"),
        _re(r"\b(annonc\w*|announc\w*)"),
        "",
        {"fr": "qui a annoncé l'ouverture", "en": "who announced the opening"},
    ),
    _A(
        "discipline",
        _re(
            r"\b(discipline|sa specialite|son domaine|scientific (background|field)|background|field of"
            r"|his field|her field|what field|quel domaine|formation|specialite|what (is|was) (his|her) field"
            # "quel était son parcours ?": the field as much as the posts held
            r"|parcours|career)\b"
        ),
        _re(
            r"(\w+log(ue|ist|ie|y)s?\b|linguist\w*|anthropolog\w*|physicien\w*|physicist|mathematicien\w*"
            r"|mathematician|chimiste|chemist|biologist\w*|geolog\w*|historien\w*|historian|economist\w*"
            r"|ingenieur|engineer|specialiste|specialist|chercheuse? (du cnrs |au cnrs )?en|researcher in"
            r"|formerly a|ancienne? "
            r"chercheuse?|discipline)"
        ),
        "",
        {"fr": "sa discipline", "en": "their field"},
    ),
    _A(
        "career",
        _re(
            r"\b(what post|quel poste|after leaving|apres (avoir quitte|son depart)|became|devenu\w*"
            r"|next position|took after|what did (he|she) do|(qu'a|qu a)-t-(il|elle) fait|que faisait-(il|elle)"
            r"|(il|elle) faisait quoi|parcours|career|background)\b"
        ),
        _re(
            r"\b(devenu\w*|became|become|nomme\w*|appointed|poste|post|conseill\w+|counsellor|counselor"
            r"|headed|dirigeait|directeur|directrice|director|was|etait|a ete|had been|vice-presid\w*|presid\w*"
            r"|a dirige|avait dirige|had led|had headed)\b"
        ),
        "",
        {"fr": "la suite de sa carrière", "en": "the post taken afterwards"},
    ),
    _A(
        "director",
        _re(
            r"\b(dirige\w*|directeurs?|directrices?|direction|directors?|direct(s|ed|ing)|head(s|ed)?"
            r"|who (actually |really |exactly )?(runs|ran|leads|led"
            r"|manages|heads|headed)|responsable|chef|runs the|run the|le dirigeait|la dirigeait|en charge"
            r"|(who|qui) (is|est) (in charge|a la tete|at the head)|a la tete"
            r"|who (has|have|had) (run|led|headed|managed)|who('s| is| was) (running|leading|heading)"
            r"|who (has|have|had) been (running|leading|heading|in charge of)"
            r"|se sont succede\w*"
            # "who works there?", "qui y travaille ?": the people the documents name at its head
            r"|who (works|worked|work) (there|at|in)|qui (y )?(travaille|bosse)\w*|staff)\b"
        ),
        _re(
            r"\b(dirig\w*|directeur\w*|directrice\w*|direction|director\w*|direct(ed|s|ing)|headed|heads?|led by"
            r"|leads|run by"
            r"|a la tete|represent\w*|responsable|chef|supervis\w*|tutelle)\b"
        ),
        "person",
        {"fr": "le nom de la personne qui le dirige", "en": "the name of its director"},
    ),
    _A(
        "opening",
        _re(
            r"\b(ouvert\w*|ouverture|ouvrir|cree\w*|creation|fonde\w*|fondation|inaugur\w*|lance\w*|open(ed|ing)?"
            r"|creat\w+|found(ed|ing)|set up|established|launch\w*|since when|depuis quand|formally"
            r"|differences? de dates?|dates? d'ouverture|opening dates?|differ(ence)? in (dates?|when)"
            # "le bureau date de 2021", "the office dates from 2022"
            r"|dat(e|es|ent|ed|ing) (de|du|from|back to) (19|20)\d\d)\b"
        ),
        _re(
            r"\b(ouv(ert|re|rir|erture)\w*|cre(e|ee|ees|es|ation)\b|cree\w*|fond\w*|inaugur\w*|lanc\w*|open\w*"
            r"|creat\w+|found\w*|set up|establish\w*|launch\w*|formalis\w*|formaliz\w*|signe\w*|signed|depuis"
            r"|since|date de|dates? from|existait|installation)\b"
        ),
        "date",
        {"fr": "la date d'ouverture", "en": "the opening date"},
    ),
    _A(
        "closing",
        _re(
            r"\b(ferme\w*|fermeture|clos\w*|closed|closing|shut|supprime\w*|disparu|ended|fin de"
            r"|existe\w*(-t-il|-t-elle)? (toujours|encore)|still (exists?|open|active|there|running)"
            r"|(toujours|encore) (ouvert|actif|en activite)|demenag\w*|moved|relocat\w*"
            r"|(is|are) there still|(is it|does it) still (open|exist\w*|active|running|operat\w*|there|around)|still (have|has) an? (office|bureau)"
            r"|(y a-t-il|il y a|a-t-il|existe-t-il) (toujours|encore)|(toujours|encore) un (bureau|office)"
            # "what happened to it?": for an office, where it went or when it closed ("qu'est-elle devenue ?"
            # is as often a person's career)
            r"|what happened to (it|the \w+ office)|qu'en est-il advenu)\b"
        ),
        _re(
            r"\b(ferm\w*|clos\w*|shut|supprim\w*|remplace\w*|replaced|ended|disparu\w*|transfer\w*"
            r"|demenag\w*|moved|relocat\w*|desormais|succede\w*|succeeded)\b"
        ),
        "date",
        {"fr": "la date de fermeture", "en": "the closing date"},
    ),
    _A(
        "location",
        _re(
            r"\b(ou (est|se trouve|sont|etait)|c'est ou|c est ou|where (is|was|are)|heberge\w*|installe\w*|located|based|housed"
            r"|hosted|host|adresse|address|locaux|premises|quel lieu|dans quel lieu|batiment|building)\b"
        ),
        _re(
            r"\b(heberg\w*|install\w*|situe\w*|locat\w*|based|housed|host\w*|locaux|premises|campus|ambassade"
            r"|embassy|batiment|building|innovation hub|maison|house|hub|universit\w+)\b"
        ),
        "place",
        {"fr": "le lieu où il est installé", "en": "where it is located"},
    ),
    _A(
        "structures",
        _re(
            r"\b(outils et structures|structures? (de cooperation|communes?|conjointes?)|joint structures"
            r"|laboratoires (communs|internationaux|conjoints)|labos (communs|internationaux|conjoints)"
            r"|(international|joint) (labs|laboratories)|quels (outils|laboratoires"
            r"|structures)|which (tools|labs|laboratories|structures|joint structures|(cnrs )?research structures)"
            r"|tools (are )?active|structures de recherche"
            r"|actifs? (en|au|dans)|active in)\b"
        ),
        _re(
            r"\b(irl|irp|irn|iea|lia|gdri|umi|umifre|lmi|usr|laboratoire\w*|laborator\w*|structures?|reseau"
            r"|network|unite|unit)\b"
        ),
        "",
        {"fr": "les structures", "en": "the structures"},
    ),
    _A(
        "zone",
        _re(
            r"\b(quels pays|which countries|what countries|(couvr\w*|cover\w*) (ce|cette|les|the|this|that|those|its"
            r"|le|la|l')? ?(pays|country|countries|zone|region)|zones?|perimetre|(?<!dans la )(?<!in the )region"
            r"|deals with|s'occupe"
            r"|fall under|falls under|relev\w*|responsible for|bureau (du cnrs )?(couvre|suit)|office (covers|deals)"
            # "l'Égypte dépend-elle du bureau de Nairobi ?", "does Egypt come under Nairobi?"
            r"|depend\w*(-t)?(-elle|-il)? (de|du|des|d')|comes? under|belongs? to"
            r"|(which|what) (geographic(al)? )?areas?|areas? (covered|does|do)|(quelle|quelles) aires?)\b"
        ),
        _re(
            r"\b(couvr\w*|cover\w*|zone|pays|countries|region\w*|releve\w*|falls? under|mandat|mandate"
            r"|responsab\w*"
            # a part of the world names where a scheme applies ("... avec l'Afrique subsaharienne")
            r"|afrique|africa|asie|asia|amerique\w*|americas?|europe|oceanie|oceania|moyen-orient|middle east"
            r"|subsaharien\w*|sub-saharan|maghreb|mediterran\w*)\b"
        ),
        "",
        {"fr": "les pays couverts", "en": "the countries covered"},
    ),
    _A(
        # "LIA vs GDRI: format, durée ?": what kind of structure it is (a lab without walls, a network)
        "format",
        _re(
            r"\b(format|type de structure|quel type d'(outil|structure)|what kind of (structure|scheme|tool)"
            # "quelle différence, en organisation et en durée ?", "how are they organised?"
            r"|en organisation|in (terms of )?(organi[sz]ation|structure|set-?up)|en (termes de )?structure|(how|comment) (is|are|was|were|est|sont|etait)"
            r"( (it|they|ils?|elles?))? organi[sz]\w*|mode d'organisation)\b"
        ),
        _re(
            # the kind of structure in the sentence's own words, not the "Project" of a tool's name
            r"\b(sans murs|without walls|(un|a) (reseau|network)|(reseau|network) (thematique|thematic|de|of)"
            r"|(projet|project) (de recherche )?(collaboratif|collaborative|commun|joint|conjoint|bilateral)"
            r"|collaborative (research )?project|(laboratoire|laboratory|lab) (commun|joint|sans|without|virtuel"
            r"|virtual)|(de|d'environ|of|about) (\d+|deux|trois|cinq|six|plusieurs|two|three|five|six|several)"
            r"( a \d+| to \d+)? (laboratoires|labs|laboratories|equipes|teams)|consortium"
            r"|sur un site (unique|commun)|on a (single|shared|common) site|single site|site unique"
            r"|(meme|un seul) (lieu|site)|same (place|site))\b"
        ),
        "",
        {"fr": "son format", "en": "its format"},
    ),
    _A(
        "duration",
        _re(
            r"\b(combien de temps|how long|durees?|durations?|dure|durent|last(s|ed)?|run for|ran for|how many years"
            r"|combien d'annees|combien de mois|how many months"
            r"|longtemps|in length)\b"
        ),
        _re(
            r"\b(dur(e|ee|ees|ent|ait|aient)|durations?|ans|annees?|years?|(un|\d+) an|last(s|ed|ing)?|ran for|months|mois)\b"
        ),
        "number",
        {"fr": "la durée", "en": "the duration"},
    ),
    _A(
        "renewal",
        _re(
            r"\b(renouvel\w*|renew\w*|prolong\w*|extend\w*|extension|reconduct\w*|how many times|combien de fois)\b"
        ),
        _re(r"\b(renouvel\w*|renew\w*|prolong\w*|extend\w*|reconduct\w*|une fois|once)\b"),
        "",
        {"fr": "s'il peut être renouvelé", "en": "whether it can be renewed"},
    ),
    _A(
        "costs",
        _re(
            r"\b(quels frais|quelles depenses|what (kinds? of )?(costs|expenses)|pay for|payer quoi|cover the costs"
            r"|couvr\w* (quoi|les frais)|frais|depenses|costs|expenses|spent on|used for|what did it pay"
            # "quel type d'activités ?", "what activities does it fund?": what it pays for
            r"|(types? d'|quelles? |what (kinds? of )?|which )activit\w*|activities)\b"
        ),
        _re(
            r"\b(depenses?|costs?|frais|missions?|deplacements?|travel|trips?|sejours?|stays?|visits?|reunions?"
            r"|meetings?|workshops?|colloques|conferences?|pays? for|paie|finance\w*|fund(s|ed)?|ateliers?"
            r"|seminaires?|seminars?|ecoles thematiques|thematic schools|echanges|exchanges)\b"
        ),
        "",
        {"fr": "ce qu'il finance", "en": "what it pays for"},
    ),
    _A(
        "funding",
        _re(
            r"\b(combien d'argent|budget|montant|financ\w*|how much (money|funding)|funding|funded|amount|euros?|€|k€"
            r"|money|l'argent"
            r"|who (pays|paid|funds|funded)|qui (paie|payait|finance|financait)|paid (for )?by|credits|subsidi[sz]\w*"
            r"|subvention\w*|sponsor\w*|combien (apporte|rapporte|donne|verse)\w*|how much does (it|an? \w+) (bring|give|get|provide)"
            r"|how much (has|have|did) (it|they|the cnrs|cnrs) (got|get|received|obtained|won)|combien d'euros"
            # "c'est combien le max ?", "what's the maximum?": the ceiling of a grant
            r"|combien (le|au) (max|maximum|plafond)|(le )?(max|maximum|plafond),? (c'est )?combien|jusqu'a combien"
            r"|how much (at most|max\w*)|what'?s the (max|maximum)( amount)?|maximum amount|up to how much)\b"
            r"|how much \$|\$\$|€€"  # "how much $$ has it got"
            # "does the money go to our unit?", "l'argent est-il versé au labo ?": where the funding goes
            # (not what it may be spent on: "what can the money be spent on?", "à quoi sert l'argent ?")
            r"|(?<!sert )(?<!servir )\b(the|our|this|that|l'|notre|cet) ?(money|argent|funds|dotation)\b"
            r"(?!\s+(can |could |may |must )?(be )?(spent|used))"
        ),
        _re(
            r"(€|\beuros?\b|\bk€|\bfinanc\w*|\bfund\w*|\bbudget\w*|\bmontant|\bpaid\b|\bpays\b|\bcredits?\b"
            r"|\bpaie\b|\bsubsidi[sz]\w*|\bsubvention\w*|\bsponsor\w*)"
        ),
        "",
        {"fr": "son financement", "en": "its funding"},
    ),
    _A(
        "eligibility",
        _re(
            r"\b(qui (peut|peuvent|devait|doit|doivent|porte|portait)|who (can|may|could|must|should) (apply|lead"
            r"|submit|carry)|eligib\w*|conditions?|criteres|criteria|requirements?|porter un projet|porteurs?"
            r"|carry a project|apply|who (submits|applies|files|sends in)|qui (depose|soumet|candidate|envoie)"
            r"|prerequis\w*|prerequisites?|pre-requisites?"
            # "What does the programme require of the student?", "qu'exige le programme du doctorant ?"
            r"|requires?|required|exige\w*|obligations?"
            # "Est-ce que j'en ai le droit ?", "am I allowed to?"
            r"|(j'en ai|j'ai|ai-je|avons-nous|a-t-on|on a) le droit|am i (allowed|eligible|entitled)"
            r"|are we (allowed|eligible|entitled)|allowed to|entitled to|autorisee?s? a"
            r"|(peux|peut|peuvent|puis|pouvons|pourrais|pourrait)(-je|-on|-il|-elle)? (porter|deposer|coordonner|diriger)"
            r"|(can|could|may) (i|we|a|an|one) (\w+ )?(lead|apply|coordinate|submit|carry)"
            # "notre postdoc pourrait-il être coordinateur ?", "could a PhD student be the PI?"
            r"|(etre|be|become|devenir) (le |la |the )?(co-?)?(coordinat\w*|coordonnat\w*|porteur\w*|leader|pi))\b"
        ),
        _re(
            r"\b(porteurs?|porte\w*|peut|peuvent|can|may|must|doit|doivent|eligib\w*|reserve\w*|open to"
            r"|ouvert\w* a|titulaire|permanent|led by|two researchers|deux chercheurs|applicants?|candidat\w*"
            r"|destine\w* a|meant for|intended for|s'adress\w* a|aimed at|ayant deja|already had"
            r"|(submit|submits|deposent|depose|presentent) (a |une )?(joint |commune? )?(application|demande|proposal)"
            r"|(deposee|submitted) (conjointement |jointly )?par|(application|demande) (commune|conjointe|joint))\b"
        ),
        "",
        {"fr": "qui peut le porter", "en": "who can apply"},
    ),
    _A(
        "selection",
        _re(
            r"\b(selectionn\w*|select\w*|evalu\w*|choisi(s|e|es)|chosen|retenu\w*|accepted|jury|comite|judg(e|ed|es|ing)"
            r"|juge(s|es|e|r)?|assess\w*|reviewed|review(s|ing)?)\b"
        ),
        _re(
            r"\b(selection\w*|select(ed|ion) (jointly|by|through)|evalu\w*|comite\w*|committee|jury|peer|pairs|appel conjoint"
            r"|joint call|examin\w*|reviewed)\b"
        ),
        "",
        {"fr": "comment les projets sont sélectionnés", "en": "how projects are selected"},
    ),
    _A(
        "calendar",
        _re(
            r"\b(date limite|deadline|calendrier|when (can|could|should|do) (i|we|one|it|they)? ?(submit|apply"
            r"|be submitted)|quand (deposer|soumettre|candidater)|submitted|soumis|deposee?s?|campagnes?|appels?"
            r"|calls?|se deroule l'appel|periode de l'annee|moment de l'annee|time of (the )?year|quels? mois"
            r"|depots?|modalites de (depot|candidature|soumission)|how (to|do (i|we|you)) (apply|submit)"
            r"|application process|submission process"
            # "is it too late to apply this round?", "when would we hear back?": the call's dates
            r"|too late|trop tard|still time|encore (le )?temps|hear back|(quand|when) [\w' -]{0,25}(reponse|results?"
            r"|resultats?)"
            r"|which months?)\b"
        ),
        _re(
            r"\b(date limite|deadlines?|appels?|calls?|campagnes?|campaigns?|jusqu'au|until|ouvert du|open from|any time"
            r"|tout moment|all year|chaque annee|each year|annuel\w*|annual\w*|pre-campagne|precampagne"
            r"|submitted|soumis|depos\w*|de (janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre"
            r"|novembre|decembre) a|between (january|february|march|april|may|june|july|august|september"
            r"|october|november|december) and)\b"
        ),
        "",
        {"fr": "le calendrier de dépôt", "en": "the submission calendar"},
    ),
    _A(
        "platform",
        _re(
            r"\b(plateforme|platform|sur quel site|which (site|website|portal)|portail|portal|en ligne|online)\b"
        ),
        _re(r"\b(plateforme|platform|noa|coopinteer|portail|portal|site)\b"),
        "",
        {"fr": "la plateforme de dépôt", "en": "the submission platform"},
    ),
    _A(
        "predecessor",
        _re(
            r"\b(precede\w*|preced\w*|before it|avant (lui|elle|cela|son|sa|l'ouverture|d'ouvrir)|ancetre"
            r"|successeur|successor|succeed\w*|remplace\w*|replac\w*|what became|devenus?|become of|predecesseur"
            r"|predecessor|ancien nom|former name|already had)\b"
        ),
        _re(
            r"\b(remplac\w*|replac\w*|succed\w*|succeed\w*|success\w*|preced\w*|avant|before|ancien\w*|former"
            r"|devenu\w*|became|prolonge\w*|continu\w*|herit\w*|dialogue strategique|deja|already)\b"
        ),
        "",
        {"fr": "ce qui l'a précédé", "en": "what came before it"},
    ),
    _A(
        # "d'où vient ce partenariat ?", "where does the agreement come from?": what it stems from, and when
        "origin",
        _re(
            r"\b(d'ou vien\w*|where does (it|this|that|the \w+) come from|where did (it|this|that) come from"
            r"|origine?s?|how did (it|this|that|the \w+) (start|begin|come about)|comment (est|a) ne\w*"
            r"|comment (ca|cela|il|elle) a commence|d'ou (date|part)\w*)\b"
        ),
        _re(
            r"\b(decoule\w*|stems? from|stemmed|remonte\w*|dates? back|a l'origine|originally|origin\w*|issu\w*"
            r"|grew out|fonde\w* sur|based on|premier accord|first agreement|accord (bilateral|cadre)"
            r"|(bilateral|framework) agreement|cree\w*|created|lance\w*|launched|ne\b|born)\b"
        ),
        "date",
        {"fr": "son origine", "en": "its origin"},
    ),
    _A(
        "contact",
        _re(
            r"\b(a qui (?:(?:je |nous )?(?:dois|doit|devons|faut-il|peux|puis)[- ](?:je |nous |il )?)?"
            r"(?:m'|nous |s')?(?:adress\w*|ecrire|demander|parler)|qui (?:dois-je |faut-il )?contacter"
            r"|(?:who|whom) (?:should|do|can|could|must) (?:i|we) (?:contact|ask|write to|talk to|turn to)"
            r"|(?:who|whom) to (?:contact|ask|write to|turn to)|interlocuteurs?|points? of contact"
            r"|(?:mon|notre|ton|votre|un|my|our|a) (?:relais|local contact|go-to (?:person|contact))"
            r"|(?:vers|a) qui (?:(?:je |nous |on )?(?:dois|doit|peut|peux|faut-il)[- ]?(?:je |nous |on |il )?)?"
            r"(?:me |nous |se )?tourner|qui (?:dois-je|devons-nous|faut-il) (?:contacter|solliciter)"
            # "vers qui dois-je orienter chacun ?", "who should I refer them to?": whom to send someone to
            r"|(?:vers|a) qui (?:dois-je |faut-il |puis-je |je dois |on doit )?(?:l'|les |le |la )?(?:orienter|diriger|renvoyer)"
            r"|(?:who|whom|where) (?:should|do|can) (?:i|we) (?:refer|direct|send) (?:them|him|her|each|people)"
            # "is there anyone from the CNRS here who could help us?", "quelqu'un qui pourrait nous aider ?"
            r"|(?:anyone|someone|anybody|somebody|quelqu'un|une personne)\b[^.?!]{0,50}\b(?:who|qui) (?:can|could|might"
            r"|would|peut|pourrait|puisse) (?:help|assist|support|aider|accompagner|conseiller|m'aider|nous aider"
            r"|m'accompagner|nous accompagner)"
            r"|(?:who|whom) (?:do|should|can) (?:i|we) (?:reach out to|get in touch with|approach)"
            # "who should each request go to?", "à qui transmettre cette demande ?": where to send it
            r"|(?:who|whom|where) should (?:it|this|that|they|these|each(?: \w+)?|the \w+) (?:go|be sent|be forwarded"
            r"|be referred|be directed)"
            r"|(?:a|vers) qui (?:dois-je |faut-il |je dois |on doit )?(?:transmettre|envoyer|adresser|transferer|faire suivre)"
            # "je dois voir qui en premier ?", "who should I see first?": whom to go to
            r"|(?:dois|doit|devons|faut|need to|have to) (?:aller )?(?:voir|see|go to) (?:qui|who|whom)"
            r"|(?:who|whom) (?:should|do|must) (?:i|we) (?:see|go to|speak to)"
            # "qui dois-je prévenir ?", "who should I notify first?": whom to tell
            r"|qui (?:dois-je |devons-nous |faut-il |je dois |on doit |doit-on )?(?:prevenir|informer|avertir)"
            r"|(?:dois|doit|devons|faut) (?:prevenir|informer|avertir) qui"
            r"|(?:who|whom) (?:(?:should|do|must|need to) )?(?:i|we) (?:(?:have|need) to |must |should )?"
            r"(?:notify|inform|tell|let know|warn)"
            r"|who (?:needs|has) to be (?:informed|notified|told)"
            # "qui suit la Suisse au CNRS ?", "who handles Switzerland?": who is in charge of that country
            r"|qui (?:suit|suivent|s'occupe\w* (?:de|du|des)|gere|traite|prend en charge)"
            r"|who (?:follows|handles|deals with|looks after|takes care of|is in charge of|is responsible for))\b"
        ),
        _re(
            r"\b(accompagn\w*|interlocuteur\w*|contact\w*|support\w*|assist\w*|coordonn\w*|informer|prevenir"
            r"|inform (?:the|your|his|her|their)|notify"
            r"|gere|gerent|handles?|manages?|help\w*|aide\w*|conseill\w*|advis\w*|(?:tient|assure)\w* la gestion"
            # "s'adresse au bureau de Tokyo" (whom to ask), not "s'adresse aux chercheurs" (who may apply)
            r"|adress\w* (?:au|a la|a l'|aux) ?(?:bureau|pole|secteur|service|spv|ipe|reseau|delegation|dei|derci|institut"
            r"|direction))"
        ),
        "",
        {"fr": "à qui s'adresser", "en": "whom to contact"},
    ),
    _A(
        "purpose",
        _re(
            r"\b(what (was|is) it for|what for|pour quoi faire|dans quel but|a quelle occasion|on what occasion"
            r"|to mark what|pourquoi|why|purpose of the event|in honour of|en l'honneur)\b"
        ),
        _re(
            r"\b(anniversaire|anniversary|cinquantenaire|\d+ ans de|\d+(st|nd|rd|th) anniversary|to mark|marking"
            r"|pour (marquer|celebrer|feter)|celebr\w*|fet(ent|er|e)|afin de|in order to|occasion|accord\w*"
            r"|agreement)\b"
        ),
        "",
        {"fr": "son objet", "en": "what it was for"},
    ),
    _A(
        "mission",
        _re(
            r"\b(role|roles|missions?|que fait|what does .* do|a quoi sert|purpose|taches?|tasks?|sert a"
            r"|describes? its mission|decrit sa mission|in three words|en trois mots|supposed to do|meant to do"
            r"|devait faire|planned actions|actions prevues|objecti\w+)\b"
        ),
        _re(
            r"\b((?<!\d.)missions?|role|charge\w*|aide\w*|helps?|support\w*|accompagn\w*|purpose|vise|aims?|connect"
            r"|planned|prevo\w*|prevu\w*|objecti\w+"
            r"|inform|assist\w*|promo\w*|represent\w*|coordonn\w*|coordinat\w*"
            # "le bureau de Nairobi cherche à bâtir des partenariats": what it sets out to do
            r"|cherche a|veut|seeks? to|wants? to|sets? out to)\b"
        ),
        "",
        {"fr": "ses missions", "en": "its missions"},
    ),
    _A(
        "partners",
        _re(
            r"\b(partenaires?|partners?|avec qui|with whom|quelles institutions|which institutions|agences?|agencies"
            # "avec quels types d'interlocuteurs travaille-t-il ?", "who does it work with?"
            r"|interlocuteurs?|counterparts?|(travaille\w*|works?|working) (avec|with)"
            # "is it linked to the CNRS?", "est-il rattaché au CNRS ?": whom it belongs with
            r"|linked (to|with)|lie(e|s|es)? (a|au|aux|avec)|rattache\w* (a|au|aux)|affiliated|connected (to|with)"
            r"|(avec|with) (quels?|quelles?|which|what) (\w+ ){0,3}(travaille\w*|works?|work)"
            r"|partag\w* avec|shared? with|sharing (it )?with|(other|autres) (organismes|organisations?|organizations?"
            r"|institutions))\b"
        ),
        _re(
            r"\b(partenaire\w*|partner\w*|avec|with|universit\w*|agenc\w*|institut\w*|conjoint\w*|joint"
            r"|partag\w*|shared?|rejoint|joined)\b"
        ),
        "",
        {"fr": "ses partenaires", "en": "its partners"},
    ),
    _A(
        "themes",
        _re(
            r"\b(themes?|thematiques?|sujets?|topics?|domaines?|fields|priorites?|priorities|defis|challenges)\b"
        ),
        _re(
            r"\b(themes?|thematique\w*|priorit\w*|defis?|challenges?|porte sur|works? on|domaines?|fields?)\b"
        ),
        "",
        {"fr": "ses thèmes", "en": "its themes"},
    ),
    _A(
        "rank",
        _re(
            r"\b(rang|rank\w*|position|classement|class(e|ee|es|ees|ait|aient)|(?<!sur )(?<!en )place|devancent|ahead of|before it in)\b"
        ),
        _re(
            r"\b(rang|rank\w*|premier|premiere|deuxieme|troisieme|\d+e|first|second|third|\d+(st|nd|rd|th)"
            r"|devanc\w*|derriere|behind|ahead)\b"
        ),
        "",
        {"fr": "son rang", "en": "its rank"},
    ),
    _A(
        # "What's the success rate of the IEA call?": a share of the proposals that were selected, not the
        # 20 % of an IRP's budget that may go to other costs
        "success_rate",
        _re(r"\b(success rate|acceptance rate|selection rate|taux de (succes|reussite|selection|sucess))\b"),
        _re(
            r"(?=.*\b(succes\w*|success\w*|reussite|selection\w*|selected|retenu\w*|accept\w*|laureat\w*))"
            r".*(%|\bpour cent\b|\bpercent\b|\bsur \d|\bout of \d)"
        ),
        "number",
        {"fr": "le taux de succès", "en": "the success rate"},
    ),
    _A(
        "share",
        _re(r"\b(quelle part|what share|pourcentage|percentage|percent|proportion)\b|%"),
        _re(r"%|\bpour cent\b|\bpercent\b"),
        "number",
        {"fr": "la part", "en": "the share"},
    ),
    _A(
        "event",
        _re(
            r"\b(evenement|event|anniversaire|anniversary|celebr\w*|ceremonie|ceremony|joint event|feter|fetait)\b"
        ),
        _re(
            r"\b(evenement|event|anniversaire|anniversary|cinquantenaire|celebr\w*|organis\w*|organiz\w*|colloque"
            r"|conference|congres|congress|symposium|forum|seminaire|seminar|workshop|atelier|inauguration)\b"
        ),
        "",
        {"fr": "l'événement", "en": "the event"},
    ),
    _A(
        "count",
        # "combien de budget ?" asks an amount, not a number of things
        _re(
            r"\b(combien(?! (d'argent|de budget|d'euros|de financement|de credits|de fonds|de sous|de dotation))"
            r"|how many|nombre|number of)\b"
        ),
        _re(
            r"\d|\b(un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|one|two|three|four|five"
            r"|six|seven|eight|nine|ten|eleven|twelve|dozen|douzaine|vingtaine)\b"
        ),
        "number",
        {"fr": "le nombre", "en": "the number"},
    ),
)

ATTRIBUTE_BY_NAME: Mapping[str, Attribute] = {a.name: a for a in ATTRIBUTES}

# Attributes whose answer is not the value the intent suggests: "who pays" wants a funder, not a
# person's name; "who can apply" wants conditions.
VALUE_FREE = frozenset(
    {
        "costs",
        "funding",
        "eligibility",
        "selection",
        "partners",
        "mission",
        "calendar",
        "contact",
        "platform",
        "predecessor",
        "themes",
        "structures",
        "event",
        "zone",
        "announcement",
        "format",
    }
)

# Attributes of a person rather than of an office or a tool: a sub-question asking one of these about
# "him / her / sa / son" is about the person the previous part of the answer named.
PERSON_ATTRIBUTES = frozenset({"discipline", "career"})

# -- time qualifiers -----------------------------------------------------------------------------------

TODAY = _re(
    r"\b(aujourd'hui|aujourdhui|actuel\w*|actuellement|currently|current|today|now|nowadays|en ce moment"
    r"|at present|these days|de nos jours|in recent years|recently|ces dernieres annees|recemment)\b"
)
FIRST = _re(r"\b(premier|premiere|first|tout premier|le tout premier|earliest|initial\w*)\b")
BEFORE = _re(r"\b(avant|before|prior to|precede\w*|preced\w*|earlier)\b")
AFTER = _re(r"\b(apres|after|since|depuis|ensuite|next|suivant\w*|puis)\b")
YEAR = _re(r"\b(1[89]\d\d|20\d\d)\b")
YEAR_RANGE = _re(r"\b(1[89]\d\d|20\d\d)\s*(?:-|–|a|to|et|and)\s*(1[89]\d\d|20\d\d)\b")
# What has not happened yet: the documents tell the past and the present ("qui sera le prochain directeur ?").
FUTURE = _re(
    r"\b(sera|seront|prochaine?s?|will be|who will|when will|next (director|head|call|campaign|one)|futur\w*|a venir"
    r"|upcoming|succedera|remplacera|will succeed|will replace)\b"
)
AROUND = _re(r"\b(vers|around|autour de|environ|about|circa|approximately)\b")

# -- sentences -------------------------------------------------------------------------------------------

# A sentence that says the documents do not know something: a gap statement, good only for a gap.
GAP_SENTENCE = _re(
    r"\b(aucune source|no source|ne (donne|precise|dit|nomme|mentionne|permet|fournit|indique)\w* pas"
    r"|n'est (pas )?(indique|precise|documente)e?|not (documented|specified|stated|given|say)|do(es)? not (say"
    r"|give|specify|name|state|mention|allow)|n'apparait dans aucune|appears in no|unknown|inconnu\w*"
    r"|documentation (consultee|consulted) (ne|does not)|none of the (sources|documents|pages))"
)
# A sentence that opens on a word pointing back to a sentence the reader will not see.
DANGLING = _re(
    r"^(donc|therefore|thus|hence|ainsi|also|aussi|de plus|en outre|moreover|furthermore|however|cependant"
    r"|pourtant|par ailleurs|meanwhile|non plus|neither|ensuite|then|puis|these|those|this|that|ces|ce |cet"
    r"|cette|celui|celle|ceux|il |elle |ils |elles |it |they |he |she |its |their |le meme|la meme|the same"
    r"|les memes|\d+ \(usr|\d+\)|et |and |but |mais )"
    # "The Rio office therefore did not close": a conclusion drawn from the sentence before it.
    r"|^([\w'’@-]+\s+){1,7}(therefore|thus|donc)\b"
)
# A user who has seen sources disagree: "j'ai lu deux durées différentes", "pages that don't agree".
# "Which one is right?" after two values the asker quotes, or "the announcement says 4, but the page says the
# 5th": a choice or a contrast between sources (with `QUOTES_VALUES`), whatever the words that report them
# A first name and a surname, each capitalised ("Olga Anokhina", "Liviu Nicu"), after the message's first word
FULL_NAME = re.compile(r"(?<=[\s'’])[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)? [A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?\b")
# ... and a source quoted for each ("une lettre parle d'Olga Anokhina, le site de Liviu Nicu")
QUOTES_A_SOURCE = re.compile(
    r"\b(parle\w*|dit|disent|says?|said|mentionne\w*|mentions?|site|page|lettre|letter|source|selon|according"
    r"|indique\w*|lists?|nomme\w*|names?)\b"
)
CONFLICT_CHOICE = _re(
    r"\b(which (one )?is (right|correct|true)|which one\b|lequel|laquelle|qui a raison|who is right"
    r"|est-ce (juste|vrai|exact)|c'est (juste|vrai|exact)|lequel est (juste|vrai|bon))"
    r"|\b(mais|but|whereas|alors que|however|pourtant|yet)\b[^.?!]{0,80}\b(dit|disent|says?|said|parle\w*"
    r"|mentionne\w*|mentions?|read|lu|indique\w*|states?|also that|aussi que|celebrated|fete\w*|counts?|compte\w*"
    r"|cite\w*|donne\w*|gives?|affiche\w*|shows?)\b"
)
QUOTES_VALUES = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?")

CONFLICT_HINT = _re(
    r"\b(deux \w+ different\w*|two different|differentes? selon|different (figures|dates|answers|values)"
    r"|ne disent pas la meme chose|don'?t say the same|do not say the same|contradict\w*|se contredisent"
    r"|disagree\w*|ne concordent pas|pas d'accord|sources differ|selon les pages|depending on the page"
    r"|(don'?t|do not|doesn'?t|does not) (agree|match|tally)|ne correspondent pas|ne collent pas"
    r"|lequel croire|laquelle croire|qui croire|(quel|quelle) (chiffre|date|valeur|version|source) (croire|retenir)"
    r"|which (one|figure|date|value|version|source)? ?(should i|do i|to) (believe|trust))\b"
    # "2020 or 2021?", "j'ai vu 4 ans, 5 ans", "je trouve les deux": the asker has met several values
    r"|\b(19|20)\d\d (ou|or) (de |en |in )?(19|20)\d\d\b"
    r"|\b(j'ai (vu|lu|trouve)|i('ve| have)? (seen|read|found))\b[^.?!]{0,30}\d(?:[^.?!]|[.,]\d){0,25}[,;]? (et |and |ou |or )?"
    r"[^.?!]{0,12}\d"
    # "31.6% in one place and 30% in another", "26 quelque part et 27 ailleurs"
    r"|\b(in one place|somewhere|quelque part|a un endroit)\b[^?!]{0,40}\b(in another|elsewhere|ailleurs)\b"
    r"|\b(je trouve|j'ai trouve|on trouve|j'ai (vu|lu)|i (found|find|see)|i('ve| have) (seen|read|found)) (les deux|both)\b"
    # "mon directeur dit 4 ans, mais le site dit 5 ans", "the call says 2 years but my partner says 3"
    r"|\b(dit|disent|disait|says?|said|indique|states?|gives?|donne)\b[^.?!]{0,60}\d[^.?!]{0,40}"
    r"\b(mais|but|alors que|whereas|while|tandis que)\b[^.?!]{0,60}\d"
    # "j'ai lu qu'il a ouvert en 2021 mais ailleurs 2022": two years set against each other
    r"|\b(19|20)\d\d\b[^.?!]{0,60}\b(mais|but|ailleurs|elsewhere|whereas|alors que|tandis que|pourtant|however)\b"
    r"[^.?!]{0,40}\b(19|20)\d\d\b"
    # "une UMI durait 4 ans ; pourtant la page du bureau parle de 5 ans": two values of one unit, opposed
    r"|\b\d+ ?(?P<unit>ans|years?|mois|months?|%|€|euros?|bureaux|offices)\b[^.?!]{0,80}"
    r"\b(mais|pourtant|cependant|but|however|yet|alors que|whereas|tandis que)\b[^.?!]{0,80}\b\d+ ?(?P=unit)\b"
)
# Sentences about disagreeing sources.
DISAGREEMENT = _re(
    r"\b(divergen\w*|ne concordent pas|disagree\w*|differ\w*|varie\w*|vary|varies|selon les sources"
    r"|depending on the source|d'autres sources|other sources|contradict\w*|en revanche|whereas|tandis que"
    r"|alors que|mais selon|but according)\b"
)
# Sentences that say where to read, not what is true.
POINTER = _re(
    r"^\s*(details|voir|see|more on|plus de details|pour en savoir plus)\b"
    r"|\b(la page|the page|cette page|this page)\b.{0,80}\b(detaill|present|decri|details|describes|covers)"
)
# A sentence that announces items listed in the sentences after it ("... a choisi trois grands défis.").
# Before a number: "d'un ou deux pays", "5 à 8 laboratoires" give a range, not a count of items to come
NOT_A_RANGE = r"(?<!\bou )(?<!\bor )(?<!\bto )(?<!\ba )"
ANNOUNCES = _re(
    r"(:\s*$|"
    + NOT_A_RANGE
    + r"\b(plusieurs|several|les suivant\w*|the following|deux|trois|quatre|cinq|six|sept|huit|neuf|dix"
    r"|two|three|four|five|six|seven|eight|nine|ten|(?<!\d )\d{1,2}) (grande?s |main |major |new |nouveaux |nouvelles |principa(ux|les) )?"
    r"(defis|challenges|themes|outils|tools|sources|structures|laboratoires|labs|laboratories|programmes|programs"
    r"|appels|calls|pays|countries|axes|priorites|priorities|volets|missions|etapes|steps|bureaux|offices"
    r"|types|categories|poles|secteurs|sectors|instruments|dispositifs|actions|domaines|areas|organisations"
    r"|organizations|organismes|bodies|institutions|partenaires|partners|membres|members)\b)"
)

# -- messages of long or informal questions --------------------------------------------------------------

# SMS and chat spellings (folded) -> the words they stand for. Only whole tokens are replaced.
# The types of CNRS cooperation structures, as names put them before a structure's own name ("IRL
# CROSSING", "LIA HOMEN", "UMIFRE IFAS-Recherche").
STRUCTURE_TYPES = frozenset("IRL IRP IRN IRC IEA LIA LEA UMI GDRI GDRE UMIFRE LMI UMR USR IFRE PICS".split())

SMS: Mapping[str, str] = {
    "diff": "différence",
    "c": "c'est",
    "koi": "quoi",
    "kwa": "quoi",
    "kel": "quel",
    "kelle": "quelle",
    "kels": "quels",
    "ki": "qui",
    "qqn": "quelqu'un",
    "qq": "quelques",
    "ya": "il y a",
    "y'a": "il y a",
    "cé": "c'est",
    "ce": "ce",
    "avc": "avec",
    "cb": "combien",
    "ds": "dans",
    "tps": "temps",
    "tmps": "temps",
    "pr": "pour",
    "pk": "pourquoi",
    "qd": "quand",
    "tjrs": "toujours",
    "tjs": "toujours",
    "auj": "aujourd'hui",
    "mtn": "maintenant",
    "pcq": "parce que",
    "qqch": "quelque chose",
    "bjr": "bonjour",
    "bsr": "bonsoir",
    "pq": "pourquoi",
    "tt": "tout",
    "bcp": "beaucoup",
    "mm": "même",
    "slt": "salut",
    "stp": "s'il te plaît",
    "svp": "s'il vous plaît",
    "jsp": "je ne sais pas",
    "jai": "j'ai",
    "jdois": "je dois",
    "jveux": "je veux",
    "jvoudrais": "je voudrais",
    "jpeux": "je peux",
    "jsuis": "je suis",
    "chui": "je suis",
    "jsais": "je sais",
    "jvais": "je vais",
    "jcherche": "je cherche",
    "jcomprends": "je comprends",
    "dc": "donc",
    "u": "you",
    "r": "are",
    "n": "and",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "w/": "with",
    "b4": "before",
    "2day": "today",
    "abt": "about",
    "info": "information",
    "wich": "which",
    "whitch": "which",
    "whcih": "which",
    "wat": "what",
    "wht": "what",
    "wher": "where",
    "wen": "when",
    "hw": "how",
    "whats": "what's",
    "wats": "what's",
    "hows": "how's",
    "whos": "who's",
    "wheres": "where's",
    "whens": "when's",
}

# Sentences of a long message that carry no question: greetings, apologies, thanks.
PLEASANTRY = _re(
    r"^(hi|hello|hey|dear|bonjour|salut|coucou|bonsoir|merci|thanks|thank you|sorry|desole\w*|pardon"
    r"|excuse\w*|cordialement|best regards|regards|bien a vous|bonne journee)\b"
)
# Words that mark the sentence holding the actual question inside a long message.
REQUEST = _re(
    r"\?|\b(i'd (really )?like to know|i would like to know|what i'd (really )?like|i want to know|i need to know"
    r"|je voudrais savoir|j'aimerais savoir|ma question|my question|could you tell|pourriez-vous|pouvez-vous"
    r"|can you tell|tell me|dites-moi|dis-moi|je cherche|i'm looking for|i am looking for|looking for"
    r"|which|what|who|when|where|how|quel\w*|qui|quand|comment|combien|ou)\b"
)
