"""The review web page and HTTP API over the ledger (``claimtrace serve``).

:func:`~claimtrace.web.app.create_app` builds the FastAPI app; the JSON API is in
:mod:`~claimtrace.web.api`, the pages in :mod:`~claimtrace.web.pages`, the request guards in
:mod:`~claimtrace.web.security`. Nothing is imported here, so importing ``claimtrace.web.cli``
to list the command does not load FastAPI.
"""
