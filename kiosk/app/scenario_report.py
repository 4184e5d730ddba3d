"""The parts of a scenario result: screens visited with their inputs, host effects, checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.app.compose import Kiosk

if TYPE_CHECKING:
    from kiosk.app.scenario import Expectation


def business_postings(kiosk: Kiosk) -> frozenset[str]:
    """The host operations the flows post with (approvals are recorded, not counted), read from the flows."""
    return frozenset().union(*(flow.posting_ops for flow in kiosk.engine.flows.values()))


def screens_visited(trail: list[dict[str, Any]]) -> list[dict[str, Any]]:
    screens: list[dict[str, Any]] = []
    for item in trail:
        if item["what"] == "screen":
            if not screens or screens[-1]["step"] != item["step"]:
                screens.append({"step": item["step"], "kind": item["kind"], "inputs": [], "errors": []})
            if item.get("progress"):
                screens[-1]["progress"] = list(item["progress"])  # step x of y, as last shown
            if item.get("error") and item["error"] not in screens[-1]["errors"]:
                screens[-1]["errors"].append(item["error"])
        elif item["what"] == "input" and screens:
            given = {"kind": item["kind"]}
            if item.get("choice"):
                given["choice"] = item["choice"]
            if item.get("fields"):
                given["fields"] = item["fields"]
            screens[-1]["inputs"].append(given)
    return screens


def host_effects(kiosk: Kiosk, session_id: str, state: dict[str, Any]) -> dict[str, Any]:
    """Postings the host committed for this session, per idempotency key."""
    requests = kiosk.services.journal.host_requests(session_id)
    keys = {r.idempotency_key: r for r in requests}
    postings = [p for p in state["postings"] if p["idempotency_key"] in keys]
    business = business_postings(kiosk)
    committed = [p for p in postings if p["status"] == "committed" and p["op"] in business]
    return {
        "requests": [{"op": r.op, "key": r.idempotency_key, "status": str(r.status)} for r in requests],
        "postings": [{"key": p["idempotency_key"], "op": p["op"], "status": p["status"],
                      "amount_fen": p["amount_fen"], "error_code": p["error_code"]} for p in postings],
        "committed_postings": len(committed),
        "debited_fen": sum(p["amount_fen"] or 0 for p in committed),  # the host stores amounts of debits only
    }


def check_expectation(expect: Expectation, result: dict[str, Any]) -> list[str]:
    failures: list[str] = []
    if result["outcome"] != expect.outcome:
        failures.append(f"outcome {result['outcome']!r}, expected {expect.outcome!r}")
    if expect.message is not None and result.get("message") != expect.message:
        failures.append(f"message {result.get('message')!r}, expected {expect.message!r}")
    visited = [s["step"] for s in result["screens"]]
    position = 0
    for step in expect.screens:
        try:
            position = visited.index(step, position) + 1
        except ValueError:
            failures.append(f"screen {step!r} not visited in order; visited {visited}")
            break
    failures += [f"screen {step!r} was visited" for step in expect.not_screens if step in visited]
    with_errors = {s["step"] for s in result["screens"] if s["errors"]}
    failures += [f"screen {step!r} showed no error" for step in expect.errors_on if step not in with_errors]
    effects, devices = result["host_effects"], result["devices"]
    checks = [("postings", expect.postings, effects["committed_postings"]),
              ("debited_fen", expect.debited_fen, effects["debited_fen"]),
              ("retained_cards", expect.retained_cards, devices["retained_cards"]),
              ("receipt_printed", expect.receipt_printed, devices["receipt_printed"]),
              ("document_printed", expect.document_printed, devices["document_printed"]),
              ("spool_documents", expect.spool_documents, devices["spool_documents"]),
              ("stale_results", expect.stale_results, devices["stale_results"])]
    failures += [f"{name} {got!r}, expected {want!r}" for name, want, got in checks
                 if want is not None and got != want]
    return failures


def check_texts(where: str, wanted: list[str], said: set[str]) -> list[str]:
    """Each wanted text is part of one of the texts ``where`` said."""
    return [f"{where} did not say {text!r}" for text in wanted if not any(text in one for one in said)]


def check_journal(wanted: list[str], entries: list[str]) -> list[str]:
    """The wanted "kind:name" entries are in the journal in this order (others may come between)."""
    position = 0
    for entry in wanted:
        try:
            position = entries.index(entry, position) + 1
        except ValueError:
            return [f"journal entry {entry!r} not found in order; the session's entries: {entries}"]
    return []
