"""Convert the local UD / UNER corpora to spaCy ``.spacy`` DocBin files.

Usage::

    python training/convert.py [--data ../shared/data] [--out training/output/corpus]

Inputs (read in place, never copied):

* ``treebanks/en_ewt-ud-{train,dev}.conllu`` -- UD English EWT (CC BY-SA 4.0)
* ``treebanks/en_gum-ud-{train,dev}.conllu`` -- UD English GUM (CC BY 4.0);
  named entities are derived from the MISC ``Entity=`` mentions
* ``ner/uner-en_ewt-train.early-release.iob2`` / ``ner/uner-en_ewt-dev.iob2``
  -- Universal NER over EWT (CC BY-SA 4.0), merged onto the EWT sentences by
  ``sent_id``.

Entity label mapping (documented in ``training/README.md``):

* UNER ``PER`` -> ``PERSON``, ``ORG`` -> ``ORG``, ``LOC`` -> ``GPE``, or ``LOC``
  when the span contains a geographic-feature word (river, sea, mountains ...)
  or is a continent / region name (see :func:`loc_or_gpe`).
* UNER ``OTH``: a single capitalised demonym / religion / political-group token
  (``American``, ``Iraqis``, ``Shiite``) -> ``NORP``; every other ``OTH`` span
  and the stray ``B-O`` tags -> ``O``.
* GUM mentions whose syntactic head is a proper noun (XPOS NNP/NNPS) are
  named: ``person`` -> ``PERSON`` (a bare plural NNPS such as ``Americans`` ->
  ``NORP``), ``organization`` -> ``ORG``, ``place`` -> ``GPE`` / ``LOC`` (same
  rule as UNER).  The entity span is the run of proper-noun tokens around the
  head (articles and appositions are left out, as in OntoNotes).  Other GUM
  types (event, object, abstract, ...) are ``O``.  Capitalised adjectives
  outside GUM entities (``Spanish`` in ``Spanish art``) are left *unannotated*
  (missing), because GUM does not mark NORP and UNER does.

Sentences are grouped into documents of at most ``--sents-per-doc`` sentences
(within one ``newdoc``), so the parser learns sentence boundaries.

``--augment N`` (mention replacement, for NER-only training) also writes
``<out>/train_ner/``: the train documents plus ``aug.spacy``, N copies of every
train document that has entities, in which each mention is replaced by another
mention string of the same label (see :func:`augment_docs`).  The copies carry
*only* NER annotation (no tags, lemmas or heads: the words changed), so they
are meant for a training run in which only ``ner`` is updated.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin, Span

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"

GEO_FEATURE = re.compile(
    r"\b(ocean|sea|seas|river|rivers|lake|lakes|mountain|mountains|mount|mt\.?|"
    r"valley|island|islands|isle|isles|peninsula|gulf|bay|desert|forest|coast|"
    r"strait|straits|canal|channel|creek|falls|glacier|volcano|plain|plains|"
    r"highlands|hills|hill|reef|cape|beach|park|basin|delta|canyon|archipelago)\b",
    re.I,
)
REGION_NAMES = {
    "africa",
    "asia",
    "europe",
    "antarctica",
    "australasia",
    "oceania",
    "north america",
    "south america",
    "latin america",
    "central america",
    "middle east",
    "the middle east",
    "near east",
    "far east",
    "east asia",
    "southeast asia",
    "south asia",
    "central asia",
    "western europe",
    "eastern europe",
    "balkans",
    "the balkans",
    "caribbean",
    "the caribbean",
    "scandinavia",
    "sahara",
    "himalayas",
    "alps",
    "arctic",
    "mediterranean",
    "pacific",
    "atlantic",
    "siberia",
    "caucasus",
    "west bank",
    "gaza strip",
    "earth",
    "the west",
    "midwest",
    "the midwest",
}

DEMONYM_SUFFIX = re.compile(
    r"(an|ans|ese|ish|i|is|ite|ites|ic|ch|ist|ists|ian|ians|er|ers|ox|ew|ews|u|us|ie|ies)$"
)


def loc_or_gpe(text: str) -> str:
    """``LOC`` for geographic features and continents/regions, else ``GPE``."""
    t = text.strip()
    if t.lower() in REGION_NAMES or GEO_FEATURE.search(t):
        return "LOC"
    return "GPE"


# ---------------------------------------------------------------- CoNLL-U


@dataclass
class Sent:
    sent_id: str
    newdoc: str | None
    text: str
    words: list[str] = field(default_factory=list)
    spaces: list[bool] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    upos: list[str] = field(default_factory=list)
    xpos: list[str] = field(default_factory=list)
    feats: list[str] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)  # 0-based within sentence, self for root
    deps: list[str] = field(default_factory=list)
    misc: list[str] = field(default_factory=list)
    # entity spans (start, end, label) in sentence word offsets; missing spans too
    ents: list[tuple[int, int, str]] = field(default_factory=list)
    missing: list[tuple[int, int]] = field(default_factory=list)
    has_ner: bool = False
    # the sentence starts a paragraph ("# newpar" or "# newdoc" before it)
    newpar: bool = False


def read_conllu(path: Path) -> list[Sent]:
    """Read a CoNLL-U file into :class:`Sent` objects (empty nodes skipped)."""
    sents: list[Sent] = []
    meta: dict[str, str] = {}
    newdoc: str | None = None
    newpar = False
    rows: list[list[str]] = []

    def flush() -> None:
        nonlocal rows, meta, newdoc, newpar
        if not rows:
            return
        s = Sent(meta.get("sent_id", str(len(sents))), newdoc, meta.get("text", ""))
        s.newpar = newpar or newdoc is not None
        mwt_end = -1
        mwt_space = True
        for cols in rows:
            tid = cols[0]
            if "." in tid:
                continue  # empty node
            if "-" in tid:
                _, b = tid.split("-")
                mwt_end = int(b)
                mwt_space = "SpaceAfter=No" not in cols[9]
                continue
            i = int(tid)
            s.words.append(cols[1])
            if i < mwt_end:
                s.spaces.append(False)
            elif i == mwt_end:
                s.spaces.append(mwt_space)
            else:
                s.spaces.append("SpaceAfter=No" not in cols[9])
            s.lemmas.append(cols[2] if cols[2] != "_" or cols[1] == "_" else cols[1])
            s.upos.append(cols[3])
            s.xpos.append(cols[4] if cols[4] != "_" else "")
            s.feats.append(cols[5] if cols[5] != "_" else "")
            h = int(cols[6])
            s.heads.append(h - 1 if h > 0 else i - 1)
            s.deps.append("ROOT" if cols[7] == "root" else cols[7])
            s.misc.append(cols[9])
        sents.append(s)
        rows = []
        meta = {}
        newdoc = None
        newpar = False

    with path.open(encoding="utf8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                flush()
                continue
            if line.startswith("#"):
                m = re.match(r"#\s*(sent_id|text)\s*=\s*(.*)$", line)
                if m:
                    meta[m.group(1)] = m.group(2)
                elif line.startswith("# newdoc id"):
                    newdoc = line.split("=", 1)[1].strip()
                elif line.startswith("# newpar"):
                    newpar = True
                continue
            rows.append(line.split("\t"))
    flush()
    return sents


# ---------------------------------------------------------------- UNER


def read_iob2(path: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Read a UNER IOB2 file: ``sent_id`` -> (words, tags)."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    sid = None
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("# sent_id"):
                sid = line.split("=", 1)[1].strip()
                continue
            if line.startswith("#"):
                continue
            if not line.strip():
                if sid is not None and words:
                    out[sid] = (words, tags)
                sid, words, tags = None, [], []
                continue
            cols = line.split("\t")
            words.append(cols[1])
            tags.append(cols[2] if len(cols) > 2 else "O")
    if sid is not None and words:
        out[sid] = (words, tags)
    return out


def iob_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Turn IOB2 tags into (start, end, label) spans."""
    spans = []
    start, label = None, None
    for i, t in enumerate([*tags, "O"]):
        if t.startswith("B-") or t == "O" or (t.startswith("I-") and t[2:] != label):
            if start is not None:
                spans.append((start, i, label))
            start, label = None, None
            if t.startswith(("B-", "I-")):
                start, label = i, t[2:]
        # I- continuing same label: nothing
    return spans


def is_norp_token(word: str, xpos: str, upos: str) -> bool:
    """Whether a single UNER ``OTH`` token looks like a demonym / NORP."""
    if not word[:1].isupper() or len(word) < 3:
        return False
    if xpos in ("JJ", "NNPS") or upos == "ADJ":
        return True
    return bool(xpos in ("NNP", "NNS") and DEMONYM_SUFFIX.search(word.lower()))


def add_uner(sents: list[Sent], uner: dict[str, tuple[list[str], list[str]]]) -> int:
    """Merge UNER entities onto matching sentences; returns how many were merged."""
    n = 0
    for s in sents:
        if s.sent_id not in uner:
            continue
        words, tags = uner[s.sent_id]
        if words != s.words:
            continue
        s.has_ner = True
        n += 1
        for a, b, lab in iob_spans(tags):
            text = " ".join(s.words[a:b])
            if lab == "PER":
                s.ents.append((a, b, "PERSON"))
            elif lab == "ORG":
                s.ents.append((a, b, "ORG"))
            elif lab == "LOC":
                s.ents.append((a, b, loc_or_gpe(text)))
            elif lab == "OTH" and b - a == 1 and is_norp_token(s.words[a], s.xpos[a], s.upos[a]):
                s.ents.append((a, b, "NORP"))
            # "O" (stray B-O) and anything else: outside
    return n


# ---------------------------------------------------------------- GUM entities

ENT_OPEN = re.compile(r"\((\d+)-([a-z]+)(?:-([^()|]*))?")
ENT_CLOSE = re.compile(r"(\d+)\)")
PROPN_TAGS = {"NNP", "NNPS"}
TITLES = {
    "president",
    "vice",
    "prime",
    "minister",
    "secretary",
    "chancellor",
    "premier",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "king",
    "queen",
    "prince",
    "princess",
    "emperor",
    "empress",
    "pope",
    "cardinal",
    "bishop",
    "archbishop",
    "rev",
    "reverend",
    "father",
    "sister",
    "brother",
    "saint",
    "st",
    "gen",
    "general",
    "col",
    "colonel",
    "lt",
    "lieutenant",
    "capt",
    "captain",
    "sgt",
    "sergeant",
    "maj",
    "major",
    "adm",
    "admiral",
    "commander",
    "chief",
    "sen",
    "senator",
    "rep",
    "representative",
    "gov",
    "governor",
    "mayor",
    "judge",
    "justice",
    "ambassador",
    "governor-general",
    "chairman",
    "chairwoman",
    "ceo",
    "director",
    "coach",
    "officer",
    "detective",
    "agent",
    "deputy",
    "speaker",
}
NAME_GLUE = {"of", "and", "&", "-", "de", "del", "la", "van", "von", "al", "bin", "for", "the"}


def add_gum_entities(s: Sent) -> None:
    """Derive named entities from the GUM MISC ``Entity=`` mentions of ``s``."""
    s.has_ner = True
    open_: dict[str, list[tuple[int, str]]] = {}
    mentions: list[tuple[int, int, str]] = []
    for i, misc in enumerate(s.misc):
        m = re.search(r"Entity=([^|]*)", misc)
        if not m:
            continue
        val = m.group(1)
        # process in order: opens and closes as they appear
        pos = 0
        while pos < len(val):
            if val[pos] == "(":
                mo = ENT_OPEN.match(val, pos)
                if not mo:
                    pos += 1
                    continue
                eid, etype = mo.group(1), mo.group(2)
                end = mo.end()
                if end < len(val) and val[end] == ")":
                    mentions.append((i, i + 1, etype))
                    end += 1
                else:
                    open_.setdefault(eid, []).append((i, etype))
                pos = end
            else:
                mc = ENT_CLOSE.match(val, pos)
                if mc:
                    eid = mc.group(1)
                    if open_.get(eid):
                        st, et = open_[eid].pop()
                        mentions.append((st, i + 1, et))
                    pos = mc.end()
                else:
                    pos += 1
    named: list[tuple[int, int, str]] = []
    for a, b, etype in mentions:
        if etype not in ("person", "organization", "place"):
            # other named things (events, works) stay O; unnamed mentions too
            continue
        # syntactic head of the mention
        heads = [i for i in range(a, b) if not (a <= s.heads[i] < b) or s.heads[i] == i]
        if not heads:
            continue
        h = heads[0]
        if s.xpos[h] not in PROPN_TAGS:
            continue
        lo = h
        while lo - 1 >= a and s.xpos[lo - 1] in PROPN_TAGS:
            lo -= 1
        hi = h + 1
        while hi < b:
            if s.xpos[hi] in PROPN_TAGS:
                hi += 1
            elif (
                s.words[hi].lower() in NAME_GLUE
                and hi + 1 < b
                and s.xpos[hi + 1] in PROPN_TAGS
                and s.heads[hi + 1] != hi + 1  # not a new clause
            ):
                hi += 2
            else:
                break
        # leading glue like "of" cannot start a name
        while lo < hi and s.words[lo].lower() in NAME_GLUE:
            lo += 1
        if lo >= hi or hi - lo > 8:
            continue
        if etype == "person":
            # UNER (and OntoNotes) leave titles out: "President Vladimir Putin" -> "Vladimir Putin"
            while hi - lo > 1 and s.words[lo].lower().rstrip(".") in TITLES:
                lo += 1
        text = " ".join(s.words[lo:hi])
        if etype == "person":
            label = "NORP" if hi - lo == 1 and s.xpos[lo] == "NNPS" else "PERSON"
        elif etype == "organization":
            label = "ORG"
        else:
            label = loc_or_gpe(text)
        named.append((lo, hi, label))
    # keep outermost, non-overlapping
    named.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    taken = [False] * len(s.words)
    for a, b, lab in named:
        if any(taken[a:b]):
            continue
        for i in range(a, b):
            taken[i] = True
        s.ents.append((a, b, lab))
    for i, w in enumerate(s.words):
        if not taken[i] and w[:1].isupper() and s.xpos[i] == "JJ":
            s.missing.append((i, i + 1))


# ---------------------------------------------------------------- Docs


def sents_to_docs(nlp, sents: list[Sent], per_doc: int) -> list[Doc]:
    """Group sentences into annotated ``Doc`` objects of at most ``per_doc`` sentences."""
    groups: list[list[Sent]] = []
    cur: list[Sent] = []
    for s in sents:
        if cur and (s.newdoc is not None or len(cur) >= per_doc):
            groups.append(cur)
            cur = []
        cur.append(s)
    if cur:
        groups.append(cur)
    docs = []
    for g in groups:
        words, spaces, lemmas, pos, tags, morphs, heads, deps = [], [], [], [], [], [], [], []
        ents, missing = [], []
        paragraphs: list[int] = []
        has_ner = any(s.has_ner for s in g)
        for s in g:
            off = len(words)
            if s.newpar:
                paragraphs.append(off)
            if not s.has_ner:
                missing.append((off, off + len(s.words)))
            words += s.words
            sp = list(s.spaces)
            sp[-1] = True  # sentences are separated by a space
            spaces += sp
            lemmas += s.lemmas
            pos += s.upos
            tags += s.xpos
            morphs += s.feats
            heads += [h + off for h in s.heads]
            deps += s.deps
            ents += [(a + off, b + off, label) for a, b, label in s.ents]
            missing += [(a + off, b + off) for a, b in s.missing]
        spaces[-1] = False
        doc = Doc(
            nlp.vocab,
            words=words,
            spaces=spaces,
            lemmas=lemmas,
            pos=pos,
            tags=tags,
            morphs=morphs,
            heads=heads,
            deps=deps,
        )
        if has_ner:
            doc.set_ents(
                [Span(doc, a, b, label=label) for a, b, label in ents],
                missing=[Span(doc, a, b) for a, b in missing],
                default="outside",
            )
        # token offsets where a paragraph starts: the bench can give the text its line breaks
        doc.user_data["paragraph_starts"] = paragraphs
        docs.append(doc)
    return docs


def gum_country_fix(sents: list[Sent], place_names: set[str]) -> None:
    """GUM marks countries acting as agents as ``organization``; OntoNotes-style
    NER calls them GPE.  Relabel ORG spans whose text is a known place name."""
    for s in sents:
        s.ents = [
            (a, b, "GPE" if label == "ORG" and " ".join(s.words[a:b]) in place_names else label)
            for a, b, label in s.ents
        ]


def save(docs: list[Doc], path: Path) -> None:
    """Write ``docs`` to ``path`` as a DocBin (atomically)."""
    tmp = path.with_suffix(".tmp")
    DocBin(docs=docs).to_disk(tmp)
    os.replace(tmp, path)


# ---------------------------------------------------------------- augmentation

#: trailing GeoNames designators dropped from admin names ("Sverdlovsk Oblast" -> "Sverdlovsk"),
#: because news text mostly names the place without them
ADMIN_DESIGNATORS = {
    "county",
    "rayon",
    "raion",
    "district",
    "municipality",
    "oblast",
    "oblast'",
    "province",
    "region",
    "department",
    "prefecture",
    "governorate",
    "okrug",
    "kray",
    "krai",
    "parish",
    "state",
    "shi",
    "barrio",
    "kommun",
    "kommune",
    "town",
    "city",
    "of",
}

Mention = tuple[tuple[str, ...], tuple[bool, ...]]


def geonames_places(geo: Path, nlp) -> list[Mention]:
    """GeoNames admin1/admin2 ASCII names as tokenised mentions (designators stripped).

    Only plain Latin-letter names of at most four tokens are kept; GeoNames
    is CC BY 4.0 and credited in the model's meta (``finalize.py``)."""
    names: set[str] = set()
    for fname in ("geonames-admin1CodesASCII.txt", "geonames-admin2Codes.txt"):
        path = geo / fname
        if not path.exists():
            continue
        with path.open(encoding="utf8") as fh:
            for line in fh:
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 3:
                    continue
                words = cols[2].split()
                while len(words) > 1 and words[-1].lower() in ADMIN_DESIGNATORS:
                    words.pop()
                while len(words) > 1 and words[0].lower() in ("city", "county", "district"):
                    words.pop(0)
                name = " ".join(words)
                if (
                    name
                    and name[0].isupper()
                    and re.fullmatch(r"[A-Za-z][A-Za-z .'-]*", name)
                    and len(words) <= 4
                ):
                    names.add(name)
    out: list[Mention] = []
    for name in sorted(names):
        d = nlp.make_doc(name)
        out.append((tuple(t.text for t in d), tuple(bool(t.whitespace_) for t in d)))
    return out


def mention_pools(docs: list[Doc], geo: Path | None, nlp) -> dict[str, list[list[Mention]]]:
    """Replacement pools per label: a list of sub-pools, one picked uniformly at random.

    Every label has the distinct training mentions of that label.  ``PERSON``
    also gets first-name x surname recombinations of multi-word training names
    (built lazily by :func:`augment_docs` from the ``PERSON_PARTS`` pool) and
    ``GPE`` the GeoNames admin1/admin2 names, so that models see many names they
    cannot have memorised and must rely on context and word shape."""
    seen: dict[str, set[Mention]] = {}
    firsts: set[str] = set()
    lasts: set[str] = set()
    for d in docs:
        for e in d.ents:
            m = (tuple(t.text for t in e), (*tuple(bool(t.whitespace_) for t in e[:-1]), True))
            seen.setdefault(e.label_, set()).add(m)
            if e.label_ == "PERSON" and len(e) >= 2:
                words = [t.text for t in e]
                # Titlecase only: no "RAPHAEL", no lower-cased web text
                if words[0].isalpha() and words[0].istitle():
                    firsts.add(words[0])
                if words[-1].isalpha() and words[-1].istitle():
                    lasts.add(words[-1])
    pools: dict[str, list[list[Mention]]] = {
        label: [sorted(ms)] for label, ms in sorted(seen.items())
    }
    if firsts and lasts and "PERSON" in pools:
        combos = {((f, s), (True, True)) for f in sorted(firsts) for s in sorted(lasts) if f != s}
        rnd = random.Random(1)
        pools["PERSON"].append(rnd.sample(sorted(combos), min(len(combos), 50000)))
    if geo is not None and "GPE" in pools:
        places = geonames_places(geo, nlp)
        if places:
            pools["GPE"].append(places)
    return pools


def augment_docs(
    nlp, docs: list[Doc], pools: dict[str, list[list[Mention]]], copies: int, seed: int = 0
) -> list[Doc]:
    """``copies`` NER-only copies of each doc with entities, every mention replaced.

    A replacement is drawn from a random sub-pool of the mention's label
    (a different string when possible).  Tokens whose NER annotation is
    missing in the source stay missing; no other annotation is copied."""
    rnd = random.Random(seed)
    out: list[Doc] = []
    for doc in docs:
        if not doc.ents:
            continue
        for _ in range(copies):
            words: list[str] = []
            spaces: list[bool] = []
            ents: list[tuple[int, int, str]] = []
            missing: list[int] = []
            i = 0
            while i < len(doc):
                tok = doc[i]
                if tok.ent_iob_ == "B":
                    end = i + 1
                    while end < len(doc) and doc[end].ent_iob_ == "I":
                        end += 1
                    label = tok.ent_type_
                    orig = tuple(t.text for t in doc[i:end])
                    new_words: tuple[str, ...] = orig
                    new_spaces: tuple[bool, ...] = tuple(True for _ in orig)
                    subpools = [p for p in pools.get(label, []) if p]
                    for _try in range(3):
                        if not subpools:
                            break
                        cand = rnd.choice(rnd.choice(subpools))
                        if cand[0] != orig:
                            new_words, new_spaces = cand
                            break
                    start = len(words)
                    words += new_words
                    spaces += [*new_spaces[:-1], bool(doc[end - 1].whitespace_)]
                    ents.append((start, len(words), label))
                    i = end
                    continue
                if tok.ent_iob == 0:
                    missing.append(len(words))
                words.append(tok.text)
                spaces.append(bool(tok.whitespace_))
                i += 1
            new = Doc(nlp.vocab, words=words, spaces=spaces)
            new.set_ents(
                [Span(new, a, b, label=label) for a, b, label in ents],
                missing=[Span(new, j, j + 1) for j in missing],
                default="outside",
            )
            out.append(new)
    return out


def convert(data: Path, out: Path, per_doc: int = 10, augment: int = 0) -> dict[str, int]:
    """Convert all corpora under ``data`` into ``out``; returns statistics."""
    nlp = spacy.blank("en")
    out.mkdir(parents=True, exist_ok=True)
    stats: dict[str, int] = {}
    place_names: set[str] = set()
    gum_all = {}
    for split in ("train", "dev"):
        gum = read_conllu(data / "treebanks" / f"en_gum-ud-{split}.conllu")
        for s in gum:
            add_gum_entities(s)
            place_names.update(
                " ".join(s.words[a:b]) for a, b, label in s.ents if label in ("GPE", "LOC")
            )
        gum_all[split] = gum
    for words, tags in read_iob2(data / "ner" / "uner-en_ewt-train.early-release.iob2").values():
        place_names.update(
            " ".join(words[a:b]) for a, b, label in iob_spans(tags) if label == "LOC"
        )
    for split, uner_name in (
        ("train", "uner-en_ewt-train.early-release.iob2"),
        ("dev", "uner-en_ewt-dev.iob2"),
    ):
        ewt = read_conllu(data / "treebanks" / f"en_ewt-ud-{split}.conllu")
        uner = read_iob2(data / "ner" / uner_name)
        n = add_uner(ewt, uner)
        stats[f"ewt-{split}-sents"] = len(ewt)
        stats[f"ewt-{split}-uner-merged"] = n
        gum = gum_all[split]
        gum_country_fix(gum, place_names)
        stats[f"gum-{split}-sents"] = len(gum)
        ewt_docs = sents_to_docs(nlp, ewt, per_doc)
        gum_docs = sents_to_docs(nlp, gum, per_doc)
        (out / split).mkdir(exist_ok=True)
        save(ewt_docs, out / split / "ewt.spacy")
        save(gum_docs, out / split / "gum.spacy")
        if split == "dev":
            # whole documents (for sentence-boundary scoring in bench/model.py)
            (out / "eval").mkdir(exist_ok=True)
            save(sents_to_docs(nlp, ewt, 10**6), out / "eval" / "ewt-dev-docs.spacy")
            save(sents_to_docs(nlp, gum, 10**6), out / "eval" / "gum-dev-docs.spacy")
        labels: dict[str, int] = {}
        for d in ewt_docs + gum_docs:
            for e in d.ents:
                labels[e.label_] = labels.get(e.label_, 0) + 1
        for k, v in sorted(labels.items()):
            stats[f"{split}-ents-{k}"] = v
        if split == "train" and augment > 0:
            ner_dir = out / "train_ner"
            ner_dir.mkdir(exist_ok=True)
            save(ewt_docs, ner_dir / "ewt.spacy")
            save(gum_docs, ner_dir / "gum.spacy")
            pools = mention_pools(ewt_docs + gum_docs, data / "geo", nlp)
            aug = augment_docs(nlp, ewt_docs + gum_docs, pools, augment)
            save(aug, ner_dir / "aug.spacy")
            stats["train-aug-docs"] = len(aug)
            for label, subs in pools.items():
                stats[f"train-aug-pool-{label}"] = sum(len(p) for p in subs)
    return stats


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=HERE / "output" / "corpus")
    ap.add_argument("--sents-per-doc", type=int, default=10)
    ap.add_argument(
        "--augment",
        type=int,
        default=0,
        help="write <out>/train_ner/ with N mention-replaced NER-only copies of the train docs",
    )
    a = ap.parse_args(argv)
    stats = convert(a.data, a.out, a.sents_per_doc, a.augment)
    for k, v in stats.items():
        print(f"{k}\t{v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
