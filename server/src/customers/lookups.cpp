#include "customers/lookups.hpp"

#include <fmt/format.h>

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "audit/trail.hpp"
#include "core/countries.hpp"
#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "customers/permissions.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "store/db.hpp"

namespace clientele::customers {

namespace json = boost::json;
using http::RequestContext;
using http::Response;

const LookupKind titles{"customer_titles", "/api/customer-titles",   "title", "short_name", 20,
                        "title_id",        "default_customer_titles"};
const LookupKind industries{"industries", "/api/industries", "industry",          "full_name",
                            200,          "industry_id",     "default_industries"};
const LookupKind tags{"tags", "/api/tags", "tag", "color", 7, "", ""};

namespace {

// Colours for tags made without one, in turn (Mantine's palette, which the web UI uses).
constexpr std::array<std::string_view, 10> tag_palette{"#228be6", "#40c057", "#fab005", "#fa5252",
                                                       "#7950f2", "#15aabf", "#fd7e14", "#e64980",
                                                       "#82c91e", "#868e96"};

bool is_hex_color(std::string_view text) {
    if (text.size() != 7 || text[0] != '#') {
        return false;
    }
    return text.substr(1).find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

json::object entry_json(const LookupKind& kind, const LookupEntry& e) {
    return {{"id", e.id}, {"name", e.name}, {kind.detail, e.detail}};
}

LookupEntry read_entry(const store::Query& q) {
    return {q.int64(0), std::string(q.text(1)), std::string(q.text(2))};
}

std::string select_sql(const LookupKind& kind) {
    return fmt::format("SELECT id, name, {} FROM {} WHERE tenant_id = :tenant", kind.detail,
                       kind.table);
}

LookupEntry require(store::Tx& tx, const LookupKind& kind, int64_t id) {
    auto entry = find_entry(tx, kind, id);
    if (!entry) {
        throw Error(Code::not_found, fmt::format("There is no {} {}.", kind.noun, id));
    }
    return *entry;
}

// Names are unique in any case ("VIP" and "vip" are one tag). A workspace's lists are short, so
// they are compared here rather than kept in a second, folded column.
void check_name_free(store::Tx& tx, const LookupKind& kind, const std::string& name, int64_t id) {
    std::string key = fold_case(name);
    auto q = tx.query(select_sql(kind));
    while (q.step()) {
        if (q.int64(0) != id && fold_case(q.text(1)) == key) {
            throw Error(Code::conflict,
                        fmt::format("There is a {} with this name already.", kind.noun),
                        {{"name", "is already used"}});
        }
    }
}

struct EntryInput {
    std::optional<std::string> name;
    std::optional<std::string> detail;
};

EntryInput parse_entry(const LookupKind& kind, const json::object& body, bool creating) {
    std::vector<FieldError> errors;
    ObjectReader in(body, "", errors);
    auto name = in.string("name", {.min = 1, .max = 100, .nullable = false});
    bool detail_required = creating && kind.detail != "color";
    auto detail = in.string(kind.detail, {.min = 1, .max = kind.detail_max, .nullable = false});
    for (auto field : {"id", "created_at", "updated_at"}) {
        in.read_only(field);
    }
    in.finish();
    if (creating && !name.present)
        in.fail("name", "is required");
    if (detail_required && !detail.present)
        in.fail(kind.detail, "is required");
    if (kind.detail == "color" && detail.has_value()) {
        detail.value = ascii_lower(detail.value);
        if (!is_hex_color(detail.value)) {
            in.fail("color", "must be a colour written #rrggbb");
        }
    }
    throw_if_invalid(errors);
    EntryInput out;
    if (name.has_value())
        out.name = name.value;
    if (detail.has_value())
        out.detail = detail.value;
    return out;
}

// A change to an entry: "tag.created" and the like, with the fields before and after.
void record_entry(store::Tx& tx, const LookupKind& kind, std::string_view what, int64_t id,
                  const json::object& before, const json::object& after) {
    std::string action = fmt::format("{}.{}", kind.noun, what);
    json::object changes = audit::diff(before, after, {.ignored = {"id"}, .masked = {}});
    audit::record(tx, {action, kind.noun, id, std::move(changes)});
}

LookupEntry create_entry(store::Tx& tx, const LookupKind& kind, const EntryInput& in) {
    check_name_free(tx, kind, *in.name, 0);
    std::string detail = in.detail.value_or("");
    if (!in.detail) {  // only tags may leave it out: the next colour of the palette
        auto q =
            tx.query(fmt::format("SELECT count(*) FROM {} WHERE tenant_id = :tenant", kind.table));
        q.step();
        detail = std::string(tag_palette[size_t(q.int64(0)) % tag_palette.size()]);
    }
    std::string now = now_timestamp();
    int64_t id =
        tx.insert(fmt::format("INSERT INTO {} (tenant_id, name, {}, created_at, updated_at)"
                              " VALUES (:tenant, ?, ?, ?, ?) RETURNING id",
                              kind.table, kind.detail),
                  *in.name, detail, now, now);
    LookupEntry created{id, *in.name, detail};
    record_entry(tx, kind, "created", id, {}, entry_json(kind, created));
    return created;
}

LookupEntry update_entry(store::Tx& tx, const LookupKind& kind, int64_t id, const EntryInput& in) {
    LookupEntry entry = require(tx, kind, id);
    const json::object before = entry_json(kind, entry);
    if (in.name) {
        check_name_free(tx, kind, *in.name, id);
        entry.name = *in.name;
    }
    if (in.detail) {
        entry.detail = *in.detail;
    }
    tx.exec(fmt::format("UPDATE {} SET name = ?, {} = ?, updated_at = ? WHERE tenant_id = :tenant"
                        " AND id = ?",
                        kind.table, kind.detail),
            entry.name, entry.detail, now_timestamp(), id);
    record_entry(tx, kind, "updated", id, before, entry_json(kind, entry));
    return entry;
}

// A title or industry still given to customers stays (409, with how many); a tag is taken off
// every customer that has it.
void delete_entry(store::Tx& tx, const LookupKind& kind, int64_t id) {
    const json::object before = entry_json(kind, require(tx, kind, id));
    if (kind.link.empty()) {
        tx.exec("DELETE FROM customer_tags WHERE tenant_id = :tenant AND tag_id = ?", id);
    } else {
        auto q = tx.query(fmt::format("SELECT count(*) FROM customers WHERE tenant_id = :tenant"
                                      " AND {} = ? AND deleted_at IS NULL",
                                      kind.link),
                          id);
        q.step();
        if (int64_t used = q.int64(0); used > 0) {
            throw Error(Code::conflict,
                        fmt::format("{} customer(s) have this {}; give them another first.", used,
                                    kind.noun));
        }
        // Archived customers let go of it: a restored one simply has none.
        tx.exec(fmt::format("UPDATE customers SET {0} = NULL WHERE tenant_id = :tenant AND {0} = ?",
                            kind.link),
                id);
    }
    tx.exec(fmt::format("DELETE FROM {} WHERE tenant_id = :tenant AND id = ?", kind.table), id);
    record_entry(tx, kind, "deleted", id, before, {});
}

Task<Response> list_entries(RequestContext& ctx, const LookupKind& kind) {
    auto params = http::parse_id_list_params(
        ctx.request,
        [](const std::string& name, const std::string&, std::vector<FieldError>& errors) {
            errors.push_back({name, "is not a known query parameter"});
        },
        200);  // a whole short list by default
    auto page = ctx.read([&](store::Tx& tx) {
        std::string text = select_sql(kind) + " AND id > ?";
        std::vector<std::string> args{std::to_string(params.cursor.value_or(0))};
        if (params.q) {
            text += " AND instr(lower(name), ?) > 0";
            args.push_back(*params.q);
        }
        text += " ORDER BY id LIMIT ?";
        return store::read_id_page(tx.query(text), args, params.limit, read_entry);
    });
    co_return http::id_page_response(page,
                                     [&](const LookupEntry& e) { return entry_json(kind, e); });
}

Task<Response> get_entry(RequestContext& ctx, const LookupKind& kind) {
    int64_t id = ctx.id_param("id");
    LookupEntry entry = ctx.read([&](store::Tx& tx) { return require(tx, kind, id); });
    co_return Response::json(200, entry_json(kind, entry));
}

Task<Response> post_entry(RequestContext& ctx, const LookupKind& kind) {
    EntryInput in = parse_entry(kind, ctx.json_body(), true);
    LookupEntry entry =
        co_await ctx.write([&](store::Tx& tx) { return create_entry(tx, kind, in); });
    Response response = Response::json(201, entry_json(kind, entry));
    response.set_header("Location", fmt::format("{}/{}", kind.path, entry.id));
    co_return response;
}

Task<Response> patch_entry(RequestContext& ctx, const LookupKind& kind) {
    int64_t id = ctx.id_param("id");
    EntryInput in = parse_entry(kind, ctx.json_body(true), false);
    LookupEntry entry =
        co_await ctx.write([&](store::Tx& tx) { return update_entry(tx, kind, id, in); });
    co_return Response::json(200, entry_json(kind, entry));
}

Task<Response> delete_route(RequestContext& ctx, const LookupKind& kind) {
    int64_t id = ctx.id_param("id");
    co_await ctx.write([&](store::Tx& tx) { delete_entry(tx, kind, id); });
    co_return Response::no_content();
}

// Countries and their subdivisions, for address forms: reference data, open to anyone.
Task<Response> list_countries(RequestContext&) {
    json::array data;
    for (const Country& c : countries()) {
        data.push_back(json::object{{"code", c.code},
                                    {"name", c.name},
                                    {"has_subdivisions", !subdivisions(c.code).empty()}});
    }
    co_return Response::json(200, json::object{{"data", std::move(data)}});
}

Task<Response> list_subdivisions(RequestContext& ctx) {
    std::string code(ctx.param("code"));
    if (!find_country(code)) {
        throw Error(Code::not_found, "There is no country " + code + " (ISO 3166-1 alpha-2).");
    }
    json::array data;
    for (const Subdivision& s : subdivisions(code)) {
        data.push_back(json::object{{"code", s.code}, {"name", s.name}, {"type", s.type}});
    }
    co_return Response::json(200, json::object{{"data", std::move(data)}});
}

}  // namespace

std::optional<LookupEntry> find_entry(store::Tx& tx, const LookupKind& kind, int64_t id) {
    auto q = tx.query(select_sql(kind) + " AND id = ?", id);
    if (!q.step()) {
        return std::nullopt;
    }
    return read_entry(q);
}

void seed_workspace_lists(store::Tx& tx) {
    std::string now = now_timestamp();
    for (const LookupKind* kind : {&titles, &industries}) {
        tx.exec(fmt::format("INSERT INTO {0} (tenant_id, name, {1}, created_at, updated_at)"
                            " SELECT :tenant, name, {1}, ?, ? FROM {2} ORDER BY position",
                            kind->table, kind->detail, kind->seed_from),
                now, now);
    }
}

void register_lookup_routes(http::Router& router, App&) {
    using http::Access;
    using http::Method;
    router.add(Method::get, "/api/countries", Access::anyone(), list_countries);
    router.add(Method::get, "/api/countries/{code}/subdivisions", Access::anyone(),
               list_subdivisions);
    for (const LookupKind* kind : {&titles, &industries, &tags}) {
        std::string path(kind->path);
        std::string one = path + "/{id}";
        // Anyone who edits customers may make a tag on the way (the tag picker's "create").
        Access create = Access::needs(kind == &tags ? perm::write : perm::lists);
        router.add(Method::get, path, perm::read,
                   [kind](RequestContext& ctx) { return list_entries(ctx, *kind); });
        router.add(Method::post, path, create,
                   [kind](RequestContext& ctx) { return post_entry(ctx, *kind); });
        router.add(Method::get, one, perm::read,
                   [kind](RequestContext& ctx) { return get_entry(ctx, *kind); });
        router.add(Method::patch, one, perm::lists,
                   [kind](RequestContext& ctx) { return patch_entry(ctx, *kind); });
        router.add(Method::del, one, perm::lists,
                   [kind](RequestContext& ctx) { return delete_route(ctx, *kind); });
    }
}

}  // namespace clientele::customers
