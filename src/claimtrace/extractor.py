"""Ingest → language pipeline → stages, for one text or a stream of inputs.

The language pipeline is loaded once per :class:`Extractor`; documents go through ``nlp.pipe``
in batches, and results come out in input order, with an :class:`~claimtrace.errors.InputError`
in place of each input that failed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import BinaryIO

from spacy.language import Language
from spacy.tokens import Doc

from claimtrace._version import __version__
from claimtrace.config import Settings, load_settings
from claimtrace.errors import InputError, InputTooLargeError, StageError
from claimtrace.ingest import NO_METADATA, Metadata, RawInput, build_document, iter_inputs
from claimtrace.nlp import describe, load_pipeline
from claimtrace.records import DocumentRecord, Extraction, PipelineInfo
from claimtrace.segments import Merger, Segment, SegmentPlan, weight_of
from claimtrace.stages import check_stage_names, run_stages, stage_reports
from claimtrace.stages.context import Findings

__all__ = ["Extractor", "Result"]

Result = Extraction | InputError
logger = logging.getLogger(__name__)


def _failure(document: DocumentRecord, step: str, err: Exception) -> InputError:
    """``err``, raised while extracting ``document``, as that document's one-line error."""
    if isinstance(err, InputError):
        return err
    logger.debug("%s failed on %s", step, document.input, exc_info=err)
    return StageError(
        document.input,
        f"{step} failed: {type(err).__name__}: {err} (a bug: please report it; "
        "the other documents go on)",
    )


class Extractor:
    """Turns inputs into :class:`~claimtrace.records.Extraction` records.

    >>> extractor = Extractor(load_settings(model="rules"))
    >>> result = extractor.extract_text("Officials said it rained. It did.", published="2024-05-01")
    >>> [s.text for s in result.sentences]
    ['Officials said it rained.', 'It did.']
    """

    def __init__(self, settings: Settings | None = None, *, nlp: Language | None = None) -> None:
        self.settings = settings if settings is not None else load_settings()
        self.skip = check_stage_names(self.settings.skip_stages)
        self.nlp = nlp if nlp is not None else load_pipeline(self.settings.model)
        self.model = describe(self.nlp)
        size = min(self.settings.batch_chars, self.nlp.max_length) // 2
        self.segment_plan = SegmentPlan(whole_below=2 * size, size=size, context=size // 10)

    def extract_text(
        self,
        text: str,
        *,
        published: str | None = None,
        title: str | None = None,
        url: str | None = None,
        publisher: str | None = None,
        html: bool = False,
        name: str = "text",
    ) -> Extraction:
        """Extract one text (or HTML page, with ``html=True``); raises on bad input."""
        raw = RawInput(name, text, "html" if html else "text")
        overrides = Metadata(title=title, url=url, publisher=publisher, published=published)
        result = next(self.extract_inputs([raw], overrides=overrides))
        if isinstance(result, InputError):
            raise result
        return result

    def extract_paths(
        self,
        sources: Iterable[str],
        *,
        overrides: Metadata = NO_METADATA,
        encoding: str | None = None,
        stdin: BinaryIO | None = None,
    ) -> Iterator[Result]:
        """Extract every document found in files, directories, feeds or ``-`` (stdin)."""
        inputs = iter_inputs(sources, max_bytes=self.settings.max_document_bytes, stdin=stdin)
        return self.extract_inputs(inputs, overrides=overrides, encoding=encoding)

    def extract_inputs(
        self,
        inputs: Iterable[RawInput | InputError],
        *,
        overrides: Metadata = NO_METADATA,
        encoding: str | None = None,
    ) -> Iterator[Result]:
        """Extract raw inputs in batches through ``nlp.pipe``; errors pass through in order."""
        return self.extract_documents(self._build(item, overrides, encoding) for item in inputs)

    def extract_documents(
        self, documents: Iterable[DocumentRecord | InputError]
    ) -> Iterator[Result]:
        """Extract documents already built (decoded, repaired, hashed) by
        :func:`~claimtrace.ingest.build_document`; errors pass through in order.

        A failure inside one document — a stage's bug, the language pipeline refusing it —
        becomes that document's :class:`~claimtrace.errors.StageError`; the others go on.
        """
        items = (self._checked(item) for item in documents)
        while built := list(islice(items, self.settings.batch_size)):
            ready = [item for item in built if isinstance(item, DocumentRecord)]
            try:
                done = self._extract_batch(ready)
            except Exception as err:  # the parse of the batch failed: find whose it was
                logger.warning(
                    "batch failed (%s: %s); retrying one by one", type(err).__name__, err
                )
                done = {}
                for document in ready:
                    try:
                        done.update(self._extract_batch([document]))
                    except Exception as one:
                        done[id(document)] = _failure(document, "language pipeline", one)
            for item in built:
                yield item if isinstance(item, InputError) else done[id(item)]

    def _checked(self, item: DocumentRecord | InputError) -> DocumentRecord | InputError:
        """The document, or an error when its text is over the size whose memory is known."""
        limit = self.settings.max_document_chars
        if isinstance(item, InputError) or len(item.text) <= limit:
            return item
        return InputTooLargeError(
            item.input,
            f"text too long ({len(item.text):,} characters; the limit is {limit:,}): split it "
            "into articles, or raise it with CLAIMTRACE_MAX_DOCUMENT_CHARS (memory grows with it: "
            "about 150 MB per million characters)",
        )

    def _extract_batch(self, ready: list[DocumentRecord]) -> dict[int, Result]:
        """Each document's result, by ``id()``: parsed segment by segment, in char-bounded
        batches, each segment's parse dropped once its stages ran."""
        plan = self.segment_plan
        units = [(document, segment) for document in ready for segment in plan.cut(document.text)]
        mergers = {id(d): Merger(d.id, d.text) for d in ready}
        failed: dict[int, InputError] = {}
        for (document, segment), doc in zip(units, self._parse(units), strict=True):
            key = id(document)
            if key in failed:
                continue
            view = document
            if segment.start or segment.end != len(document.text):
                view = document.model_copy(
                    update={"text": document.text[segment.start : segment.end], "repairs": ()}
                )
            try:
                found = run_stages(doc, view, self.skip, offset=segment.start)[0]
                mergers[key].add(segment, found)
            except Exception as err:  # InputError from a stage, or a bug in merging
                failed[key] = _failure(document, "merging its segments", err)
        done: dict[int, Result] = dict(failed)
        for document in ready:
            key = id(document)
            if key in failed:
                continue
            try:
                done[key] = self._finish(document, mergers.pop(key).findings())
            except Exception as err:  # a bug in merging or in a record: this document's error
                done[key] = _failure(document, "assembling the extraction", err)
        return done

    def _parse(self, units: list[tuple[DocumentRecord, Segment]]) -> Iterator[Doc]:
        """The parse of each unit, in order, through ``nlp.pipe`` in batches of at most
        ``batch_size`` units and ``batch_chars`` of weight (:func:`~claimtrace.segments.weight_of`;
        a heavier unit goes alone)."""
        limit = self.settings.batch_chars
        group: list[str] = []
        size = 0
        for document, segment in units:
            text = document.text[segment.start : segment.end]
            weight = weight_of(text)
            if group and (size + weight > limit or len(group) >= self.settings.batch_size):
                yield from self.nlp.pipe(group, batch_size=len(group))
                group, size = [], 0
            group.append(text)
            size += weight
        if group:
            yield from self.nlp.pipe(group, batch_size=len(group))

    @staticmethod
    def _build(
        item: RawInput | InputError, overrides: Metadata, encoding: str | None
    ) -> DocumentRecord | InputError:
        if isinstance(item, InputError):
            return item
        try:
            return build_document(item, overrides, encoding)
        except InputError as err:
            return err

    def _finish(self, document: DocumentRecord, findings: Findings) -> Extraction:
        reports = stage_reports(self.skip)
        return Extraction(
            document=document,
            sentences=findings.sentences,
            claims=findings.claims,
            entities=findings.entities,
            places=findings.places,
            quantities=findings.quantities,
            times=findings.times,
            pipeline=PipelineInfo(version=__version__, model=self.model, stages=reports),
        )
