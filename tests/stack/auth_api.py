"""`/auth/v1`: the GoTrue endpoints supabase-py uses (supabase-wire.md §2, §6 items 6–13)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import psycopg

from tests.stack import auth_store as store
from tests.stack.auth_shapes import (
    API_VERSION,
    AuthError,
    AuthSettings,
    access_token,
    error_response,
    session_json,
    user_json,
)
from tests.stack.db import Database
from tests.stack.http import Request, Response
from tests.stack.tokens import Credentials

ADMIN_ROLES = ("service_role", "supabase_admin")
INVALID_EMAIL = "Unable to validate email address: invalid format"
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DURATION_PATTERN = re.compile(r"^(\d+(?:\.\d+)?)(h|m|s)$")
Row = dict[str, Any]


class AuthService:
    def __init__(self, db: Database, jwt_secret: str, issuer: str, settings: AuthSettings) -> None:
        self.db, self.secret, self.issuer, self.settings = db, jwt_secret, issuer, settings
        self._routes: dict[tuple[str, str], Callable[[Request, Credentials], Response]] = {
            ("POST", "/signup"): self.signup,
            ("POST", "/token"): self.token,
            ("GET", "/user"): self.get_user,
            ("PUT", "/user"): self.update_user,
            ("POST", "/logout"): self.logout,
            ("POST", "/admin/users"): self.admin_create_user,
            ("GET", "/admin/users"): self.admin_list_users,
            ("GET", "/settings"): self.public_settings,
            ("GET", "/health"): lambda _r, _c: Response.json(200, {"name": "GoTrue"}),
        }

    def handle(self, request: Request, creds: Credentials) -> Response:
        try:
            route = self._routes.get((request.method, request.path.rstrip("/") or "/"))
            if route is not None:
                response = route(request, creds)
            elif request.path.startswith("/admin/users/"):
                response = self.admin_user(request, creds)
            else:
                raise AuthError(404, "not_found", "Not Found")
        except AuthError as error:
            return error_response(error, request.headers.get("X-Supabase-Api-Version"))
        response.headers.append(("X-Supabase-Api-Version", API_VERSION))
        return response

    # -- public endpoints --------------------------------------------------------------------

    def signup(self, request: Request, _creds: Credentials) -> Response:
        body = _json_body(request)
        email = _normalise_email(body.get("email"), "To signup, please provide your email")
        password = body.get("password") or ""
        if not password:
            raise AuthError(400, "validation_failed", "Signup requires a valid password")
        self._check_strength(password)
        confirmed = self.settings.autoconfirm
        encrypted = store.hash_password(password)
        with self.db.admin() as conn:
            existing = store.user_by_email(conn, email)
            if existing is not None:
                if confirmed:
                    raise AuthError(422, "user_already_exists", "User already registered")
                return Response.json(200, _obfuscated_user(email))
            try:
                user = store.create_user(
                    conn,
                    email=email,
                    encrypted_password=encrypted,
                    confirmed=confirmed,
                    user_metadata=_dict(body.get("data")),
                    app_metadata={},
                )
            except psycopg.errors.UniqueViolation as exc:  # a concurrent signup won the race
                raise AuthError(422, "user_already_exists", "User already registered") from exc
            if not confirmed:
                return Response.json(200, self._user(conn, user))
            return Response.json(200, self._new_session(conn, user))

    def token(self, request: Request, _creds: Credentials) -> Response:
        grant = request.query_value("grant_type")
        body = _json_body(request)
        if grant == "password":
            return self._password_grant(body)
        if grant == "refresh_token":
            return self._refresh_grant(body)
        raise AuthError(400, "validation_failed", "unsupported_grant_type")

    def _password_grant(self, body: dict) -> Response:
        email = str(body.get("email") or "").strip().lower()
        password = str(body.get("password") or "")
        with self.db.admin() as conn:
            user = store.user_by_email(conn, email) if email else None
        # bcrypt is slow on purpose: check it without holding a pooled connection.
        if user is None or not store.password_matches(password, user["encrypted_password"]):
            raise AuthError(400, "invalid_credentials", "Invalid login credentials")
        if user["email_confirmed_at"] is None:
            raise AuthError(400, "email_not_confirmed", "Email not confirmed")
        if user["banned_until"] is not None and user["banned_until"] > store.now():
            raise AuthError(400, "user_banned", "User is banned")
        with self.db.admin() as conn:
            user = store.record_sign_in(conn, str(user["id"])) or user
            return Response.json(200, self._new_session(conn, user))

    def _refresh_grant(self, body: dict) -> Response:
        token = str(body.get("refresh_token") or "")
        if not token:
            raise AuthError(400, "validation_failed", "Refresh Token is required")
        with self.db.admin() as conn:
            outcome = self._rotate(conn, token)
            if isinstance(outcome, AuthError):
                raise outcome
            user_id, session_id, new_token = outcome
            user = store.user_by_id(conn, user_id)
            if user is None:
                raise AuthError(
                    400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found"
                )
            return Response.json(200, self._session(conn, user, session_id, new_token))

    def _rotate(self, conn: psycopg.Connection, token: str) -> tuple[str, str, str] | AuthError:
        """Rotation with GoTrue's reuse interval and reuse detection.

        Returns an AuthError instead of raising it so that a detected reuse still commits the
        revocation of the whole token family.
        """
        with conn.transaction():
            row = store.lock_refresh_token(conn, token)
            if row is None or row["session_id"] is None:
                return AuthError(
                    400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found"
                )
            session_id = str(row["session_id"])
            if not row["revoked"]:
                return row["user_id"], session_id, store.rotate(conn, row)
            child = store.active_child(conn, token)
            interval = self.settings.refresh_token_reuse_interval
            if child and store.within(row["updated_at"], interval):
                return row["user_id"], session_id, child["token"]
            store.revoke_family(conn, session_id)
            return AuthError(
                400, "refresh_token_already_used", "Invalid Refresh Token: Already Used"
            )

    def public_settings(self, _request: Request, _creds: Credentials) -> Response:
        return Response.json(
            200,
            {
                "external": {"email": True, "phone": False},
                "disable_signup": False,
                "mailer_autoconfirm": self.settings.autoconfirm,
                "phone_autoconfirm": False,
                "sms_provider": "",
                "saml_enabled": False,
            },
        )

    # -- endpoints for a signed-in user ------------------------------------------------------

    def get_user(self, _request: Request, creds: Credentials) -> Response:
        with self.db.admin() as conn:
            user, _session = self._authenticated_user(conn, creds)
            return Response.json(200, self._user(conn, user))

    def update_user(self, request: Request, creds: Credentials) -> Response:
        body = _json_body(request)
        with self.db.admin() as conn:
            user, _session = self._authenticated_user(conn, creds)
            changes = self._user_changes(conn, user, body, admin=False)
            if changes:
                user = store.update_user(conn, str(user["id"]), changes) or user
            return Response.json(200, self._user(conn, user))

    def logout(self, request: Request, creds: Credentials) -> Response:
        scope = request.query_value("scope") or "global"
        if scope not in ("global", "local", "others"):
            raise AuthError(400, "validation_failed", f'Unsupported logout scope "{scope}"')
        with self.db.admin() as conn:
            user, session_id = self._authenticated_user(conn, creds)
            user_id = str(user["id"])
            if scope == "local" and session_id:
                store.delete_sessions(conn, user_id, only=session_id)
            elif scope == "others" and session_id:
                store.delete_sessions(conn, user_id, keep=session_id)
            elif scope == "global":
                store.delete_sessions(conn, user_id)
        return Response(204)

    # -- admin endpoints ---------------------------------------------------------------------

    def admin_create_user(self, request: Request, creds: Credentials) -> Response:
        self._require_admin(creds)
        body = _json_body(request)
        email = _normalise_email(body.get("email"), INVALID_EMAIL)
        password = body.get("password")
        if password:
            self._check_strength(str(password))
        encrypted = str(body.get("password_hash") or "") or (
            store.hash_password(str(password)) if password else ""
        )
        with self.db.admin() as conn:
            if store.user_by_email(conn, email) is not None:
                raise AuthError(
                    422,
                    "email_exists",
                    "A user with this email address has already been registered",
                )
            user_id = body.get("id")
            if user_id is not None:
                _require_uuid(str(user_id))
            ban = _ban_until(body.get("ban_duration"))
            try:
                user = store.create_user(
                    conn,
                    email=email,
                    encrypted_password=encrypted,
                    confirmed=bool(body.get("email_confirm")),
                    user_metadata=_dict(body.get("user_metadata")),
                    app_metadata=_dict(body.get("app_metadata")),
                    role=str(body.get("role") or "authenticated"),
                    user_id=user_id,
                    banned_until=ban,
                )
            except psycopg.errors.UniqueViolation as exc:
                raise AuthError(
                    422,
                    "email_exists",
                    "A user with this email address has already been registered",
                ) from exc
            return Response.json(200, self._user(conn, user))

    def admin_list_users(self, request: Request, creds: Credentials) -> Response:
        self._require_admin(creds)
        page = max(1, _int(request.query_value("page"), 1))
        per_page = min(1000, max(1, _int(request.query_value("per_page"), 50)))
        with self.db.admin() as conn:
            rows, total = store.list_users(conn, page, per_page)
            users = [self._user(conn, row) for row in rows]
        return Response.json(
            200, {"users": users, "aud": "authenticated"}, [("X-Total-Count", str(total))]
        )

    def admin_user(self, request: Request, creds: Credentials) -> Response:
        self._require_admin(creds)
        user_id = request.path.removeprefix("/admin/users/").strip("/")
        _require_uuid(user_id)
        with self.db.admin() as conn:
            user = store.user_by_id(conn, user_id)
            if user is None:
                raise AuthError(404, "user_not_found", "User not found")
            if request.method == "GET":
                return Response.json(200, self._user(conn, user))
            if request.method == "PUT":
                changes = self._user_changes(conn, user, _json_body(request), admin=True)
                if changes:
                    user = store.update_user(conn, user_id, changes) or user
                return Response.json(200, self._user(conn, user))
            if request.method == "DELETE":
                store.delete_user(conn, user_id)
                return Response.json(200, {})
        raise AuthError(405, "method_not_allowed", "Method Not Allowed")

    # -- helpers -----------------------------------------------------------------------------

    def _check_strength(self, password: str) -> None:
        minimum = self.settings.minimum_password_length
        if len(password) < minimum:
            raise AuthError(
                422,
                "weak_password",
                f"Password should be at least {minimum} characters.",
                weak_password={"reasons": ["length"]},
            )

    def _require_admin(self, creds: Credentials) -> dict[str, object]:
        claims = self._verified_claims(creds)
        if claims.get("role") not in ADMIN_ROLES:
            raise AuthError(403, "not_admin", "User not allowed")
        return claims

    def _verified_claims(self, creds: Credentials) -> dict[str, object]:
        if creds.token is None:
            raise AuthError(401, "no_authorization", "This endpoint requires a valid Bearer token")
        if creds.error is not None or creds.claims is None:
            detail = (
                "token is expired"
                if creds.error and creds.error.expired
                else (creds.error.message if creds.error else "invalid token")
            )
            raise AuthError(
                403, "bad_jwt", f"invalid JWT: unable to parse or verify signature, {detail}"
            )
        return creds.claims

    def _authenticated_user(
        self,
        conn: psycopg.Connection,
        creds: Credentials,
    ) -> tuple[Row, str | None]:
        """GoTrue's requireAuthentication: valid JWT, UUID sub, live session, existing user."""
        claims = self._verified_claims(creds)
        sub = str(claims.get("sub") or "")
        if not sub:
            raise AuthError(403, "bad_jwt", "invalid claim: missing sub claim")
        if not _is_uuid(sub):
            raise AuthError(400, "bad_jwt", "invalid claim: sub claim must be a UUID")
        session_id = claims.get("session_id")
        if session_id and not (
            _is_uuid(str(session_id)) and store.session_exists(conn, str(session_id))
        ):
            raise AuthError(
                403, "session_not_found", "Session from session_id claim in JWT does not exist"
            )
        user = store.user_by_id(conn, sub)
        if user is None:
            raise AuthError(403, "user_not_found", "User from sub claim in JWT does not exist")
        return user, str(session_id) if session_id else None

    def _user_changes(
        self,
        conn: psycopg.Connection,
        user: Row,
        body: dict,
        *,
        admin: bool,
    ) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        metadata_key = "user_metadata" if admin else "data"
        if isinstance(body.get(metadata_key), dict):
            merged = dict(user["raw_user_meta_data"] or {})
            for key, value in body[metadata_key].items():
                if value is None:
                    merged.pop(key, None)
                else:
                    merged[key] = value
            changes["raw_user_meta_data"] = merged
        if admin and isinstance(body.get("app_metadata"), dict):
            changes["raw_app_meta_data"] = {
                **(user["raw_app_meta_data"] or {}),
                **body["app_metadata"],
            }
        if body.get("password"):
            password = str(body["password"])
            self._check_strength(password)
            if not admin and store.password_matches(password, user["encrypted_password"]):
                raise AuthError(
                    422, "same_password", "New password should be different from the old password."
                )
            changes["encrypted_password"] = store.hash_password(password)
        if body.get("email"):
            email = _normalise_email(body["email"], INVALID_EMAIL)
            if email != user["email"]:
                other = store.user_by_email(conn, email)
                if other is not None:
                    raise AuthError(
                        422,
                        "email_exists",
                        "A user with this email address has already been registered",
                    )
                changes["email"] = email
        if admin and body.get("email_confirm") is True and user["email_confirmed_at"] is None:
            changes["email_confirmed_at"] = store.now()
        if admin and "ban_duration" in body:
            changes["banned_until"] = _ban_until(body["ban_duration"])
        if admin and body.get("role"):
            changes["role"] = str(body["role"])
        return changes

    def _user(self, conn: psycopg.Connection, user: Row) -> dict[str, object]:
        return user_json(user, store.identities_of(conn, str(user["id"])))

    def _new_session(self, conn: psycopg.Connection, user: Row) -> dict[str, object]:
        session_id, refresh_token = store.create_session(conn, str(user["id"]))
        return self._session(conn, user, session_id, refresh_token)

    def _session(
        self,
        conn: psycopg.Connection,
        user: Row,
        session_id: str,
        refresh_token: str,
    ) -> dict[str, object]:
        expiry = self.settings.jwt_expiry
        token, expires_at = access_token(self.secret, self.issuer, user, session_id, expiry)
        return session_json(token, expires_at, expiry, refresh_token, self._user(conn, user))


# -- request parsing ------------------------------------------------------------------------


def _json_body(request: Request) -> dict:
    if not request.body.strip():
        return {}
    try:
        body = json.loads(request.body)
    except ValueError as exc:
        raise AuthError(400, "bad_json", f"Could not parse request body as JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise AuthError(400, "bad_json", "Could not parse request body as JSON: not an object")
    return body


def _normalise_email(value: object, missing_message: str) -> str:
    email = str(value or "").strip().lower()
    if not email:
        raise AuthError(400, "validation_failed", missing_message)
    if not EMAIL_PATTERN.match(email) or len(email) > 255:
        raise AuthError(400, "validation_failed", INVALID_EMAIL)
    return email


def _obfuscated_user(email: str) -> dict[str, object]:
    """With confirmations on, GoTrue hides whether an email is registered behind a fake user."""
    at = store.now()
    fake = {
        "id": uuid.uuid4(),
        "aud": "authenticated",
        "role": "authenticated",
        "email": email,
        "email_confirmed_at": None,
        "phone": "",
        "confirmed_at": None,
        "confirmation_sent_at": at,
        "last_sign_in_at": None,
        "banned_until": None,
        "raw_app_meta_data": {"provider": "email", "providers": ["email"]},
        "raw_user_meta_data": {},
        "created_at": at,
        "updated_at": at,
        "is_anonymous": False,
    }
    return user_json(fake, [])


def _ban_until(duration: object):
    if duration in (None, "", "none"):
        return None
    match = DURATION_PATTERN.match(str(duration))
    if not match:
        raise AuthError(400, "validation_failed", "invalid format for ban duration")
    unit = {"h": 3600, "m": 60, "s": 1}[match.group(2)]
    return store.now() + timedelta(seconds=float(match.group(1)) * unit)


def _dict(value: object) -> dict:
    return dict(value) if isinstance(value, dict) else {}


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
        return True
    except ValueError:
        return False


def _require_uuid(value: str) -> None:
    if not _is_uuid(value):
        raise AuthError(400, "validation_failed", "user_id must be an UUID")
