"""The embedded host simulator: its own process, plain HTTP on 127.0.0.1, SQLite, seeded demo data.

Only the composition root (kiosk.app) and the tests import this package; the kiosk itself talks to
it through :class:`kiosk.host.HostClient` like to the bank's real host.
"""
