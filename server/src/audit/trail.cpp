#include "audit/trail.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "audit/queries.hpp"
#include "auth/principal.hpp"
#include "core/time.hpp"
#include "store/columns.hpp"
#include "store/id_page.hpp"

namespace clientele::audit {

namespace json = boost::json;

// An entry's columns of its members' names (entry_columns; the actor's are prefixed).
BOOST_DESCRIBE_STRUCT(Entry, (),
                      (id, at, action, entity, entity_id, changes, request_id, address, user_agent))

namespace {

bool listed(const std::vector<std::string_view>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

json::value shown(const json::value& value, bool masked) {
    if (masked && !value.is_null()) {
        return json::string(masked_value);
    }
    return value;
}

// Adds the differences under `prefix` ("" or "address.") to `out`.
void diff_into(json::object& out, const json::object& before, const json::object& after,
               const FieldPolicy& policy, const std::string& prefix) {
    static const json::value null;
    auto compare = [&](std::string_view key, const json::value& from, const json::value& to) {
        std::string name = prefix + std::string(key);
        if (listed(policy.ignored, name) || from == to) {
            return;
        }
        // Nested objects member by member; one that appears or goes compares with {}.
        static const json::object none;
        if ((from.is_object() || from.is_null()) && (to.is_object() || to.is_null())) {
            diff_into(out, from.is_object() ? from.get_object() : none,
                      to.is_object() ? to.get_object() : none, policy, name + ".");
            return;
        }
        bool masked = listed(policy.masked, name) || listed(policy.masked, prefix + "*");
        out[name] = json::object{{"from", shown(from, masked)}, {"to", shown(to, masked)}};
    };
    for (const auto& [key, from] : before) {
        auto it = after.find(key);
        compare(key, from, it == after.end() ? null : it->value());
    }
    for (const auto& [key, to] : after) {
        if (!before.contains(key)) {
            compare(key, null, to);
        }
    }
}

void insert(store::Tx& tx, const Event& event) {
    static const Context system_context;
    Context* context = tx.audit_context();
    const Context& c = context ? *context : system_context;
    auto optional = [](const std::string& text) {
        return text.empty() ? std::nullopt : std::optional<std::string_view>(text);
    };
    tx.exec(sql::insert_event, now_timestamp(), c.actor.kind, c.actor.id, c.actor.name,
            event.action, event.entity, event.entity_id, json::serialize(event.changes),
            optional(c.request_id), optional(c.address), optional(c.user_agent));
    if (context) {
        ++context->recorded;
    }
}

const store::Columns<Entry>& entry_columns() {
    using store::field;
    static const auto columns = store::described_columns<Entry>("")
                                    .add(field<&Entry::actor, &Actor::kind>("actor_kind"))
                                    .add(field<&Entry::actor, &Actor::id>("actor_id"))
                                    .add(field<&Entry::actor, &Actor::name>("actor_name"));
    return columns;
}

}  // namespace

json::object diff(const json::object& before, const json::object& after,
                  const FieldPolicy& policy) {
    json::object out;
    diff_into(out, before, after, policy, "");
    return out;
}

Actor actor_of(const auth::Principal& p) {
    // Named as they are now: a later rename leaves the entry as it was.
    std::string name = p.name.empty() ? p.email : p.name;
    switch (p.via) {
        case auth::Principal::Via::portal_session:
            return {"portal_customer", p.customer_id, std::move(name)};
        case auth::Principal::Via::token:
            return {"api_token", p.token_id, std::move(name)};
        case auth::Principal::Via::session:
            break;
    }
    return {p.is_client_login ? "client" : "user", p.user_id, std::move(name)};
}

void act_as(store::Tx& tx, Actor actor) {
    if (Context* context = tx.audit_context()) {
        context->actor = std::move(actor);
    }
}

void record(store::Tx& tx, const Event& event) {
    if (!tx.scoped()) {
        throw std::logic_error("audit::record needs a workspace transaction; use record_in");
    }
    insert(tx, event);
}

void record_in(store::Tx& tx, int64_t workspace, const Event& event) {
    store::Tx scoped = tx.workspace(workspace);
    insert(scoped, event);
}

json::object to_json(const Entry& e) {
    json::object actor{{"kind", e.actor.kind}, {"name", e.actor.name}};
    actor["id"] = e.actor.id ? json::value(*e.actor.id) : json::value(nullptr);
    json::value changes = json::parse(e.changes);
    auto optional = [](const std::optional<std::string>& text) {
        return text ? json::value(*text) : json::value(nullptr);
    };
    return {{"id", e.id},
            {"at", e.at},
            {"action", e.action},
            {"actor", std::move(actor)},
            {"entity", e.entity},
            {"entity_id", e.entity_id ? json::value(*e.entity_id) : json::value(nullptr)},
            {"changes", std::move(changes)},
            {"request_id", optional(e.request_id)},
            {"address", optional(e.address)},
            {"user_agent", optional(e.user_agent)}};
}

Page list(store::Tx& tx, const ListQuery& query) {
    // The conditions present, each with its argument; the index on (tenant_id, entity, entity_id,
    // id) or (tenant_id, id) serves the newest-first walk, the rest filter it.
    std::string sql = entry_columns().sql(sql::select_events);
    std::vector<std::string> args;
    auto filter = [&](const auto& value, std::string_view condition) {
        if (value) {
            sql += " AND ";
            sql += condition;
            if constexpr (std::is_same_v<std::decay_t<decltype(*value)>, int64_t>) {
                args.push_back(std::to_string(*value));
            } else {
                args.push_back(*value);
            }
        }
    };
    filter(query.entity, "entity = ?");
    filter(query.entity_id, "entity_id = ?");
    filter(query.actor_kind, "actor_kind = ?");
    filter(query.actor_id, "actor_id = ?");
    filter(query.action, "action = ?");
    if (query.action_prefix) {
        // A prefix match that an index range can serve on both stores, without LIKE's wildcards.
        sql += " AND action >= ? AND action < ?";
        args.push_back(*query.action_prefix);
        args.push_back(*query.action_prefix + "\x7f");
    }
    filter(query.from, "at >= ?");
    filter(query.to, "at < ?");
    filter(query.before_id, "id < ?");
    sql += " ORDER BY id DESC LIMIT ?";
    auto page = store::read_id_page(tx.query(sql), args, query.limit, entry_columns());
    return Page{std::move(page.rows), page.next_after};
}

int64_t prune(store::Tx& tx, int days) {
    std::string cutoff = format_timestamp(Clock::now() - std::chrono::days(std::max(days, 1)));
    // The triggers let a DELETE through only below the cutoff recorded here, in this transaction.
    tx.exec(sql::open_retention, cutoff);
    int64_t removed = tx.exec(sql::prune_events, cutoff);
    tx.exec(sql::close_retention);
    return removed;
}

}  // namespace clientele::audit
