"""Every API failure is one JSON shape with a stable code:

    {"error": {"type": "invalid_request_error", "code": "parameter_invalid",
               "message": "limit must be between 1 and 100", "param": "limit"}}

``type`` groups codes by who must act (the caller's request, its authentication, its rate, or
the service); ``code`` is stable and documented in docs/api.md; ``message`` is for humans and may
change; ``param`` names the offending parameter when there is one. Each failure is its own class.
"""

from __future__ import annotations


class ApiError(Exception):
    status = 400
    type = "invalid_request_error"
    code = "invalid_request"

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param

    def to_json(self) -> dict:
        body: dict = {"type": self.type, "code": self.code, "message": self.message}
        if self.param is not None:
            body["param"] = self.param
        return {"error": body}


class ParameterInvalid(ApiError):
    code = "parameter_invalid"


class ParameterMissing(ApiError):
    code = "parameter_missing"


class ParametersExclusive(ApiError):
    code = "parameters_exclusive"


class BodyInvalid(ApiError):
    code = "body_invalid"


class UrlNotAllowed(ApiError):
    code = "url_not_allowed"


class ResourceMissing(ApiError):
    status = 404
    code = "resource_missing"


class RouteMissing(ApiError):
    status = 404
    code = "route_missing"


class MethodNotAllowed(ApiError):
    status = 405
    code = "method_not_allowed"


class AuthenticationRequired(ApiError):
    status = 401
    type = "authentication_error"
    code = "authentication_required"


class ApiKeyInvalid(ApiError):
    status = 401
    type = "authentication_error"
    code = "api_key_invalid"


class PermissionDenied(ApiError):
    status = 403
    type = "permission_error"
    code = "permission_denied"


class IdempotencyKeyReused(ApiError):
    status = 422
    type = "idempotency_error"
    code = "idempotency_key_reused"


class IdempotencyKeyInProgress(ApiError):
    status = 409
    type = "idempotency_error"
    code = "idempotency_key_in_progress"


class IdempotencyKeyInvalid(ApiError):
    type = "idempotency_error"
    code = "idempotency_key_invalid"


class RateLimited(ApiError):
    status = 429
    type = "rate_limit_error"
    code = "rate_limited"


class DatabaseUnavailable(ApiError):
    status = 503
    type = "api_error"
    code = "database_unavailable"


class InternalError(ApiError):
    status = 500
    type = "api_error"
    code = "internal_error"


ALL: tuple[type[ApiError], ...] = (
    ParameterInvalid, ParameterMissing, ParametersExclusive, BodyInvalid, UrlNotAllowed,
    ResourceMissing, RouteMissing, MethodNotAllowed, AuthenticationRequired, ApiKeyInvalid,
    PermissionDenied, IdempotencyKeyReused, IdempotencyKeyInProgress, IdempotencyKeyInvalid,
    RateLimited, DatabaseUnavailable, InternalError,
)
