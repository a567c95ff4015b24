"""Ingest → language pipeline → stages, for one text or a stream of inputs.

The language pipeline is loaded once per :class:`Extractor`; documents go through ``nlp.pipe``
in batches, and results come out in input order, with an :class:`~claimtrace.errors.InputError`
in place of each input that failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import BinaryIO

from spacy.language import Language
from spacy.tokens import Doc

from claimtrace._version import __version__
from claimtrace.config import Settings, load_settings
from claimtrace.errors import InputError
from claimtrace.ingest import NO_METADATA, Metadata, RawInput, build_document, iter_inputs
from claimtrace.nlp import describe, load_pipeline
from claimtrace.records import DocumentRecord, Extraction, PipelineInfo
from claimtrace.stages import check_stage_names, run_stages

__all__ = ["Extractor", "Result"]

Result = Extraction | InputError


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
        :func:`~claimtrace.ingest.build_document`; errors pass through in order."""
        items = iter(documents)
        while built := list(islice(items, self.settings.batch_size)):
            ready = [item for item in built if isinstance(item, DocumentRecord)]
            parsed = iter(self.nlp.pipe(document.text for document in ready))
            for item in built:
                if isinstance(item, InputError):
                    yield item
                    continue
                try:
                    yield self._finish(item, next(parsed))
                except InputError as err:
                    yield err

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

    def _finish(self, document: DocumentRecord, doc: Doc) -> Extraction:
        findings, reports = run_stages(doc, document, self.skip)
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
