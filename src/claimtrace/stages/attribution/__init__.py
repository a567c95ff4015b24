"""Attribution: who claims what. Cues, their sources and contents, and the author's assertions.

Cues come from the lexicon in ``data/cues.tsv`` (reporting verbs, nouns, adverbs, "according to"),
colon frames ("It added: ‘…’"), colon headlines ("Pence: …") and dash bylines ("“…” ― Name"),
and from frames news writes everywhere: stance adjectives ("were worried about"), light verbs
with a reporting noun ("made the case for", "raised questions about"), polls ("In the latest
poll, …"), "as X put it", reporting nouns with a possessor ("the senator's criticism of"),
passives with an agent ("was endorsed by the union") and title-case headline verbs ("Christie
Calls …"). With a parser, syntax decides: a cue verb's subject is the source and its clausal
complement the content, and where the parse fails position repairs it (a name and its
appositive before the cue, a participle's main-clause subject, a noun phrase the sentence
splitter cut, the rest of a sentence the parser ended early); without one (the ``rules``
pipeline) only quote, colon, "according to", "that" and adjacency patterns apply, with lower
confidence. Quotes (``quotes.py``) make content direct or mixed and carry content across
sentences and paragraphs; a follow-on quote (or a sentence of the author's around a quoted
fragment) joins its speaker's claim as one more content span, unless another frame reports it
("“…,” said X").
Pronoun, descriptive and surname sources ("It", "he", "the group", "Prigozhin") are resolved to
the last speaker or the nearest compatible earlier mention (person or group; for "he" and "she"
not a person of the other gender where a title, a first name or a titled surname shows it); "I"
and "we" inside a quote are its speaker. The antecedent's offsets are recorded in the claim's
evidence as ``antecedent:RULE:START-END``, how sure it is as ``antecedent-confidence:X``, until
an ``entities`` stage gives ``source_entity`` ids (``source_entity`` stays null here). A bare
pronoun with no antecedent is ``source_kind: unresolved``, never a named source.

Every sentence that carries no attribution and is not a headline, byline, question or
boilerplate becomes an author assertion (``source_kind: author``, ``cue: null``). Certainty and
negation are refined by the ``certainty`` stage that runs next.

The stage is a package, one module per concern: ``lexicon`` (the word lists), ``document`` (the
parsed document and shared helpers), ``cue_span``, ``source_phrase`` and ``content`` (the
extent of each role), the frames (``verbs``, ``nouns``, ``according``, ``adjectives``,
``impersonal``, ``colon``, ``polls``), ``followon``, ``sources`` (resolution), ``author``,
``claims`` (the records), and ``stage``: :func:`run` and the ordered registries of strategies it
runs (``WORD_FRAMES``, ``FRAMES``, ``PASSES``). ``trace``: with a :class:`Trace` active
(:func:`explain`, :func:`tracing`) the stage records, for each candidate token, the rules tried,
vetoed and accepted, and what each pass changed; off, it records nothing.

>>> from claimtrace import Extractor, Settings
>>> result = Extractor(Settings(model="rules")).extract_text("The army said that it advanced.")
>>> claim = result.claims[0]
>>> claim.source.text, claim.cue.text, claim.content[0].text, claim.certainty
('The army', 'said', 'that it advanced', 'reported')
"""

from __future__ import annotations

from claimtrace.stages.attribution.stage import run
from claimtrace.stages.attribution.trace import Trace, TraceEvent, explain, tracing

__all__ = ["Trace", "TraceEvent", "explain", "run", "tracing"]
