"""Job names: every function a worker runs, in one registry that app/ enqueues through.

Jobs are enqueued by dotted name (app/ never imports workers/); `app.queues.enqueue` refuses
a name that is not here, and a test checks that every name resolves to a callable.
"""

from __future__ import annotations

# Back office (workers/reports.py, workers/crisis.py)
FILE_REPORT = "workers.reports.file_report"
LOOKUP_STATUS = "workers.reports.lookup_status"
ALERT_INCIDENT = "workers.crisis.alert_incident"
ESCALATE_OVERDUE = "workers.crisis.escalate_overdue"
# Registry (workers/registry.py)
IMPORT_HANDSETS = "workers.registry.import_handsets"
# SMS (workers/sms.py, workers/broadcasts.py, workers/sms_sweepers.py)
HANDLE_INBOUND = "workers.sms.handle_inbound"
WAKE_INBOUND = "workers.sms.wake_inbound"
SEND_OUTBOUND = "workers.sms.send_outbound"
SEND_BROADCAST = "workers.broadcasts.send_broadcast"
SWEEP_OUTBOX = "workers.sms_sweepers.sweep_outbox"
SWEEP_BROADCASTS = "workers.sms_sweepers.sweep_broadcasts"

NAMES = frozenset(
    {
        FILE_REPORT,
        LOOKUP_STATUS,
        ALERT_INCIDENT,
        ESCALATE_OVERDUE,
        IMPORT_HANDSETS,
        HANDLE_INBOUND,
        WAKE_INBOUND,
        SEND_OUTBOUND,
        SEND_BROADCAST,
        SWEEP_OUTBOX,
        SWEEP_BROADCASTS,
    }
)
