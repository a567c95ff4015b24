"""Places: the offline gazetteer and toponym resolution (GeoNames data, CC BY 4.0).

:mod:`~claimtrace.places.gazetteer` builds and queries the compact place index,
:mod:`~claimtrace.places.names` folds spellings and romanisations into lookup keys, and
:mod:`~claimtrace.places.resolve` finds place mentions in a parsed document and ranks the
gazetteer's candidates for each by the evidence in the text.
"""
