"""Entities: mention detection and coreference on GUM dev, the example article, and speed.

    python -m bench.entities [--model PATH] [--limit N] [--json]

(a) GUM dev (``../shared/data/treebanks/en_gum-ud-dev.conllu``; the MISC column's ``Entity=``
    brackets give each mention's group, type and minimal span). Scored: gold mentions of type
    person, organization or place that are *named* (a proper noun in the minimal span) or a
    third-person *pronoun* (he, she, it, they and their forms). A predicted mention (of an entity
    that is not NORP) matches the innermost gold mention that contains it and overlaps that
    mention's minimal span; one that matches a gold mention outside the scope (a common-noun
    phrase, a first-person pronoun, another type) is neither right nor wrong. Mention P/R by type;
    B³ coreference over the scoped gold mentions, where an unmatched mention stands alone.
(b) The example article: every entity of its ``.expected.yaml`` (grouped mentions, roles,
    affiliations, and the type an analyst gives it) and every claim ``source_entity`` there.
(c) Speed on PolNeAR train documents: words/s of parse + stages without and with entities.
(d) Pronoun sources on PolNeAR texts (``--pronouns dev`` or ``--pronouns train:200``, alone):
    the share of claims whose source is a bare pronoun ("I", "he", "they") with no
    ``source_entity``, and how many of those still count as ``named``.

    python -m bench.entities --pronouns dev --pronouns train:200 [--json]

``--build-names`` writes ``src/claimtrace/stages/data/name_genders.tsv``, the first names whose
gender the attribution stage uses to resolve "he" and "she", from data in the shared folder only:
GUM train's coreference (a first name in a person's chain with "he" or "she" and not the other)
and, in PolNeAR train and the EWT and GUM train texts, a honorific ("Mr. Trump", "Mrs. Clinton")
voting for the one first name that text gives that surname ("Hillary Clinton"; none when
"Ivanka Trump" and "Donald Trump" share it). A name is kept when at least 90% of its votes agree;
names that are also lower-case words of those texts ("Bill", "Mark") or entity words (titles,
roles) are left out.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench import SHARED
from claimtrace import Extractor, Settings
from claimtrace.ingest import RawInput, build_document
from claimtrace.records import Claim, DocumentRecord, Entity
from claimtrace.stages import attribution, certainty, entities, sentences
from claimtrace.stages.attribution_lexicon import word_set
from claimtrace.stages.context import Findings, StageContext

ROOT = Path(__file__).resolve().parents[1]
GUM_DEV = SHARED / "data" / "treebanks" / "en_gum-ud-dev.conllu"
EXAMPLE = SHARED / "examples" / "women-prisoners-front-line.txt"
POLNEAR = SHARED / "data" / "attribution" / "polnear"
POLNEAR_TRAIN = POLNEAR / "train" / "text"
#: a claim source that is only one of these words is a bare pronoun
BARE_PRONOUNS = word_set(
    "i me my mine myself we us our ours ourselves you your yours he him his himself she her"
    " hers herself it its itself they them their theirs themselves"
)
_TYPES = {"person": "PERSON", "organization": "ORG", "place": "PLACE"}
_PRONOUNS = frozenset(
    {"he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself"}
    | {"they", "them", "their", "theirs", "themselves"}
)
#: the type a careful analyst gives each entity of the example (its YAML names no types)
EXAMPLE_TYPES = {
    "Vladimir Putin": "PERSON",
    "Ukrainian army": "ORG",
    "Olga Romanova": "PERSON",
    "Yevgeny Prigozhin": "PERSON",
    "Wagner": "ORG",
    "Ukrainian general staff": "ORG",
    "Vyacheslav Wegner": "PERSON",
}


@dataclass
class GoldMention:
    start: int
    end: int
    min_chars: list[tuple[int, int]]
    group: str
    type: str
    scoped: bool
    kind: str = "named"


@dataclass
class GumDoc:
    name: str
    text: str
    mentions: list[GoldMention] = field(default_factory=list)


def _entity_events(value: str) -> list[tuple[str, str]]:
    """``(7-person-…(3-place-…)`` and ``7)`` as ("open", fields) / ("close", id) events."""
    events: list[tuple[str, str]] = []
    for match in re.finditer(r"\(([^()]+?)(?=\(|\)|$)(\))?|(\d+)\)", value):
        if match.group(1) is not None:
            events.append(("open", match.group(1)))
            if match.group(2):
                events.append(("close", match.group(1).split("-", 1)[0]))
        else:
            events.append(("close", match.group(3)))
    return events


def read_gum(path: Path) -> list[GumDoc]:
    """Documents of a GUM ``.conllu`` with their text and scoped gold mentions."""
    docs: list[GumDoc] = []
    parts: list[str] = []
    open_mentions: dict[str, list[tuple[int, list[str], int]]] = {}
    sentence_tokens: list[tuple[int, int, str, str, str]] = []  # start, end, upos, form, misc

    def flush_sentence() -> None:
        if not sentence_tokens:
            return
        doc = docs[-1]
        for position, (start, end, _upos, _form, misc) in enumerate(sentence_tokens):
            entity = next((p[7:] for p in misc.split("|") if p.startswith("Entity=")), "")
            for kind, value in _entity_events(entity):
                if kind == "open":
                    gid = value.split("-", 1)[0]
                    open_mentions.setdefault(gid, []).append((position, value.split("-"), start))
                else:
                    stack = open_mentions.get(value)
                    if not stack:
                        continue
                    first, fields, first_char = stack.pop()
                    tokens = sentence_tokens[first : position + 1]
                    try:
                        minimal = [int(x) - 1 for x in fields[5].split(",")]
                    except (IndexError, ValueError):
                        minimal = [len(tokens) - 1]
                    minimal = [m for m in minimal if 0 <= m < len(tokens)] or [len(tokens) - 1]
                    etype = _TYPES.get(fields[1], "")
                    named = any(tokens[m][2] == "PROPN" for m in minimal)
                    pronoun = len(tokens) == 1 and tokens[0][3].lower() in _PRONOUNS
                    doc.mentions.append(
                        GoldMention(
                            start=first_char,
                            end=end,
                            min_chars=[(tokens[m][0], tokens[m][1]) for m in minimal],
                            group=fields[0],
                            type=etype,
                            scoped=bool(etype) and (named or pronoun),
                            kind="pronoun" if pronoun else "named",
                        )
                    )
        sentence_tokens.clear()

    offset = 0
    pending_space = ""
    mwt_end = 0
    mwt: tuple[int, int, str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc id = "):
            flush_sentence()
            if docs:
                docs[-1].text = "".join(parts)
            docs.append(GumDoc(name=line.split("=", 1)[1].strip(), text=""))
            parts, offset, pending_space = [], 0, ""
            open_mentions.clear()
        elif line.startswith("# newpar"):
            if offset:
                pending_space = "\n\n"
        elif not line.strip():
            flush_sentence()
            if offset and pending_space != "\n\n":
                pending_space = " "
        elif not line.startswith("#"):
            cols = line.split("\t")
            if "." in cols[0]:
                continue
            if "-" in cols[0]:
                last = int(cols[0].split("-")[1])
                parts.append(pending_space)
                offset += len(pending_space)
                mwt = (offset, offset + len(cols[1]), cols[1])
                parts.append(cols[1])
                offset += len(cols[1])
                mwt_end = last
                pending_space = "" if "SpaceAfter=No" in cols[9] else " "
                continue
            if mwt is not None and int(cols[0]) <= mwt_end:
                start, end, _ = mwt
                sentence_tokens.append((start, end, cols[3], cols[1], cols[9]))
                if int(cols[0]) == mwt_end:
                    mwt = None
                continue
            parts.append(pending_space)
            offset += len(pending_space)
            sentence_tokens.append((offset, offset + len(cols[1]), cols[3], cols[1], cols[9]))
            parts.append(cols[1])
            offset += len(cols[1])
            pending_space = "" if "SpaceAfter=No" in cols[9] else " "
    flush_sentence()
    if docs:
        docs[-1].text = "".join(parts)
    return docs


def _findings(extractor: Extractor, document: DocumentRecord) -> tuple[Any, Findings]:
    doc = extractor.nlp(document.text)
    ctx = StageContext(document=document)
    found = sentences.run(doc, ctx)
    found = attribution.run(doc, StageContext(document=document, found=found))
    found = certainty.run(doc, StageContext(document=document, found=found))
    return doc, found


def extract_entities(
    extractor: Extractor, text: str, published: str | None = None
) -> tuple[DocumentRecord, Findings]:
    """``text`` through the parser, sentences, attribution, certainty and entities."""
    document = build_document(RawInput("bench", text, "text"))
    if published is not None:
        document = document.model_copy(update={"published": published})
    doc, found = _findings(extractor, document)
    return document, entities.run(doc, StageContext(document=document, found=found))


def score_gum(extractor: Extractor, limit: int | None = None) -> dict[str, Any]:
    """Mention P/R and B³ coreference on GUM dev, overall and by type."""
    tp: Counter[str] = Counter()  # by gold type (recall)
    tp_pred: Counter[str] = Counter()  # by predicted type (precision)
    fp: Counter[str] = Counter()
    gold_n: Counter[str] = Counter()
    b3 = {"p": 0.0, "r": 0.0, "n": 0}
    b3_type: dict[str, dict[str, float]] = {}
    type_right = type_total = 0
    for gum in read_gum(GUM_DEV)[:limit]:
        document = build_document(RawInput(gum.name, gum.text, "text"))
        if document.text != gum.text:  # repairs would move offsets; GUM text needs none
            continue
        doc, found = _findings(extractor, document)
        found = entities.run(doc, StageContext(document=document, found=found))
        scoped = [g for g in gum.mentions if g.scoped]
        for g in scoped:
            gold_n[g.type] += 1
            gold_n[f"{g.type}:{g.kind}"] += 1
        matched: dict[int, str] = {}  # index in gum.mentions -> predicted entity id
        for entity in found.entities:
            if entity.type == "NORP":
                continue
            for span in entity.mentions:
                g_index = _match(gum.mentions, span.start, span.end)
                ptype = "PLACE" if entity.type in ("GPE", "LOC") else entity.type
                if g_index is None:
                    fp[ptype] += 1
                    continue
                gold = gum.mentions[g_index]
                if not gold.scoped:
                    continue
                if g_index in matched:
                    fp[ptype] += 1
                    continue
                matched[g_index] = entity.id
                tp[gold.type] += 1
                tp_pred[ptype] += 1
                tp[f"{gold.type}:{gold.kind}"] += 1
                type_total += 1
                type_right += ptype == gold.type
        index = {id(g): k for k, g in enumerate(gum.mentions)}
        for g in scoped:
            k = index[id(g)]
            truth = {index[id(o)] for o in scoped if o.group == g.group}
            if k in matched:
                response = {index[id(o)] for o in scoped if matched.get(index[id(o)]) == matched[k]}
            else:
                response = {k}
            shared = len(truth & response)
            p, r = shared / len(response), shared / len(truth)
            b3["p"] += p
            b3["r"] += r
            b3["n"] += 1
            per = b3_type.setdefault(g.type, {"p": 0.0, "r": 0.0, "n": 0})
            per["p"] += p
            per["r"] += r
            per["n"] += 1
    result: dict[str, Any] = {"mentions": {}, "b3": {}}
    for etype in ("PERSON", "ORG", "PLACE"):
        p = _prf(tp_pred[etype], tp_pred[etype] + fp[etype], 1)["p"]
        r = _prf(tp[etype], 1, gold_n[etype])["r"]
        f1 = round(2 * p * r / (p + r), 4) if p + r else 0.0
        result["mentions"][etype] = {"p": p, "r": r, "f1": f1, "gold": gold_n[etype]}
        for kind in ("named", "pronoun"):
            key = f"{etype}:{kind}"
            result["mentions"][f"{key} recall"] = _prf(tp[key], 1, gold_n[key])["r"]
    all_tp, all_fp = sum(tp_pred.values()), sum(fp.values())
    n_gold = sum(gold_n[t] for t in ("PERSON", "ORG", "PLACE"))
    result["mentions"]["all"] = _prf(all_tp, all_tp + all_fp, n_gold)
    result["mentions"]["type_accuracy"] = round(type_right / type_total, 4) if type_total else 0
    result["b3"]["all"] = _b3(b3)
    for etype, per in sorted(b3_type.items()):
        result["b3"][etype] = _b3(per)
    return result


def _match(golds: list[GoldMention], start: int, end: int) -> int | None:
    """The innermost gold mention containing ``[start, end)`` and overlapping its minimal span."""
    best: int | None = None
    for k, g in enumerate(golds):
        inside = g.start <= start and end <= g.end
        if not inside or not any(a < end and start < b for a, b in g.min_chars):
            continue
        if best is None or g.end - g.start < golds[best].end - golds[best].start:
            best = k
    return best


def _prf(tp: float, n_pred: float, n_gold: float) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "gold": int(n_gold)}


def _b3(acc: dict[str, float]) -> dict[str, float]:
    n = acc["n"] or 1
    p, r = acc["p"] / n, acc["r"] / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "mentions": int(acc["n"])}


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def _entity_named(entities_: tuple[Entity, ...], name: str) -> Entity | None:
    wanted = _squash(name)
    for entity in entities_:
        if wanted in _squash(entity.name) or _squash(entity.name) in wanted:
            return entity
    return None


def score_example(extractor: Extractor) -> dict[str, Any]:
    """Which entities, roles, affiliations and claim sources of the example come out right."""
    expected = yaml.safe_load(EXAMPLE.with_suffix(".expected.yaml").read_text("utf-8"))
    _, found = extract_entities(extractor, EXAMPLE.read_text("utf-8"), "2023-03-10")
    checks: dict[str, bool] = {}
    by_id = {e.id: e for e in found.entities}
    for name, mentions in expected["entities"].items():
        entity = _entity_named(found.entities, name)
        texts = [_squash(m.text) for m in entity.mentions] if entity else []
        checks[f"entity {name}"] = entity is not None and all(
            any(_squash(m) == t or _squash(m) in t for t in texts) for m in mentions
        )
        checks[f"type {name}"] = entity is not None and entity.type == EXAMPLE_TYPES.get(name)
    for name, roles in expected.get("roles", {}).items():
        entity = _entity_named(found.entities, name)
        have = [_squash(r) for r in entity.roles] if entity else []
        for role in roles:
            checks[f"role {name}: {role}"] = any(_squash(role) in h for h in have)
    for name, org in expected.get("affiliations", {}).items():
        entity = _entity_named(found.entities, name)
        names = [_squash(by_id[a].name) for a in entity.affiliations] if entity else []
        checks[f"affiliation {name}: {org}"] = any(_squash(org) in n for n in names)
    for item in expected["claims"]:
        if "source_entity" not in item:
            continue
        accepted = item["source_entity"]
        accepted = accepted if isinstance(accepted, list) else [accepted]
        claim = _claim_with(found.claims, item["content"])
        entity = by_id.get(claim.source_entity) if claim and claim.source_entity else None
        checks[f"source_entity of {item['content'][:40]!r}"] = entity is not None and any(
            _squash(a) in _squash(entity.name) for a in accepted
        )
    return {"right": sum(checks.values()), "total": len(checks), "checks": checks}


def _claim_with(claims: tuple[Claim, ...], content: str) -> Claim | None:
    wanted = _squash(content)
    for claim in claims:
        if any(wanted in _squash(part.text) for part in claim.content):
            return claim
    return None


def speed(extractor: Extractor, limit: int = 100) -> dict[str, float]:
    """Words/s of parse + sentences/attribution/certainty, without and with entities."""
    texts = [p.read_text("utf-8") for p in sorted(POLNEAR_TRAIN.glob("*.txt"))[:limit]]
    documents = [build_document(RawInput("bench", text, "text")) for text in texts]
    words = sum(len(d.text.split()) for d in documents)
    start = time.perf_counter()
    docs = list(extractor.nlp.pipe(d.text for d in documents))
    parse = time.perf_counter() - start
    start = time.perf_counter()
    founds = []
    for document, doc in zip(documents, docs, strict=True):
        found = sentences.run(doc, StageContext(document=document))
        found = attribution.run(doc, StageContext(document=document, found=found))
        founds.append(certainty.run(doc, StageContext(document=document, found=found)))
    stages = time.perf_counter() - start
    start = time.perf_counter()
    for document, doc, found in zip(documents, docs, founds, strict=True):
        entities.run(doc, StageContext(document=document, found=found))
    entity_seconds = time.perf_counter() - start
    return {
        "documents": len(documents),
        "words": words,
        "words_per_s_without": round(words / (parse + stages)),
        "words_per_s_with": round(words / (parse + stages + entity_seconds)),
        "entities_share_of_parse": round(entity_seconds / parse, 4),
        "entities_seconds": round(entity_seconds, 3),
    }


def pronoun_sources(extractor: Extractor, split: str, limit: int | None = None) -> dict[str, Any]:
    """How many claims of PolNeAR ``split`` (first ``limit`` texts) have a bare pronoun as
    source: all, those without ``source_entity``, and those of them still ``named``."""
    paths = sorted((POLNEAR / split / "text").glob("*.txt"))[:limit]
    claims = with_source = pronoun = unlinked = unlinked_named = 0
    kinds: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for path in paths:
        result = extractor.extract_text(path.read_text("utf-8"))
        for claim in result.claims:
            claims += 1
            if claim.source is None:
                continue
            with_source += 1
            written = claim.source.text.strip().lower()
            if written not in BARE_PRONOUNS:
                continue
            pronoun += 1
            kinds[claim.source_kind] += 1
            if claim.source_entity is None:
                unlinked += 1
                words[written] += 1
                unlinked_named += claim.source_kind == "named"
    return {
        "split": split,
        "documents": len(paths),
        "claims": claims,
        "claims_with_source": with_source,
        "bare_pronoun_sources": pronoun,
        "bare_pronoun_sources_by_kind": dict(kinds),
        "bare_pronoun_without_entity": unlinked,
        "share_of_claims_bare_pronoun_without_entity": round(unlinked / max(claims, 1), 4),
        "bare_pronoun_without_entity_named": unlinked_named,
        "share_of_claims_bare_pronoun_named_without_entity": round(
            unlinked_named / max(claims, 1), 4
        ),
        "top_unlinked": dict(words.most_common(8)),
    }


_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.? ([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_FULL_NAME = re.compile(r"\b([A-Z][a-z]+) (?:[A-Z]\. )?([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
NAME_GENDERS = ROOT / "src" / "claimtrace" / "stages" / "data" / "name_genders.tsv"


def _treebank_texts(path: Path) -> list[str]:
    texts: list[str] = []
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc") and current:
            texts.append(" ".join(current))
            current = []
        elif line.startswith("# text = "):
            current.append(line[9:])
    if current:
        texts.append(" ".join(current))
    return texts


def build_name_genders() -> dict[str, tuple[str, int]]:
    """First name -> (``m`` or ``f``, votes), from the shared data only (see the module doc)."""
    votes: dict[str, Counter[str]] = {}
    male, female = {"he", "him", "his", "himself"}, {"she", "her", "hers", "herself"}
    for doc in read_gum(SHARED / "data" / "treebanks" / "en_gum-ud-train.conllu"):
        chains: dict[str, list[GoldMention]] = {}
        for mention in doc.mentions:
            if mention.type == "PERSON":
                chains.setdefault(mention.group, []).append(mention)
        for chain in chains.values():
            said = {doc.text[m.start : m.end].lower() for m in chain if m.kind == "pronoun"}
            if bool(said & male) == bool(said & female):
                continue
            firsts = {
                words[0]
                for m in chain
                if m.kind == "named"
                and len(words := doc.text[m.start : m.end].split()) >= 2
                and words[0].isalpha()
                and words[0][:1].isupper()
                and words[1][:1].isupper()
            }
            for first in firsts:
                votes.setdefault(first, Counter())["m" if said & male else "f"] += 1
    texts = [p.read_text("utf-8") for p in sorted(POLNEAR_TRAIN.glob("*.txt"))]
    for name in ("en_ewt-ud-train.conllu", "en_gum-ud-train.conllu"):
        texts += _treebank_texts(SHARED / "data" / "treebanks" / name)
    lower: Counter[str] = Counter()
    for text in texts:
        lower.update(w for w in re.findall(r"\b[a-z]+\b", text))
        full = [(m.start(), m.group(1), m.group(2)) for m in _FULL_NAME.finditer(text)]
        titled: dict[str, set[str]] = {}
        for honorific in _HONORIFIC.finditer(text):
            titled.setdefault(honorific.group(2), set()).add(honorific.group(1))
        for surname, titles in titled.items():
            firsts = {f for _, f, s in full if s == surname} - {"Mr", "Mrs", "Ms", "Miss"}
            if len(firsts) == 1 and len({t == "Mr" for t in titles}) == 1:  # one person
                gender = "m" if "Mr" in titles else "f"
                votes.setdefault(firsts.pop(), Counter())[gender] += 1
    words = entities.load_entity_words()
    kept: dict[str, tuple[str, int]] = {}
    for name, counted in votes.items():
        gender, top = counted.most_common(1)[0]
        if top < 0.9 * sum(counted.values()) or lower[name.lower()] >= 3 or name.lower() in words:
            continue
        kept[name] = (gender, sum(counted.values()))
    return kept


def write_name_genders(path: Path = NAME_GENDERS) -> int:
    """Write the table of :func:`build_name_genders`; the number of names."""
    names = build_name_genders()
    lines = ["# first name, m or f, votes: built by python -m bench.entities --build-names"]
    lines += [f"{name}\t{gender}\t{n}" for name, (gender, n) in sorted(names.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--model", default=None)
    parser.add_argument("--limit", type=int, default=None, help="GUM documents to score")
    parser.add_argument("--speed-docs", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--pronouns",
        action="append",
        metavar="SPLIT[:N]",
        help="only measure pronoun sources on PolNeAR SPLIT (first N texts); repeatable",
    )
    parser.add_argument("--build-names", action="store_true", help=f"write {NAME_GENDERS.name}")
    args = parser.parse_args(argv)
    if args.build_names:
        print(f"{write_name_genders()} names written to {NAME_GENDERS}")
        return 0
    extractor = Extractor(Settings(model=args.model))
    if args.pronouns:
        measured = []
        for item in args.pronouns:
            split, _, count = item.partition(":")
            measured.append(pronoun_sources(extractor, split, int(count) if count else None))
        print(json.dumps(measured, indent=None if args.json else 2, sort_keys=True))
        return 0
    report = {
        "gum": score_gum(extractor, args.limit),
        "example": score_example(extractor),
        "speed": speed(extractor, args.speed_docs),
    }
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
        return 0
    gum = report["gum"]
    print("GUM dev (named + 3rd-person pronoun mentions of person/organization/place)")
    for key, value in gum["mentions"].items():
        print(f"  mentions {key:14} {value}")
    for key, value in gum["b3"].items():
        print(f"  B3       {key:14} {value}")
    example = report["example"]
    print(f"example: {example['right']}/{example['total']} right")
    for name, ok in example["checks"].items():
        if not ok:
            print(f"  MISS {name}")
    print(f"speed: {report['speed']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
