"""Matches in, alerts out: building the contract's Alert and delivering it to sinks."""
