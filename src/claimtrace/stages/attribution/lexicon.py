"""The attribution stage's word lists and small tables, gathered in one place.

The reporting words themselves, with their cue class and forms, are ``data/cues.tsv`` (read by
``claimtrace.stages.attribution_lexicon``). These are the words the rules test tokens against:
the auxiliaries, particles and times around a verb cue, the prepositions that lead a content,
the pronouns a source is resolved through, and the adjectives, light verbs, nouns and
participles of the other frames. Each set's comment says what it is for."""

from __future__ import annotations

from typing import Final

from claimtrace.stages.attribution_lexicon import word_set

#: verbs that are cues on adjacency alone; the others need a clause or a quote as complement
_STRONG: Final = word_set(
    "say tell add claim allege believe report deny warn insist argue state note explain write "
    "announce think ask reply respond acknowledge admit confirm predict suggest testify"
)
_AUX: Final = word_set(
    "has have had is was were are be been being will would did does do 's 've 'd can could "
    "may might must should shall"
)
_NEG: Final = word_set("not n't never")
_CUE_ADVERBS: Final = word_set("also now then often even later previously repeatedly")
_CUE_TIMES: Final = word_set(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday then later"
)
_LEADING_JUNK: Final = word_set("but and however yet so also even then shortly")
#: prepositions that tie a cue to the content after it ("accused him of", "spoke about")
_LINKING_PREPOSITIONS: Final = word_set("of about on for against to as into over with at from")
#: punctuation that sets off an inserted "he said"
_SET_OFF: Final = frozenset([",", "–", "—"])
#: verbs that are cues only before or after a quotation ("She continued: “…”"), never with a
#: clause or an object ("continued to fight")
_QUOTE_ONLY: Final = word_set("continue")
#: verbs that are cues only with their particle: "pushed for a vote", "laid out a plan"
_PARTICLE_ONLY: Final = word_set(
    "push lay seize bristle balk weigh chime double lash sound pounce side single shrug spar "
    "shoot fire hit light focus"
)
#: verbs that report only when what they put out is a text: "released a statement", "issued a
#: report", "presented a plan"; not "released the prisoners", "issued visas"
_TEXT_OBJECT_ONLY: Final = word_set("release issue present")
_TEXTS: Final = word_set(
    "ad ads advertisement report reports study analysis poll survey plan proposal proposals "
    "list paper document documents memo letter findings guidance warning warnings ultimatum "
    "rebuttal response denial apology appeal order orders ruling opinion decision veto threat "
    "call demand demands estimate forecast figures data transcript recording footage policy"
)
#: verbs whose passive subject is the one addressed ("he was told by aides …"), not the topic
_ADDRESSED: Final = word_set("tell ask inform advise warn remind assure urge brief")
#: verbs whose passive subject receives something ("were offered a deal", "was promised a
#: job"): without an agent or a clause, nobody is reported
_GIVEN: Final = word_set("offer promise grant award give")
#: verbs whose passive subject holds the view: "are concerned that", "was convinced that"
_EXPERIENCED: Final = word_set(
    "concern worry convince persuade alarm disappoint frustrate trouble encourage satisfy "
    "surprise shock dismay outrage anger disturb reassure"
)
#: perception verbs that report a view only with an "as" phrase ("critics see the deal as a
#: giveaway"), never alone ("saw the house", "will see what happens")
_AS_ONLY: Final = word_set("see cast bill")
#: mental-state verbs: cues only with a clause ("knows that …"), not an object ("knows him")
_CLAUSAL_ONLY: Final = word_set("know think understand feel realize realise hope fear")
#: forms that are reporting verbs whatever the tagger says
_VERB_ONLY_FORMS: Final = word_set(
    "said says told tells claimed added warned argued stated noted explained wrote announced "
    "denied insisted alleged believes"
)
_TITLES: Final = word_set(
    "mr. mrs. ms. dr. rep. sen. gov. gen. lt. col. sgt. capt. prof. rev. st. jr. sr. pres. "
    "reps. sens. u.s. u.n."
)
_NOT_SPEECH: Final = word_set("be have do get make let see mean ensure require")
_REPORTING_PREPOSITIONS: Final = word_set("about of against for on over")
#: what opens a clause of a bare participle ("when asked whether …", "if told to …")
_WHEN_ASKED: Final = word_set("when if once after before while as unless until")
#: verbs whose subject is raised from the clause they hedge ("X seems to …"): not a holder
_RAISING: Final = word_set("seem appear")
#: prepositions that give what a saying is about wherever they stand after the verb
#: ("is speaking out ahead of the election about the problems …")
_TOPIC_PREPOSITIONS: Final = word_set("about against")
#: verbs whose object is the one charged and whose "of" phrase is the charge
_CHARGING: Final = word_set("accuse suspect")
_ADDED_CLAUSE: Final = word_set("but which who while whereas although though according")
#: "claimed last month that …": a time misparsed as the object is not what was claimed
_TEMPORAL_NOUNS: Final = word_set(
    "month week year day night morning evening afternoon weekend time today yesterday "
    "monday tuesday wednesday thursday friday saturday sunday"
)
#: verbs whose object alone is not what was said ("told him", "called a meeting"): they need a
#: predicate after it ("told him to go", "called it a disgrace")
_NEEDS_PREDICATE: Final = word_set("tell")
#: how something was said: "said in a statement", "wrote in an email" make one cue; a place or
#: an audience ("said in Ohio", "told CNBC in August") does not
_MEDIA: Final = word_set(
    "statement interview email e-mail letter tweet post speech op-ed column memo release "
    "conference call briefing broadcast hearing testimony message video radio television tv"
)
_PARTICLES: Final = {
    "put": ("it",),
    "lay": ("out",),
    "seize": ("on", "upon"),
    "bristle": ("at",),
    "balk": ("at",),
    "weigh": ("in",),
    "chime": ("in",),
    "double": ("down",),
    "call": ("for", "on"),
    "point": ("out", "to"),
    "respond": ("to",),
    "refer": ("to",),
    "speak": ("out", "of", "about"),
    "talk": ("about",),
    "complain": ("about",),
    "comment": ("on",),
    "warn": ("against",),
    "push": ("for", "back"),
    "press": ("for",),
    "argue": ("for", "against"),
    "advocate": ("for",),
    "rail": ("against",),
    "agree": ("with",),
    "lash": ("out",),
    "sound": ("off",),
    "pounce": ("on", "upon"),
    "side": ("with", "against"),
    "single": ("out",),
    "shrug": ("off",),
    "spar": ("over", "with"),
    "shoot": ("back",),
    "fire": ("back",),
    "hit": ("back", "out"),
    "light": ("into",),
    "scoff": ("at",),
    "focus": ("on",),
}
_SUBJECTS: Final = ("nsubj", "nsubj:pass", "nsubj:outer", "csubj")
_PERSON_PRONOUNS: Final = word_set("he she him his her i me we us you")
_GROUP_PRONOUNS: Final = word_set("it its they them their")
#: a source that is only one of these words says who speaks only through what it refers to
_BARE_PRONOUNS: Final = word_set(
    "i me my mine myself we us our ours ourselves you your yours he him his himself she her "
    "hers herself it its itself they them their theirs themselves who"
)
#: "I", "we" in a quote are its speaker
_FIRST_PERSON: Final = word_set("i me my mine myself we us our ours ourselves")
_MALE_PRONOUNS: Final = word_set("he him his himself")
_FEMALE_PRONOUNS: Final = word_set("she her hers herself")
_UNNAMED_HEADS: Final = word_set(
    "source sources official officials expert experts analyst analysts critic critics people "
    "observer observers report reports witness witnesses insider insiders aide aides resident "
    "residents someone spokesman spokeswoman spokesperson"
)
_DETERMINERS: Final = word_set("the a an this that these those some many several")
_EDGE_PUNCT: Final = " \t\n\r\xa0.,;:–—-―"

_QUOTE_CHARS: Final = "“”‘’\"'„"

#: what a date at the end of a source may start with: "prosecutors [in April]"
_DATE_LEAD: Final = word_set("in on at last this earlier just during since")
_MONTHS: Final = word_set(
    "january february march april may june july august september october november december"
)

#: objects that point back at a quote just given ("She said it twice", "He repeated this")
_BACK_REFERENCES: Final = word_set("it this that so")


#: personal pronouns: as a cue's only object they name the one addressed ("called him")
_PERSONAL: Final = word_set("him her them us me you")
#: words that join a next clause, not open what was said ("…, and she left")
_COORDINATORS: Final = word_set("and but or nor yet")
#: verbs that make a set-off insertion (", officials said,") on their own
_SAY_LIKE: Final = word_set("say tell add note argue claim insist write explain acknowledge")
#: words that open a clause, not a source, right after the comma ("which, he said, …")
_NOT_INSERTED_SOURCE: Final = word_set(
    "which who whom whose that and but or as if when while because although though so"
)

#: verbs of viewing whose passive subject is what is viewed: "X is seen as a threat"
_VIEWING: Final = word_set("see view regard perceive")

#: heads of a group a poll sorts people into ("voters who say …", "the share saying …")
_POLLED_GROUPS: Final = word_set(
    "those voter voters respondent respondents people percent majority minority share proportion "
    "number half third quarter fifth"
)

#: words that open a reported clause: "claimed last month that …", "shows in detail how …"
_CLAUSE_OPENERS: Final = word_set("that how why whether")

#: words that open a relative clause inside an appositive ("a historian who attended …")
_RELATIVES: Final = word_set("who whose whom which that")

#: reporting nouns that carry a charge or a doubt with no owner named ("allegations of fraud",
#: "questions about his health"): the topic after "of"/"about" is what is alleged
_UNOWNED_CHARGES: Final = word_set(
    "allegation accusation claim rumor rumour charge criticism question concern fear doubt "
    "suspicion speculation"
)

#: what reports its findings in an "in" phrase: "In the latest poll, …"
_POLL_NOUNS: Final = word_set("poll polls survey surveys")
#: a quantifier that heads "one of the polls", "some of the surveys"
_QUANTIFIERS: Final = word_set("one some most many several each all both none few")

#: adjectives that hold a stance towards a clause or a topic, with the cue class each gives:
#: "was sure that …", "are worried about …", "has been critical of …"
_STANCE_ADJECTIVES: Final = {
    **dict.fromkeys(
        word_set(
            "sure certain confident convinced positive optimistic pessimistic hopeful doubtful "
            "skeptical sceptical unsure uncertain worried concerned afraid fearful anxious nervous"
        ),
        "believe",
    ),
    **dict.fromkeys(
        word_set("critical adamant vocal outspoken coy vague emphatic supportive hostile"), "claim"
    ),
    **dict.fromkeys(word_set("eager reluctant wary enamored enamoured glad"), "believe"),
    **dict.fromkeys(word_set("aware unaware"), "know"),
}
_STANCE_PREPOSITIONS: Final = word_set("about of over on that")


#: adjectives of an impersonal frame: "it is clear that …", "it was unclear whether …"
_EVIDENT: Final = word_set("clear obvious apparent evident unclear plain")

#: light verbs whose object noun makes a reporting predicate: "made the case for", "took
#: offense at", "raised questions about", "has reservations about", "made it clear that"
_LIGHT_VERBS: Final = word_set("make take raise have voice draw level give")
_LIGHT_NOUNS: Final = {
    **dict.fromkeys(
        word_set(
            "question questions reservation reservations doubt doubts concern concerns "
            "illusion illusions qualm qualms misgiving misgivings view views opinion "
            "opinions feelings impression impressions"
        ),
        "believe",
    ),
    **dict.fromkeys(
        word_set(
            "case point argument condemnation criticism objection objections offense "
            "offence issue exception aim heat fire secret accusation accusations charge "
            "charges complaint complaints swipe swipes shot shots swing jab jabs dig digs "
            "stance position credit critique allegation allegations assertion prediction "
            "predictions"
        ),
        "claim",
    ),
    **dict.fromkeys(
        word_set(
            "clear comment comments remark remarks pledge promise vow mention statement "
            "statements reference references observation answer account speech plea pitch "
            "apology apologies assurance assurances"
        ),
        "say",
    ),
}
_LIGHT_PREPOSITIONS: Final = word_set("about of for at on over against with")
#: nouns that report only with these prepositions: "took a shot at the senator", not "took a
#: shot at the goal"; "has views on", not "has a view of the river"
_LIGHT_NOUN_PREPOSITIONS: Final = {
    **dict.fromkeys(word_set("swipe swipes shot shots swing jab jabs dig digs"), word_set("at")),
    **dict.fromkeys(word_set("view views"), word_set("on about")),
    **dict.fromkeys(word_set("opinion opinions"), word_set("of on about")),
    **dict.fromkeys(word_set("feelings"), word_set("about toward towards")),
    **dict.fromkeys(word_set("impression impressions"), word_set("of")),
    **dict.fromkeys(word_set("stance position"), word_set("on against")),
    **dict.fromkeys(word_set("credit"), word_set("for")),
    **dict.fromkeys(word_set("speech answer account"), word_set("on about of")),
    **dict.fromkeys(word_set("mention"), word_set("of")),
    **dict.fromkeys(word_set("reference references"), word_set("to")),
    **dict.fromkeys(word_set("apology apologies"), word_set("for")),
    **dict.fromkeys(word_set("plea pitch"), word_set("for")),
}


#: verbs whose subject receives criticism: "X is drawing criticism", "has faced scrutiny from"
_RECEIVING: Final = word_set("draw face receive attract")
#: what a subject can receive that reports someone's view of it
_RECEIVED: Final = word_set(
    "criticism scrutiny ridicule backlash pushback condemnation praise flak heat fire outrage "
    "complaints questions"
)

#: light nouns that report only when aimed at someone: "took a shot at Obama"
_AIMED_AT_SOMEONE: Final = word_set("shot shots swing")

#: labels of editors' notices, not speakers
_NOTICE_LABELS: Final = word_set(
    "correction clarification update note editor's video videos watch photos photo listen "
    "breaking exclusive analysis opinion editorial podcast transcript live daily"
)

#: participles that name or charge what they describe, with the word that leads the name or
#: charge and the cue class: "the bill, known as …", "a book titled …", "was charged with …"
_NAMING: Final = {
    "known": ("as", "report"),
    "titled": ("", "say"),
    "entitled": ("", "say"),
    "dubbed": ("", "say"),
    "charged": ("with", "allege"),
}
