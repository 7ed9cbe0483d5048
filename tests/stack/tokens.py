"""HS256 JWTs with the stack's secret: API keys, access tokens, verification.

Legacy Supabase projects sign everything with one HS256 secret; the anon and service_role API
keys are long-lived JWTs whose `role` claim picks the database role. The stack also issues the
new opaque `sb_publishable_…`/`sb_secret_…` keys, which the gateway swaps for those JWTs.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import jwt

ALGORITHM = "HS256"
# Far in the future, like the CLI's demo keys (exp 1983812996).
API_KEY_EXPIRY = 1983812996


class TokenError(Exception):
    """A bearer token that cannot be trusted; `expired` distinguishes PGRST303 from PGRST301."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.expired = expired


@dataclass(frozen=True)
class ApiKeys:
    """The secret and the four keys a stack hands out."""

    jwt_secret: str
    anon_key: str
    service_key: str
    publishable_key: str
    secret_key: str

    @classmethod
    def generate(cls, jwt_secret: str | None = None) -> ApiKeys:
        secret = jwt_secret or secrets.token_urlsafe(48)
        return cls(
            jwt_secret=secret,
            anon_key=mint_api_key(secret, "anon"),
            service_key=mint_api_key(secret, "service_role"),
            publishable_key="sb_publishable_" + secrets.token_urlsafe(24),
            secret_key="sb_secret_" + secrets.token_urlsafe(24),
        )

    def all(self) -> tuple[str, ...]:
        return (self.anon_key, self.service_key, self.publishable_key, self.secret_key)


def mint_api_key(secret: str, role: str) -> str:
    claims = {"iss": "supabase-demo", "role": role, "iat": int(time.time()), "exp": API_KEY_EXPIRY}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def mint(secret: str, claims: dict[str, object]) -> str:
    """Sign arbitrary claims (access tokens, signed-URL tokens, tests' expired tokens)."""
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify(secret: str, token: str) -> dict[str, object]:
    """The verified claims, or TokenError with a PostgREST-like message.

    `aud` is not checked (Supabase sets no jwt-aud); `exp`/`nbf`/`iat` are, without leeway.
    """
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError(f"Expected 3 parts in JWT; got {len(parts)}")
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"verify_aud": False, "verify_iat": False},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("JWT expired", expired=True) from exc
    except jwt.InvalidSignatureError as exc:
        raise TokenError("JWT cryptographic operation failed") from exc
    except jwt.InvalidAlgorithmError as exc:
        raise TokenError("No suitable key or wrong key type") from exc
    except jwt.PyJWTError as exc:
        raise TokenError(f"JWT cryptographic operation failed: {exc}") from exc
    if not isinstance(claims, dict):
        raise TokenError("JWT claims are not an object")
    return claims


@dataclass(frozen=True)
class Credentials:
    """What the gateway learned from the request's bearer token, handed to every service.

    `token` None means no bearer at all; `error` set means a bearer that failed verification
    (each service renders that in its own error shape).
    """

    token: str | None
    claims: dict[str, object] | None
    error: TokenError | None = None

    @property
    def role(self) -> str:
        return str((self.claims or {}).get("role") or "anon")


def credentials_for(secret: str, token: str | None) -> Credentials:
    if token is None:
        return Credentials(None, None)
    try:
        return Credentials(token, verify(secret, token))
    except TokenError as error:
        return Credentials(token, None, error)
