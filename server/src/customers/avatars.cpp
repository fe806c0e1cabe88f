#include "customers/avatars.hpp"

#include <fmt/format.h>

#include <boost/json/object.hpp>

#include "audit/trail.hpp"
#include "core/error.hpp"
#include "core/image.hpp"
#include "core/time.hpp"
#include "customers/permissions.hpp"
#include "customers/service.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "store/db.hpp"

namespace clientele::customers {

namespace json = boost::json;
using http::RequestContext;
using http::Response;

namespace {

constexpr int thumbnail_side = 128;
// Larger images are refused before they are decoded, from the size their header declares:
// decoding takes 4 bytes a pixel, so a small, well-compressed file of 36 megapixels would take
// 144 MB for a 128-pixel thumbnail. 16 megapixels (4,000 × 4,000) is more than a phone's photo.
constexpr int64_t max_pixels = 16'000'000;

Error not_an_image(std::string detail) {
    return Error(Code::validation_failed, std::move(detail),
                 {{"avatar", "must be a PNG, JPEG or WebP image"}});
}

// The customer's avatar as its history tells it: "image/png, 640x480", or null for none.
json::value stored_avatar(store::Tx& tx, int64_t id) {
    auto q = tx.query(
        "SELECT content_type, width, height FROM customer_avatars"
        " WHERE tenant_id = :tenant AND customer_id = ?",
        id);
    if (!q.step()) {
        return nullptr;
    }
    return json::string(fmt::format("{}, {}x{}", q.text(0), q.int64(1), q.int64(2)));
}

void record_avatar(store::Tx& tx, std::string_view action, int64_t id, json::value before,
                   json::value after) {
    audit::record(
        tx, {action,
             "customer",
             id,
             {{"avatar", json::object{{"from", std::move(before)}, {"to", std::move(after)}}}}});
}

Task<Response> put_avatar(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    std::string_view declared = ctx.request.header("content-type").value_or("");
    declared = declared.substr(0, declared.find(';'));
    if (!declared.starts_with("image/") && declared != "application/octet-stream") {
        throw Error(Code::unsupported_media_type,
                    "Send the image itself as the body, with Content-Type image/png, image/jpeg or "
                    "image/webp.");
    }
    const std::string& bytes = ctx.request.body;
    auto info = sniff_image(bytes);
    if (!info) {
        throw not_an_image(
            "The body is not a PNG, JPEG or WebP image (whatever its Content-Type says).");
    }
    if (int64_t(info->width) * info->height > max_pixels) {
        throw Error(Code::validation_failed,
                    fmt::format("The image is {}x{} pixels; at most {} megapixels.", info->width,
                                info->height, max_pixels / 1'000'000),
                    {{"avatar", "is too large in pixels"}});
    }
    auto thumbnail = square_thumbnail_png(bytes, info->type, thumbnail_side);
    if (!thumbnail) {
        throw not_an_image("The image is damaged: it does not decode.");
    }
    std::string now = now_timestamp();
    Customer c = co_await ctx.write([&](store::Tx& tx) {
        require(tx, id);
        json::value before = stored_avatar(tx, id);
        tx.exec(
            "INSERT INTO customer_avatars (tenant_id, customer_id, content_type, image, thumbnail,"
            " width, height, updated_at) VALUES (:tenant, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (tenant_id, customer_id) DO UPDATE SET content_type ="
            " excluded.content_type, image = excluded.image, thumbnail = excluded.thumbnail,"
            " width = excluded.width, height = excluded.height, updated_at = excluded.updated_at",
            id, mime_type(info->type), store::Blob{bytes}, store::Blob{*thumbnail}, info->width,
            info->height, now);
        tx.exec(
            "UPDATE customers SET avatar_updated_at = ?, updated_at = ?, version = version + 1"
            " WHERE tenant_id = :tenant AND id = ?",
            now, now, id);
        record_avatar(tx, "customer.avatar_changed", id, std::move(before), stored_avatar(tx, id));
        return *find(tx, id);
    });
    json::object avatar = to_json(c, false)["avatar"].as_object();
    avatar["content_type"] = mime_type(info->type);
    avatar["width"] = info->width;
    avatar["height"] = info->height;
    Response response = Response::json(
        200,
        json::object{{"message", "Avatar updated successfully."}, {"avatar", std::move(avatar)}});
    response.set_header("ETag", http::etag(c.version));
    co_return response;
}

// The image or its thumbnail. The customer's JSON links them with ?v=<when it changed>: with the
// current version the answer may be kept for good; without it, it must be revalidated.
Task<Response> get_avatar(RequestContext& ctx, bool thumbnail) {
    int64_t id = ctx.id_param("id");
    struct Stored {
        std::string content_type, bytes, version;
    };
    auto stored = ctx.read([&](store::Tx& tx) -> std::optional<Stored> {
        auto q =
            tx.query(fmt::format("SELECT a.content_type, a.{}, a.updated_at FROM customer_avatars a"
                                 " JOIN customers c ON c.tenant_id = a.tenant_id"
                                 " AND c.id = a.customer_id WHERE a.tenant_id = :tenant"
                                 " AND a.customer_id = ? AND c.deleted_at IS NULL",
                                 thumbnail ? "thumbnail" : "image"),
                     id);
        if (!q.step()) {
            return std::nullopt;
        }
        std::string version;
        for (char ch : q.text(2)) {
            if (ch >= '0' && ch <= '9')
                version += ch;
        }
        return Stored{thumbnail ? "image/png" : std::string(q.text(0)), std::string(q.blob(1)),
                      version};
    });
    if (!stored) {
        throw Error(Code::not_found, fmt::format("Customer {} has no avatar.", id));
    }
    Response response;
    response.content_type = stored->content_type;
    response.body = std::move(stored->bytes);
    response.set_header("ETag", "\"" + stored->version + "\"");
    bool current = false;
    for (const auto& [name, value] : ctx.request.query) {
        current = current || (name == "v" && value == stored->version);
    }
    response.set_header("Cache-Control",
                        current ? "private, max-age=31536000, immutable" : "private, no-cache");
    co_return response;
}

Task<Response> delete_avatar(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    co_await ctx.write([&](store::Tx& tx) {
        require(tx, id);
        json::value before = stored_avatar(tx, id);
        if (tx.exec("DELETE FROM customer_avatars WHERE tenant_id = :tenant AND customer_id = ?",
                    id) == 0) {
            throw Error(Code::not_found, fmt::format("Customer {} has no avatar.", id));
        }
        std::string now = now_timestamp();
        tx.exec(
            "UPDATE customers SET avatar_updated_at = NULL, updated_at = ?,"
            " version = version + 1 WHERE tenant_id = :tenant AND id = ?",
            now, id);
        record_avatar(tx, "customer.avatar_removed", id, std::move(before), nullptr);
    });
    co_return Response::message(200, "Avatar removed successfully.");
}

}  // namespace

void register_avatar_routes(http::Router& router, App&) {
    using http::Method;
    router.add(Method::put, "/api/customers/{id}/avatar", perm::write, put_avatar);
    router.allow_body(Method::put, "/api/customers/{id}/avatar", max_avatar_bytes);
    router.add(Method::get, "/api/customers/{id}/avatar", perm::read,
               [](RequestContext& ctx) { return get_avatar(ctx, false); });
    router.add(Method::get, "/api/customers/{id}/avatar/thumbnail", perm::read,
               [](RequestContext& ctx) { return get_avatar(ctx, true); });
    router.add(Method::del, "/api/customers/{id}/avatar", perm::write, delete_avatar);
}

}  // namespace clientele::customers
