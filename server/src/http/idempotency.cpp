#include "http/idempotency.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/crypto.hpp"
#include "core/time.hpp"

namespace clientele::http {

namespace json = boost::json;

namespace {
constexpr auto key_lifetime = std::chrono::hours(24);
// Headers that belong to the stored answer (the rest are made fresh for each reply).
constexpr std::string_view replayed_headers[] = {"Location", "ETag"};

constexpr std::string_view find_key =
    "SELECT request_hash, status, response_headers, response_body, created_at FROM idempotency_keys"
    " WHERE tenant_id = :tenant AND principal = ? AND idem_key = ?";
constexpr std::string_view store_key =
    "INSERT INTO idempotency_keys (tenant_id, principal, idem_key, request_hash, status,"
    " response_headers, response_body, created_at) VALUES (:tenant, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (tenant_id, principal, idem_key) DO UPDATE SET request_hash = "
    "excluded.request_hash,"
    " status = excluded.status, response_headers = excluded.response_headers,"
    " response_body = excluded.response_body, created_at = excluded.created_at";

bool valid_key(std::string_view key) {
    if (key.empty() || key.size() > 255) {
        return false;
    }
    for (char c : key) {
        if (c < 0x21 || c > 0x7e) {
            return false;
        }
    }
    return true;
}
}  // namespace

namespace {
// Who sent the request, its key and fingerprint, and the oldest record that still counts.
struct Lookup {
    std::string principal, key, fingerprint, oldest_valid;
};

std::optional<Lookup> lookup_of(const RequestContext& ctx, Clock::time_point now) {
    auto key = ctx.request.header("idempotency-key");
    if (!key) {
        return std::nullopt;
    }
    if (!valid_key(*key)) {
        throw Error(Code::bad_request,
                    "Idempotency-Key must be 1 to 255 visible ASCII characters.");
    }
    return Lookup{"user:" + std::to_string(ctx.caller().user_id), std::string(*key),
                  auth::hash_secret(std::string(method_name(ctx.request.method)) + " " +
                                    ctx.request.path + "\n" + ctx.request.body),
                  format_timestamp(now - key_lifetime)};
}

// The stored answer for the lookup's key, if any: 422 when it was for another request.
std::optional<Response> find_replay(store::Tx& tx, const Lookup& lookup) {
    auto q = tx.query(find_key, lookup.principal, lookup.key);
    if (!q.step() || q.text(4) < lookup.oldest_valid) {
        return std::nullopt;
    }
    if (q.text(0) != lookup.fingerprint) {
        throw Error(Code::idempotency_key_reused,
                    "This Idempotency-Key was used for a different request.");
    }
    Response replay;
    replay.status = int(q.int64(1));
    replay.body = q.text(3);
    boost::system::error_code ec;
    json::value headers = json::parse(q.text(2), ec);
    if (!ec && headers.is_object()) {
        for (const auto& h : headers.get_object()) {
            if (h.value().is_string()) {
                replay.set_header(std::string(h.key()), std::string(h.value().get_string()));
            }
        }
    }
    replay.set_header("Idempotent-Replayed", "true");
    return replay;
}
}  // namespace

std::optional<Response> stored_replay(RequestContext& ctx) {
    auto lookup = lookup_of(ctx, Clock::now());
    if (!lookup) {
        return std::nullopt;
    }
    return ctx.read([&](store::Tx& tx) { return find_replay(tx, *lookup); });
}

Task<Response> idempotent_create(RequestContext& ctx, std::function<Response(store::Tx&)> create,
                                 std::function<std::string(const std::string&)> stored) {
    auto now = Clock::now();
    auto lookup = lookup_of(ctx, now);
    if (!lookup) {
        co_return co_await ctx.write(create);
    }
    co_return co_await ctx.write([&](store::Tx& tx) {
        if (auto replay = find_replay(tx, *lookup)) {
            return std::move(*replay);
        }
        Response response = create(tx);
        json::object headers;
        for (std::string_view name : replayed_headers) {
            if (auto value = response.header(name)) {
                headers[name] = *value;
            }
        }
        tx.exec(store_key, lookup->principal, lookup->key, lookup->fingerprint,
                int64_t(response.status), json::serialize(headers),
                stored ? stored(response.body) : response.body, format_timestamp(now));
        return response;
    });
}

}  // namespace clientele::http
