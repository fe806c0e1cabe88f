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

Task<Response> idempotent_create(RequestContext& ctx, std::function<Response(store::Tx&)> create,
                                 std::function<std::string(const std::string&)> stored) {
    auto key = ctx.request.header("idempotency-key");
    if (!key) {
        co_return co_await ctx.write(create);
    }
    if (!valid_key(*key)) {
        throw Error(Code::bad_request,
                    "Idempotency-Key must be 1 to 255 visible ASCII characters.");
    }
    std::string principal = "user:" + std::to_string(ctx.caller().user_id);
    std::string fingerprint = auth::hash_secret(std::string(method_name(ctx.request.method)) + " " +
                                                ctx.request.path + "\n" + ctx.request.body);
    auto now = Clock::now();
    std::string oldest_valid = format_timestamp(now - key_lifetime);
    co_return co_await ctx.write([&](store::Tx& tx) {
        {
            auto q = tx.query(find_key, principal, *key);
            if (q.step() && q.text(4) >= oldest_valid) {
                if (q.text(0) != fingerprint) {
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
                            replay.set_header(std::string(h.key()),
                                              std::string(h.value().get_string()));
                        }
                    }
                }
                replay.set_header("Idempotent-Replayed", "true");
                return replay;
            }
        }
        Response response = create(tx);
        json::object headers;
        for (std::string_view name : replayed_headers) {
            if (auto value = response.header(name)) {
                headers[name] = *value;
            }
        }
        tx.exec(store_key, principal, *key, fingerprint, int64_t(response.status),
                json::serialize(headers), stored ? stored(response.body) : response.body,
                format_timestamp(now));
        return response;
    });
}

}  // namespace clientele::http
