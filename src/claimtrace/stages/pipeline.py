"""The stage order, in one place, and the loop that runs the stages over a parsed document.

A stage is a pure function ``run(doc, ctx) -> Findings``: it reads the spaCy ``Doc`` and what
earlier stages found, and returns the findings with its own records added. Stages write no files
and no database. Any stage can be switched off by name; a stage listed in :data:`STAGE_ORDER`
that has no implementation yet is reported as ``not_implemented`` in every output, never faked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.tokens import Doc

from claimtrace.errors import ConfigError, StageError
from claimtrace.records import DocumentRecord, StageReport
from claimtrace.stages import (
    attribution,
    certainty,
    entities,
    places,
    quantities,
    sentences,
    times,
)
from claimtrace.stages.context import Findings, StageContext

__all__ = ["STAGES", "STAGE_ORDER", "Stage", "check_stage_names", "run_stages", "stage_reports"]

Stage = Callable[[Doc, StageContext], Findings]

#: Every stage of the pipeline, in the order they run.
STAGE_ORDER: tuple[str, ...] = (
    "sentences",
    "attribution",
    "certainty",
    "entities",
    "places",
    "quantities",
    "times",
)

#: The stages implemented so far.
STAGES: dict[str, Stage] = {
    "sentences": sentences.run,
    "attribution": attribution.run,
    "certainty": certainty.run,
    "entities": entities.run,
    "places": places.run,
    "quantities": quantities.run,
    "times": times.run,
}


def check_stage_names(names: Iterable[str]) -> tuple[str, ...]:
    """``names`` if each is a stage; otherwise a :class:`ConfigError` listing the stages."""
    names = tuple(names)
    unknown = [name for name in names if name not in STAGE_ORDER]
    if unknown:
        raise ConfigError(f"unknown stage {unknown[0]!r}; the stages are: {', '.join(STAGE_ORDER)}")
    return names


def stage_reports(skip: Iterable[str] = ()) -> tuple[StageReport, ...]:
    """What :func:`run_stages` does with each stage: ran, skipped, or not implemented."""
    skipped = frozenset(skip)
    return tuple(
        StageReport(
            name=name,
            status="skipped"
            if name in skipped
            else ("not_implemented" if name not in STAGES else "ran"),
        )
        for name in STAGE_ORDER
    )


def run_stages(
    doc: Doc, document: DocumentRecord, skip: Iterable[str] = (), *, offset: int = 0
) -> tuple[Findings, tuple[StageReport, ...]]:
    """Run every stage not in ``skip``, in order; report what ran, was skipped or is missing.

    ``offset``: where ``document.text`` begins in the whole document (a segment of a long one).
    """
    reports = stage_reports(skip)
    ctx = StageContext(document=document, offset=offset)
    for report in reports:
        if report.status != "ran":
            continue
        name = report.name
        try:
            found = STAGES[name](doc, ctx)
        except Exception as err:  # a bug in one stage must not end a batch of documents
            raise StageError(
                document.input, f"stage {name!r} failed: {type(err).__name__}: {err}"
            ) from err
        ctx = StageContext(document=document, found=found, offset=offset)
    return ctx.found, reports
