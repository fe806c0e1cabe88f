#include "http/pipeline.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "auth/crypto.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "http/context.hpp"
#include "http/problem.hpp"
#include "store/db.hpp"

namespace clientele::http {

namespace {

// Control characters in a path or query are refused here, once for every route: PostgreSQL would
// cut a value at U+0000 (a workspace "acme%00x" would be found as "acme"), and none has a use.
void check_control_characters(const Request& request) {
    for (const std::string& segment : request.segments) {
        if (has_control_characters(segment)) {
            throw Error(Code::not_found, "There is nothing at this address.");
        }
    }
    std::vector<FieldError> errors;
    for (const auto& [name, value] : request.query) {
        if (has_control_characters(name) || has_control_characters(value)) {
            errors.push_back({is_valid_utf8(name) && !has_control_characters(name)
                                  ? name
                                  : std::string("(a query parameter)"),
                              "must not contain control characters"});
        }
    }
    throw_if_invalid(errors);
}

}  // namespace

Task<Response> Pipeline::run(const Request& request) const {
    check_control_characters(request);
    RouteMatch match = router_.match(request.method, request.segments);
    if (!match.route) {
        if (match.allowed.empty()) {
            throw Error(Code::not_found, "There is nothing at this address.");
        }
        std::string allow;
        for (Method m : match.allowed) {
            allow += (allow.empty() ? "" : ", ") + std::string(method_name(m));
        }
        Response response = problem_response(
            Error(Code::method_not_allowed, std::string(method_name(request.method)) +
                                                " is not allowed here; use " + allow + "."),
            request);
        response.set_header("Allow", allow);
        co_return response;
    }
    RequestContext ctx(app_, request, std::move(match.params));
    const Access& access = match.route->access;
    if (access.kind != Access::Kind::public_) {
        ctx.principal = authenticate_(ctx, access);
        if (!ctx.principal) {
            throw Error(Code::unauthenticated, "Sign in or send an API token.");
        }
        if (access.kind == Access::Kind::platform_admin && !ctx.principal->is_platform_admin) {
            throw Error(Code::forbidden, "Only the platform operator may do this.");
        }
        if (access.kind == Access::Kind::permission &&
            !auth::role_allows(ctx.principal->role, *access.permission)) {
            throw Error(Code::forbidden,
                        fmt::format("The {} role may not do this (it needs {}).",
                                    auth::role_name(ctx.principal->role), access.name()));
        }
        bool cookie = ctx.principal->via == auth::Principal::Via::session ||
                      ctx.principal->via == auth::Principal::Via::portal_session;
        if (cookie && is_unsafe(request.method)) {
            auto sent = request.header("x-csrf-token");
            if (!sent || !auth::secrets_equal(*sent, ctx.principal->csrf_token)) {
                throw Error(Code::csrf_failed,
                            "Send the csrf_token from sign-in in the X-CSRF-Token header.");
            }
        }
    }
    Response response = co_await match.route->handler(ctx);
    // Every change is audited by the service that makes it; a write that recorded nothing is a
    // service that forgot (tests/integration/test_audit_routes.py walks every route for it, and
    // the integration tests fail on this line in a server's log). An idempotent replay answers
    // from its stored record in a write that changes nothing.
    const audit::Context* audit = ctx.audit_if_used();
    if (audit && audit->recorded == 0 && response.status < 400 &&
        !response.header("Idempotent-Replayed")) {
        spdlog::error("{} {} [{}]: a write recorded no audit event", method_name(request.method),
                      match.route->pattern, request.request_id);
    }
    co_return response;
}

Task<Response> Pipeline::respond(const Request& request) const {
    try {
        co_return co_await run(request);
    } catch (const Error& error) {
        if (code_info(error.code()).status >= 500) {
            spdlog::error("{} {} [{}]: {}", method_name(request.method), request.path,
                          request.request_id, error.detail());
        }
        co_return problem_response(error, request);
    } catch (const store::UniqueViolation& e) {
        // A uniqueness rule the service did not check first (or a race past its check): the
        // request conflicts with what is stored, which is the caller's to resolve, not a fault.
        spdlog::info("{} {} [{}]: {}", method_name(request.method), request.path,
                     request.request_id, e.what());
        co_return problem_response(
            Error(Code::conflict, "The request conflicts with a record that exists already."),
            request);
    } catch (const store::Unavailable& e) {
        spdlog::error("{} {} [{}]: database unavailable: {}", method_name(request.method),
                      request.path, request.request_id, e.what());
        co_return problem_response(
            Error(Code::unavailable, "The database is not available; try again shortly.")
                .with_retry_after(1),
            request);
    } catch (const std::exception& e) {
        spdlog::error("{} {} [{}]: {}", method_name(request.method), request.path,
                      request.request_id, e.what());
    }
    co_return problem_response(Error(Code::internal, "An unexpected error occurred."), request);
}

void Pipeline::handle(const Request& request, std::function<void(Response)> done) const {
    spawn(respond(request), [&request, done = std::move(done)](std::optional<Response> response,
                                                               const std::exception_ptr&) {
        if (!response) {  // respond() catches everything; this is the last resort
            response =
                problem_response(Error(Code::internal, "An unexpected error occurred."), request);
        }
        done(std::move(*response));
    });
}

}  // namespace clientele::http
