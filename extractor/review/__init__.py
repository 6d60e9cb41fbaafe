"""Review of extracted incidents by an analyst, and their export as gold data.

``extractor serve --review`` lets an analyst accept, reject or correct each incident and add
the ones the model missed; every decision is a row of the ``reviews`` table
(:mod:`extractor.review.table`), written through a connection that may write that table only
(:mod:`extractor.review.writer`). The extracted rows are never changed: ``extractor gold
export`` (:mod:`extractor.review.export`) applies the reviews to them on the way out.
"""
