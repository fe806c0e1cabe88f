// A request on its way through a handler: the request, its route parameters, the caller, and the
// caller's workspace-scoped access to the store.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "app.hpp"
#include "audit/trail.hpp"
#include "auth/principal.hpp"
#include "core/error.hpp"
#include "http/message.hpp"
#include "store/db.hpp"
#include "store/id_page.hpp"

namespace clientele::http {

class RequestContext {
  public:
    RequestContext(App& app, const Request& request,
                   std::vector<std::pair<std::string_view, std::string_view>> params)
        : app(app), request(request), params_(std::move(params)) {}

    App& app;
    const Request& request;
    std::optional<auth::Principal> principal;

    //! The caller; throws unauthenticated on a public route without one.
    const auth::Principal& caller() const;
    int64_t tenant() const { return caller().tenant_id; }

    //! A path parameter as a positive 64-bit id in canonical decimal (no sign, no leading zero);
    //! anything else is 404 (no such record).
    int64_t id_param(std::string_view name) const;
    std::string_view param(std::string_view name) const;

    //! The body as a JSON object: 415 unless it is JSON in UTF-8 (a charset parameter may only
    //! say UTF-8), 400 unless it parses to an object.
    boost::json::object json_body(bool allow_merge_patch = false) const;

    //! The version an `If-Match` header asks for: nullopt when absent or `*`. An entity tag that
    //! is not one of ours can never match: it is reported as version 0.
    std::optional<int64_t> if_match_version() const;

    //! Reads in the caller's workspace, on this thread. The request's reads share one snapshot
    //! (and one pooled connection) until it first suspends (a write, a password hash).
    template <class F>
    auto read(F&& fn) const {
        return read_as(tenant(), std::forward<F>(fn));
    }
    //! The same for platform tables (users, sessions): a system transaction.
    template <class F>
    auto read_system(F&& fn) const {
        return read_as(std::nullopt, std::forward<F>(fn));
    }

    //! `co_await ctx.write(fn)`: a write in the caller's workspace, group-committed; the handler
    //! continues on a worker once it is durable (see store::Database::write_async). Every write of
    //! a request carries its audit context: the changes it records name the caller.
    template <class F>
    auto write(F&& fn) const {
        return write_as(tenant(), std::forward<F>(fn));
    }
    //! The same for platform tables: a system transaction.
    template <class F>
    auto write_system(F&& fn) const {
        return write_as(std::nullopt, std::forward<F>(fn));
    }

    //! Reads and writes in a workspace the request names rather than its caller's (the public
    //! routes of a workspace's portal, whose address says which workspace).
    template <class F>
    auto read_in(int64_t workspace, F&& fn) const {
        return read_as(workspace, std::forward<F>(fn));
    }
    template <class F>
    auto write_in(int64_t workspace, F&& fn) const {
        return write_as(workspace, std::forward<F>(fn));
    }

    //! Who the audit trail names for this request's changes and where they came from: the caller,
    //! once authenticated; a public route (sign-in, sign-up) names its actor itself.
    audit::Context& audit() const;
    //! The audit context if a write of this request used it, else null.
    const audit::Context* audit_if_used() const { return audit_ ? &*audit_ : nullptr; }

    //! What every awaiter of a handler needs to continue it on a worker. Ends the read snapshot
    //! first: none is held while the handler is suspended.
    Resumer resumer() const;

  private:
    template <class F>
    auto write_as(std::optional<int64_t> tenant, F&& fn) const {
        audit::Context& context = audit();
        return app.db->write_async(
            tenant,
            [&context, fn = std::forward<F>(fn)](store::Tx& tx) mutable {
                store::Tx audited = tx.audited(context);
                return fn(audited);
            },
            resumer());
    }

    template <class F>
    auto read_as(std::optional<int64_t> tenant, F&& fn) const {
        if (!reading_) {
            reading_.emplace(*app.db);
        }
        store::Tx tx = reading_->tx(tenant);
        return fn(tx);
    }

    std::vector<std::pair<std::string_view, std::string_view>> params_;
    mutable std::optional<store::ReadSession> reading_;
    mutable std::optional<audit::Context> audit_;
};

//! A list's `limit` query parameter: an integer from 1 to 200. Anything else records a field error
//! and leaves `limit` as it was.
void parse_limit(std::string_view text, int& limit, std::vector<FieldError>& errors);

//! A list cursor that is a plain id (lists in id order): the id, or 400 when it is not one.
int64_t parse_id_cursor(std::string_view text);

//! Every list's envelope: `{"data": [...], "next_cursor": "…" or null}`.
boost::json::object list_envelope(boost::json::array data, std::optional<std::string> next_cursor);

//! The answer for a page of a list in id order: each row through `to_json`, and the next cursor.
template <class Row, class ToJson>
Response id_page_response(const store::IdPage<Row>& page, ToJson to_json) {
    boost::json::array data;
    for (const Row& row : page.rows) {
        data.push_back(to_json(row));
    }
    std::optional<std::string> next;
    if (page.next_after) {
        next = std::to_string(*page.next_after);
    }
    return Response::json(200, list_envelope(std::move(data), std::move(next)));
}

//! The query parameters of a list in id order: `limit`, `cursor` (an id), `q` (case-folded).
struct IdListParams {
    int limit = 50;
    std::optional<int64_t> cursor;
    std::optional<std::string> q;
};
//! Reads them, handing every other parameter (trimmed, valid UTF-8) to `other`, which records a
//! field error for one it does not take; then throws one 422 naming every bad parameter.
IdListParams parse_id_list_params(
    const Request& request,
    const std::function<void(const std::string& name, const std::string& value,
                             std::vector<FieldError>& errors)>& other,
    int default_limit = 50);

//! A timestamp query parameter (`YYYY-MM-DD` or ISO 8601) in the stored form; a field error for
//! anything else.
std::optional<std::string> timestamp_param(const std::string& name, const std::string& value,
                                           std::vector<FieldError>& errors);

//! Where people reach this server, for links in messages (`https://crm.example.com`): the
//! configured `--public-url`, else the request's own Host if it is an allowed one (see
//! host_allowed); any other Host is refused (400), as a link to it could lead anywhere. Call it
//! before writing anything, so that a refused request has changed nothing.
std::string public_origin(const RequestContext& ctx);

//! True when a Host header value is one of `allowed` (`--allowed-hosts` and the listen address):
//! compared without case; an entry without a port allows its host on any port.
bool host_allowed(std::string_view host, const std::vector<std::string>& allowed);

//! The entity tag of a versioned record: `"<version>"`.
std::string etag(int64_t version);
//! `response` with the ETag of a record at `version`.
Response with_etag(Response response, int64_t version);

}  // namespace clientele::http
