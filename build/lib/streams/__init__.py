"""Kafka wiring: the Faust app, its topics and agents, and the `newsmon` command line."""
