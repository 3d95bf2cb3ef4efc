"""gunicorn settings for Melek's web tier (read automatically from the working directory).

Sync workers, not threads: the USSD hop budget (app/ussd/deadline.py) is enforced with a
timer signal, which only reaches a process's main thread. An ordinary hop takes about 2 ms
of CPU; a status lookup may wait up to USSD_WAIT_FOR_RESULT for a worker, holding its
process meanwhile, so size WEB_CONCURRENCY for the expected concurrent lookups.
"""

import multiprocessing
import os

worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = 30
graceful_timeout = 10
keepalive = 5
# The longest request line gunicorn takes (its maximum); longer ones get gunicorn's own
# 414 page before Flask sees them. Real API calls are far shorter.
limit_request_line = 8190
# No access log: the app writes one JSON line per request itself (app/logs.py), with the
# request id and the path without its query string (which may carry WEBHOOK_TOKEN).
accesslog = None
# No control socket: its default path is one per user, shared by every gunicorn on the host,
# so one instance stopping removed another's. Melek is managed with signals.
control_socket_disable = True


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    """Drop a dead worker's live gauges from the multi-process Prometheus files."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
