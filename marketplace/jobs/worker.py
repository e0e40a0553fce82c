"""Running jobs: the huey consumer of `flask jobs worker`, and the thread `make run` starts."""

from __future__ import annotations

import atexit
import logging

from flask import Flask
from huey.consumer import Consumer

from marketplace.jobs.queue import queue_of


class ThreadConsumer(Consumer):
    """A consumer that lives beside a web server: no signal handlers (they belong to its main)."""

    def _set_signal_handlers(self) -> None:
        pass


def run_worker(app: Flask, workers: int, periodic: bool) -> None:
    """Run the consumer in the foreground until SIGINT/SIGTERM (graceful on SIGINT)."""
    if not logging.getLogger().handlers:  # text logs (LOG_FORMAT=json has set up its own)
        logging.basicConfig(
            level=app.config.get("LOG_LEVEL", "INFO"),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
    queue = queue_of(app)
    queue.huey.immediate = False
    consumer = queue.huey.create_consumer(
        workers=workers,
        worker_type="thread",
        periodic=periodic,
        flush_locks=True,  # a worker killed during a periodic task left its lock behind
        max_delay=5.0,
    )
    consumer.run()


def start_consumer_thread(app: Flask, workers: int = 2) -> ThreadConsumer:
    """Start a consumer in background threads of this process (the dev server's); return it."""
    queue = queue_of(app)
    consumer = ThreadConsumer(
        queue.huey, workers=workers, worker_type="thread", flush_locks=True, max_delay=1.0
    )
    consumer.start()
    atexit.register(consumer.stop)
    return consumer
