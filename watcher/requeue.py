"""Requeuing what was not delivered: `watcher outbox retry ID|--all` and the desk page's
retry buttons do the same thing here."""

from __future__ import annotations

from datetime import datetime

from watcher.model import DeliveryStatus
from watcher.store import Store


def retry(store: Store, delivery_id: int | None, now: datetime) -> tuple[bool, str]:
    """Requeue one delivery (or, with None, every failed or waiting one and the admin
    notices): (False, why) for an unknown id. Shared with the desk page's retry buttons."""
    if delivery_id is None:
        count = store.requeue(None, now)
        notices = store.requeue_notices(now)
        store.release_channel_holds(None, now)
        return True, f"requeued {count} deliveries and {notices} admin notices"
    delivery = store.delivery(delivery_id)
    if delivery is None:
        return False, f"no delivery with id {delivery_id} (see `watcher outbox`)"
    if delivery.status is DeliveryStatus.SENT:
        return True, f"delivery {delivery_id} was delivered; nothing to retry"
    store.requeue(delivery.id, now)
    store.release_channel_holds([delivery.channel], now)
    return True, f"requeued delivery {delivery.id} on {delivery.channel}"
