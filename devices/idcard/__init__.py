"""Resident ID card reader: interface (api), SAM protocol (sam, base_info, nations, wlt), the real
serial adapter (serial_reader), the protocol-level simulator (pty_sim), the behavioural simulator
(sim) and the factory the composition root calls (factory)."""

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())  # the application decides where logs go
