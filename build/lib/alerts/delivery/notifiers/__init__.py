"""One notifier per service: config + payload + one POST through ``http.post``."""
from .base import CircuitOpenError, DeliveryError, Notifier

__all__ = ["CircuitOpenError", "DeliveryError", "Notifier"]
