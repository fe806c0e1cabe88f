#include "carts/service.hpp"

#include <fmt/format.h>

#include "audit/trail.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "customers/service.hpp"
#include "orders/service.hpp"
#include "store/db.hpp"

namespace clientele::carts {

namespace json = boost::json;

namespace sql {
// A cart with its e-mail (a customer's own, else the guest cart's) and its customer's name, so
// that a list of carts names whose they are without a request per row.
constexpr std::string_view select =
    "SELECT k.id, k.customer_id, k.guest_key, COALESCE(c.email, k.email), k.currency, k.lines,"
    " k.version, k.created_at, k.updated_at, c.name FROM carts k"
    " LEFT JOIN customers c ON c.tenant_id = k.tenant_id AND c.id = k.customer_id";
constexpr std::string_view of_customer = " WHERE k.tenant_id = :tenant AND k.customer_id = ?";
constexpr std::string_view of_guest = " WHERE k.tenant_id = :tenant AND k.guest_key = ?";
constexpr std::string_view guests_with_email =
    " WHERE k.tenant_id = :tenant AND k.guest_key IS NOT NULL AND k.email = ?"
    " ORDER BY k.updated_at, k.id";
// Two writers of one customer's cart meet in the unique index (carts_customer): the second one
// updates the row the first made, never a second cart.
constexpr std::string_view upsert_customer =
    "INSERT INTO carts (tenant_id, customer_id, currency, lines, created_at, updated_at)"
    " VALUES (:tenant, ?, ?, ?, ?, ?)"
    " ON CONFLICT (tenant_id, customer_id) WHERE customer_id IS NOT NULL DO UPDATE SET"
    " currency = excluded.currency, lines = excluded.lines, version = carts.version + 1,"
    " updated_at = excluded.updated_at";
constexpr std::string_view upsert_guest =
    "INSERT INTO carts (tenant_id, guest_key, email, currency, lines, created_at, updated_at)"
    " VALUES (:tenant, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (tenant_id, guest_key) WHERE guest_key IS NOT NULL DO UPDATE SET"
    " email = excluded.email, currency = excluded.currency, lines = excluded.lines,"
    " version = carts.version + 1, updated_at = excluded.updated_at";
constexpr std::string_view delete_customer =
    "DELETE FROM carts WHERE tenant_id = :tenant AND customer_id = ?";
constexpr std::string_view delete_guest =
    "DELETE FROM carts WHERE tenant_id = :tenant AND guest_key = ?";
constexpr std::string_view list =
    " WHERE k.tenant_id = :tenant AND k.customer_id IS NOT NULL AND c.deleted_at IS NULL";
}  // namespace sql

namespace {

// How a cart's changes show in the trail: its content, not its bookkeeping.
const audit::FieldPolicy audit_policy{
    .ignored = {"id", "customer_id", "guest_key", "version", "created_at", "updated_at"},
    .masked = {}};

Cart read_cart(const store::Query& q) {
    Cart cart;
    cart.id = q.int64(0);
    cart.customer_id = q.optional_int64(1);
    cart.guest_key = q.optional_text(2);
    cart.email = q.optional_text(3).value_or("");
    cart.currency = q.text(4);
    cart.lines = lines_from_text(q.text(5));
    cart.version = q.int64(6);
    cart.created_at = q.text(7);
    cart.updated_at = q.text(8);
    cart.customer_name = q.optional_text(9);
    return cart;
}

template <class... Args>
std::optional<Cart> find(store::Tx& tx, std::string_view where, Args&&... args) {
    auto q = tx.query(std::string(sql::select).append(where), std::forward<Args>(args)...);
    if (!q.step()) {
        return std::nullopt;
    }
    return read_cart(q);
}

// The customer's cart as it is now: the stored one, or the empty one with the customer's e-mail.
Cart current_cart(store::Tx& tx, const customers::Customer& customer) {
    if (auto cart = find(tx, sql::of_customer, customer.id)) {
        return *cart;
    }
    Cart empty;
    empty.customer_id = customer.id;
    empty.email = customer.email.value_or("");
    return empty;
}

void record(store::Tx& tx, std::string_view action, std::string_view entity,
            std::optional<int64_t> id, const Cart& before, const Cart& after,
            json::object extra = {}) {
    json::object changes = audit::diff(to_json(before), to_json(after), audit_policy);
    for (auto& member : extra) {
        changes[member.key()] = std::move(member.value());
    }
    audit::record(tx, {action, entity, id, std::move(changes)});
}

// Stores `lines` as the customer's cart (none when empty) and returns it as stored.
Cart save_customer_cart(store::Tx& tx, const customers::Customer& customer,
                        const std::string& currency, const std::vector<Line>& lines) {
    if (lines.empty()) {
        tx.exec(sql::delete_customer, customer.id);
    } else {
        std::string now = now_timestamp();
        tx.exec(sql::upsert_customer, customer.id, currency, lines_text(lines), now, now);
    }
    return current_cart(tx, customer);
}

// Why `guest` cannot join `cart`, if it cannot.
std::optional<std::string> merge_problem(Cart& cart, const Cart& guest) {
    if (!cart.lines.empty() && cart.currency != guest.currency) {
        return fmt::format("The guest cart is in {} and the customer's cart in {}.", guest.currency,
                           cart.currency);
    }
    if (!merge_lines(cart.lines, guest.lines)) {
        return std::string(
            "Together the carts would break a cart's limits (lines, quantity or "
            "subtotal).");
    }
    cart.currency = guest.currency;
    return std::nullopt;
}

// Merges `guest` into the customer's cart and removes it; nothing changes when it cannot.
std::optional<std::string> merge(store::Tx& tx, const customers::Customer& customer,
                                 const Cart& guest) {
    Cart before = current_cart(tx, customer);
    Cart merged = before;
    if (auto problem = merge_problem(merged, guest)) {
        return problem;
    }
    tx.exec(sql::delete_guest, *guest.guest_key);
    Cart after = save_customer_cart(tx, customer, merged.currency, merged.lines);
    record(tx, "cart.merged", "customer", customer.id, before, after,
           {{"guest_key", json::object{{"from", *guest.guest_key}, {"to", nullptr}}}});
    return std::nullopt;
}

}  // namespace

Cart customer_cart(store::Tx& tx, int64_t customer_id) {
    return current_cart(tx, customers::require(tx, customer_id));
}

Cart put_customer_cart(store::Tx& tx, int64_t customer_id, const CartInput& input,
                       std::optional<int64_t> expected) {
    customers::Customer customer = customers::require(tx, customer_id);
    Cart before = current_cart(tx, customer);
    check_version(expected, before.version, "cart");
    Cart after = save_customer_cart(tx, customer, input.currency, input.lines);
    record(tx, input.lines.empty() ? "cart.cleared" : "cart.updated", "customer", customer_id,
           before, after);
    return after;
}

void clear_customer_cart(store::Tx& tx, int64_t customer_id) {
    put_customer_cart(tx, customer_id, {}, std::nullopt);
}

std::optional<Cart> guest_cart(store::Tx& tx, const std::string& key) {
    return find(tx, sql::of_guest, key);
}

Cart put_guest_cart(store::Tx& tx, const std::string& key, const CartInput& input) {
    std::optional<Cart> before = guest_cart(tx, key);
    Cart empty;
    empty.guest_key = key;
    if (input.lines.empty()) {
        tx.exec(sql::delete_guest, key);
    } else {
        std::string now = now_timestamp();
        tx.exec(sql::upsert_guest, key, input.email.value_or(""), input.currency,
                lines_text(input.lines), now, now);
    }
    Cart after = guest_cart(tx, key).value_or(empty);
    // The trail names a guest cart by its row; a cleared one by the row it was (none if none).
    std::optional<int64_t> id;
    if (after.id) {
        id = after.id;
    } else if (before) {
        id = before->id;
    }
    record(tx, input.lines.empty() ? "cart.cleared" : "cart.updated", "cart", id,
           before.value_or(empty), after);
    return after;
}

Cart merge_guest_cart(store::Tx& tx, int64_t customer_id, const std::string& key) {
    customers::Customer customer = customers::require(tx, customer_id);
    auto guest = guest_cart(tx, key);
    if (!guest) {
        throw Error(Code::not_found, fmt::format("There is no guest cart {}.", key),
                    {{"guest_key", "is not a guest cart of this workspace"}});
    }
    if (auto problem = merge(tx, customer, *guest)) {
        throw Error(Code::conflict, *problem, {{"guest_key", "cannot join the customer's cart"}});
    }
    return current_cart(tx, customer);
}

void merge_guest_carts_of(store::Tx& tx, int64_t customer_id, const std::string& email) {
    std::vector<Cart> guests;
    for (auto q =
             tx.query(std::string(sql::select).append(sql::guests_with_email), ascii_lower(email));
         q.step();) {
        guests.push_back(read_cart(q));
    }
    if (guests.empty()) {
        return;
    }
    customers::Customer customer = customers::require(tx, customer_id);
    for (const Cart& guest : guests) {
        merge(tx, customer, guest);  // one that cannot join waits for an explicit merge
    }
}

ListPage list(store::Tx& tx, const ListQuery& query) {
    std::string text = std::string(sql::select).append(sql::list);
    std::vector<std::string> args;
    if (query.updated_before) {
        text += " AND k.updated_at < ?";
        args.push_back(*query.updated_before);
    }
    if (query.after) {
        text += " AND (k.updated_at > ? OR k.updated_at = ? AND k.id > ?)";
        args.push_back(query.after->first);
        args.push_back(query.after->first);
    }
    text += " ORDER BY k.updated_at, k.id LIMIT ?";
    auto q = tx.query(text);
    for (const std::string& arg : args) {
        q.bind(arg);
    }
    if (query.after) {
        q.bind(query.after->second);
    }
    q.bind(int64_t(query.limit) + 1);
    ListPage page;
    while (q.step()) {
        page.carts.push_back(read_cart(q));
    }
    if (page.carts.size() > size_t(query.limit)) {
        page.carts.resize(size_t(query.limit));
        page.next_cursor =
            orders::encode_cursor(*page.carts.back().updated_at, page.carts.back().id);
    }
    return page;
}

}  // namespace clientele::carts
