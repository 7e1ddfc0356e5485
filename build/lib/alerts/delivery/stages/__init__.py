"""One module per stage: route, silence, dedup, retry (around circuit → rate limit → notify), record."""
from .circuit import CircuitBreaker, CircuitStage
from .dedup import DedupStage
from .notify import NotifyStage
from .ratelimit import RateLimitStage, TokenBucket
from .record import RecordStage
from .retry import RetryStage
from .route import RouteStage
from .silence import SilenceStage

__all__ = ["CircuitBreaker", "CircuitStage", "DedupStage", "NotifyStage", "RateLimitStage", "RecordStage",
           "RetryStage", "RouteStage", "SilenceStage", "TokenBucket"]
