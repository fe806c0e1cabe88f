// The one error type of Clientele and the list of its codes.
//
// Every failure that ends a request is an Error carrying a Code. The code decides the HTTP status
// and the problem type (see http/problem.cpp, the only place that maps them); the detail and the
// field errors say what went wrong in words a client can show.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace clientele {

// M(name, http status, problem type slug, title). The slug is part of the API: never rename one.
#define CLIENTELE_ERROR_CODES(M)                                                       \
    M(malformed_json, 400, "malformed-json", "Malformed JSON")                         \
    M(bad_request, 400, "bad-request", "Bad request")                                  \
    M(unauthenticated, 401, "unauthenticated", "Authentication required")              \
    M(invalid_credentials, 401, "invalid-credentials", "Invalid credentials")          \
    M(csrf_failed, 403, "csrf-failed", "CSRF token missing or wrong")                  \
    M(forbidden, 403, "forbidden", "Forbidden")                                        \
    M(not_found, 404, "not-found", "Not found")                                        \
    M(method_not_allowed, 405, "method-not-allowed", "Method not allowed")             \
    M(conflict, 409, "conflict", "Conflict")                                           \
    M(precondition_failed, 412, "precondition-failed", "Precondition failed")          \
    M(payload_too_large, 413, "payload-too-large", "Payload too large")                \
    M(unsupported_media_type, 415, "unsupported-media-type", "Unsupported media type") \
    M(validation_failed, 422, "validation-failed", "Validation failed")                \
    M(idempotency_key_reused, 422, "idempotency-key-reused", "Idempotency key reused") \
    M(too_many_requests, 429, "too-many-requests", "Too many requests")                \
    M(internal, 500, "internal", "Internal error")                                     \
    M(unavailable, 503, "unavailable", "Service unavailable")

enum class Code {
#define CLIENTELE_ERROR_ENUM(name, status, slug, title) name,
    CLIENTELE_ERROR_CODES(CLIENTELE_ERROR_ENUM)
#undef CLIENTELE_ERROR_ENUM
};

//! Static facts about a code: its HTTP status, problem type slug and title.
struct CodeInfo {
    int status;
    std::string_view slug;
    std::string_view title;
};
const CodeInfo& code_info(Code code);
//! Every code, in declaration order (for tests that cover each one).
const std::vector<Code>& all_codes();

//! One invalid input: the field (dotted path, or query parameter name) and what is wrong with it.
struct FieldError {
    std::string field;
    std::string message;
};

//! The exception that ends a request with a problem+json answer.
class Error : public std::runtime_error {
  public:
    Error(Code code, std::string detail, std::vector<FieldError> errors = {});

    Code code() const { return code_; }
    const std::string& detail() const { return detail_; }
    const std::vector<FieldError>& errors() const { return errors_; }
    //! Seconds for a Retry-After header (429, 503); 0 means none.
    int retry_after() const { return retry_after_; }
    Error& with_retry_after(int seconds) {
        retry_after_ = seconds;
        return *this;
    }

  private:
    Code code_;
    std::string detail_;
    std::vector<FieldError> errors_;
    int retry_after_ = 0;
};

//! A 422 for a single field.
Error field_error(std::string field, std::string message);

//! 412 when a request's `expected` version (If-Match) is given and `what` ("customer") is at
//! `current` now: it changed since the client read it.
void check_version(std::optional<int64_t> expected, int64_t current, std::string_view what);

}  // namespace clientele
