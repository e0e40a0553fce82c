"""WebhookEndpoint (a shop's receiving URL and secret) and WebhookDelivery (one event sent to it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db
from shops.models import Shop

# The events a shop's software may subscribe to.
ORDER_CREATED = "order.created"  # placed at the checkout (paid later online, or at the counter)
ORDER_PAID = "order.paid"  # the online payment succeeded: prepare it
ORDER_READY = "order.ready"  # prepared, waiting at the counter
ORDER_CANCELLED = "order.cancelled"  # by the resident or the shop
ORDER_COLLECTED = "order.collected"  # handed over
PRODUCT_LOW_STOCK = "product.low_stock"  # stock fell to the product's threshold or below
EVENTS = (
    ORDER_CREATED,
    ORDER_PAID,
    ORDER_READY,
    ORDER_CANCELLED,
    ORDER_COLLECTED,
    PRODUCT_LOW_STOCK,
)
PING = "ping"  # the "send a test event" button: delivered whatever the subscription

# A delivery's status.
PENDING = "pending"  # waiting for its first attempt or its next retry
SUCCEEDED = "succeeded"  # the endpoint answered 2xx
FAILED = "failed"  # out of attempts, or the endpoint was disabled meanwhile


class WebhookEndpoint(db.Model):
    """A URL of the shop's software that receives the events it chose, signed with its secret."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[str] = mapped_column(String(300))  # space-separated event names
    # The signing secret: shown once at creation; kept because every delivery is signed with it.
    secret: Mapped[str] = mapped_column(String(80))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    shop: Mapped[Shop] = relationship()

    @property
    def event_list(self) -> list[str]:
        return self.events.split()

    @property
    def paused_after_failures(self) -> bool:
        """Whether Vitrine paused it after repeated failures (the shop's own pause has no date)."""
        return not self.enabled and self.disabled_at is not None

    def wants(self, event_type: str) -> bool:
        """Whether this endpoint is enabled and subscribed to `event_type`."""
        return self.enabled and event_type in self.event_list

    def __repr__(self) -> str:
        return f"<WebhookEndpoint {self.id} shop={self.shop_id} {self.url}>"


class WebhookDelivery(db.Model):
    """One event for one endpoint: its fixed body, its attempts and the last answer."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(40))  # evt_..., the same on every retry
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)  # the JSON body, written when the event happened
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    response_status: Mapped[int | None] = mapped_column(Integer)  # None: no HTTP answer
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    response_excerpt: Mapped[str] = mapped_column(Text, default="")  # or the network error
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    endpoint: Mapped[WebhookEndpoint] = relationship()

    __table_args__ = (Index("ix_webhook_deliveries_endpoint_id_id", "endpoint_id", "id"),)

    def __repr__(self) -> str:
        return f"<WebhookDelivery {self.id} {self.event_type} {self.status}>"
