"""Staff passwords, stored as salted scrypt hashes in the `scrypt:N:r:p$salt$hex` form (the one accounts made
before this module have too, so every stored password keeps working; `pbkdf2:hash:iterations$…` is read as well)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from collections.abc import Callable

SCRYPT = (2**15, 8, 1)  # N, r, p: about 50 ms and 32 MiB a check, slow for a guesser, fine for a sign-in
SALT_CHARS = string.ascii_letters + string.digits
SALT_LENGTH = 16


def _here(work: Callable[[], str]) -> str:
    return work()


# Where the slow hash runs. The server swaps in a native thread (kiosk.server): scrypt lets go of the GIL, so under
# the evented worker a flood of sign-ins no longer stalls every other request while it hashes.
run_hash: Callable[[Callable[[], str]], str] = _here


def hash_password(password: str) -> str:
    salt = "".join(secrets.choice(SALT_CHARS) for _ in range(SALT_LENGTH))
    method = "scrypt:{}:{}:{}".format(*SCRYPT)
    return f"{method}${salt}${run_hash(lambda: _digest(method, salt, password))}"


def password_matches(stored: str, password: str) -> bool:
    """Whether the password is the one the stored hash was made from (in constant time)."""
    try:
        method, salt, digest = stored.split("$", 2)
        return hmac.compare_digest(run_hash(lambda: _digest(method, salt, password)), digest)
    except ValueError:
        return False  # not a hash this office makes


def _digest(method: str, salt: str, password: str) -> str:
    name, *args = method.split(":")
    if name == "scrypt":
        n, r, p = (int(arg) for arg in args) if args else SCRYPT
        return hashlib.scrypt(password.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=132 * n * r * p).hex()
    if name == "pbkdf2" and len(args) == 2:
        return hashlib.pbkdf2_hmac(args[0], password.encode(), salt.encode(), int(args[1])).hex()
    raise ValueError(f"unknown password hash {name!r}")
