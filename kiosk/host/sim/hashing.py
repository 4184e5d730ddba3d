"""Argon2id hashes of staff passwords and staff card PINs (argon2-cffi).

The parameters are OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane): about 25 ms a hash on
the kiosk PC. The clear secret exists only inside these calls; it is never stored or logged.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def hash_secret(secret: str) -> str:
    """A new Argon2id hash (own random salt) in the PHC string format ``$argon2id$v=19$m=...``."""
    return HASHER.hash(secret)


@lru_cache(maxsize=64)
def demo_hash(secret: str) -> str:
    """The hash of a demo secret from people.toml, made once per process (a reseed reuses it)."""
    return hash_secret(secret)


def secret_matches(stored_hash: str | None, secret: str) -> bool:
    """Whether ``secret`` is the one ``stored_hash`` was made from; False for a missing or broken hash."""
    try:
        # with no hash, check one anyway: a wrong staff number costs as much time as a wrong password
        return HASHER.verify(stored_hash or demo_hash("no such staff member"), secret) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
