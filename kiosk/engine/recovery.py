"""On start: sessions the kiosk never closed (it died) are closed as abandoned, and host requests
whose outcome it never learned are reconciled with the host under their idempotency keys."""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict, dataclass

from kiosk.engine.services import Services
from kiosk.host.errors import HostError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecoveryReport:
    abandoned_sessions: int
    reconciled_committed: int
    reconciled_absent: int
    still_unknown: int


def recover(services: Services) -> RecoveryReport:
    journal = services.journal
    abandoned = journal.open_sessions()
    for record in abandoned:
        journal.close_session(record.id, "abandoned", "the kiosk stopped during the session")
    committed = absent = unknown = 0
    for request in journal.unfinished_host_requests():
        try:
            reply = services.host.call("operations.status", {"idempotency_key": request.idempotency_key},
                                       uuid.uuid4().hex, request.session_id or "recovery")
        except HostError as exc:
            log.warning("could not reconcile %s (%s): %s", request.op, request.idempotency_key, type(exc).__name__)
            unknown += 1
            continue
        found = bool(reply.get("found")) and reply.get("status") == "committed"
        journal.host_request_finished(request.idempotency_key, "reconciled_committed" if found else "reconciled_absent",
                                      {"host_status": reply.get("status")})
        journal.record(request.session_id, "system", "reconciled",
                       {"op": request.op, "key": request.idempotency_key, "committed": found})
        committed += found
        absent += not found
    report = RecoveryReport(len(abandoned), committed, absent, unknown)
    journal.record(None, "system", "recovery", asdict(report))
    return report
