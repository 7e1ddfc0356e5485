"""Text in, events out, events scored against watch rules: plain Python on plain data.

Nothing in this package imports Kafka, Faust or an HTTP client (tests/test_boundaries.py checks it).
"""
