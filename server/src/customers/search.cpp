#include "customers/search.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/text.hpp"
#include "customers/queries.hpp"
#include "customers/service.hpp"
#include "store/columns.hpp"

namespace clientele::customers {

namespace json = boost::json;

// ---------------------------------------------------------------------------------------------
// Cursors: base64url of a small JSON object. Opaque to clients; checked on the way back in.

namespace {
std::string_view sort_name(SortField field) {
    switch (field) {
        case SortField::created_at:
            return "created_at";
        case SortField::name:
            return "name";
        case SortField::email:
            return "email";
        case SortField::lifetime_value:
            return "lifetime_value";
        case SortField::last_order_at:
            return "last_order_at";
    }
    return "";
}
}  // namespace

std::optional<SortField> parse_sort_field(std::string_view name) {
    for (SortField field : {SortField::created_at, SortField::name, SortField::email,
                            SortField::lifetime_value, SortField::last_order_at}) {
        if (sort_name(field) == name) {
            return field;
        }
    }
    return std::nullopt;
}

std::string encode_cursor(const Cursor& cursor) {
    std::string text = json::serialize(json::object{{"s", sort_name(cursor.sort)},
                                                    {"d", cursor.descending},
                                                    {"k", cursor.key},
                                                    {"i", cursor.id}});
    std::string out(
        sodium_base64_ENCODED_LEN(text.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()),
                      text.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.find('\0'));
    return out;
}

std::optional<Cursor> decode_cursor(std::string_view text) {
    if (text.empty() || text.size() > 2048) {
        return std::nullopt;
    }
    std::string raw(text.size(), '\0');
    size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), text.data(),
                          text.size(), nullptr, &length, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
        return std::nullopt;
    }
    raw.resize(length);
    boost::system::error_code ec;
    json::value value = json::parse(raw, ec);
    if (ec || !value.is_object()) {
        return std::nullopt;
    }
    const json::object& o = value.get_object();
    auto s = o.if_contains("s");
    auto d = o.if_contains("d");
    auto k = o.if_contains("k");
    auto i = o.if_contains("i");
    if (!s || !s->is_string() || !d || !d->is_bool() || !k || !k->is_string() || !i ||
        !i->is_int64()) {
        return std::nullopt;
    }
    Cursor cursor{SortField::created_at, d->get_bool(), std::string(k->get_string()),
                  i->get_int64()};
    auto sort = parse_sort_field(s->get_string());
    if (!sort) {
        return std::nullopt;
    }
    cursor.sort = *sort;
    return cursor;
}

// ---------------------------------------------------------------------------------------------
// Lists and search.
//
// A list walks the (tenant_id, deleted_at, <sort key>, id) index from the cursor, so a page costs
// the same at row 10 and at row 10 million. Substring search (q) has two plans (DESIGN §4):
//  - walk the sort index in order and keep the rows that match: cheap when the term is common,
//    because a page fills after a few rows;
//  - look the term up in the trigram index and sort the matches: cheap when the term is rare.
// The walk goes first and measures as it goes: every `walk_checkpoint` rows it projects, from the
// share of rows that matched so far, how many rows the page will take. When that passes
// `walk_budget` (or nothing has matched yet) it gives up, and the candidates come from the trigram
// index instead: if they are few, they are fetched and sorted; if many (the walk was unlucky, the
// matches sit further along the sort order), they filter a walk of the sort index that reads only
// index entries. No statistics to keep, and a wrong guess costs at most one checkpoint of rows.

namespace {

constexpr int walk_checkpoint = 500;  // rows between the walk's projections
constexpr int walk_budget = 20000;    // most rows a walk may be projected to need
constexpr int few_candidates = 2000;  // candidates fetched and sorted rather than walked
constexpr int64_t filtered_walk_budget = 200'000;  // VM steps for a filtered walk (~3 ms)

struct Sql {
    std::string text;
    std::vector<std::optional<std::string>> text_args;  // bound in order, before the tail args
};

std::string_view sort_column(SortField field) {
    switch (field) {
        case SortField::created_at:
            return "c.created_at";
        case SortField::name:
            return "c.name_key";
        case SortField::email:
            return "c.email";
        case SortField::lifetime_value:
            return "c.lifetime_value";
        case SortField::last_order_at:
            // Customers without an order sort first ascending, last descending, in both engines
            // (their NULLs order differently): the indexes hold the same expression (0013).
            return "coalesce(c.last_order_at, '')";
    }
    return "";
}

// The WHERE conditions shared by every plan: workspace, archive or live, filters, cursor.
void add_search_condition(Sql& s, const std::string& term);

// The WHERE clause of `query`'s filters, after its cursor when `with_cursor`; the search term too
// when `with_search` (PostgreSQL: SQLite searches through a plan of its own).
void add_conditions(Sql& s, const ListQuery& query, bool with_cursor, bool with_search = false) {
    s.text += " WHERE c.tenant_id = :tenant AND c.deleted_at IS ";
    s.text += query.deleted ? "NOT NULL" : "NULL";
    auto filter = [&](const std::optional<std::string>& value, std::string_view condition) {
        if (value) {
            s.text += " AND ";
            s.text += condition;
            s.text_args.push_back(*value);
        }
    };
    filter(query.email, "c.email = ?");
    filter(query.phone, "c.phone = ?");
    filter(query.gender, "c.gender = ?");
    filter(query.locale, "c.locale = ?");
    filter(query.country, "c.country = ?");
    filter(query.city, "c.city = ?");
    filter(query.postal_code, "c.postal_code = ?");
    filter(query.created_from, "c.created_at >= ?");
    filter(query.created_to, "c.created_at < ?");
    filter(query.account_type, "c.account_type = ?");
    filter(query.company_id, "c.company_id = ?");
    filter(query.industry_id, "c.industry_id = ?");
    filter(query.responsible_id, "c.responsible_id = ?");
    filter(query.tag_id,
           "EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.tenant_id = c.tenant_id"
           " AND ct.customer_id = c.id AND ct.tag_id = ?)");
    filter(query.min_lifetime_value, "c.lifetime_value >= ?");
    filter(query.max_lifetime_value, "c.lifetime_value <= ?");
    filter(query.min_order_count, "c.order_count >= ?");
    filter(query.last_order_from, "c.last_order_at >= ?");
    filter(query.last_order_to, "c.last_order_at < ?");
    filter(query.loyalty_tier, "c.loyalty_tier = ?");
    if (query.portal_access) {
        s.text += *query.portal_access ? " AND c.portal_joined_at IS NOT NULL"
                                       : " AND c.portal_joined_at IS NULL";
    }
    if (query.q && with_search) {
        add_search_condition(s, *query.q);
    }
    if (with_cursor && query.after) {
        s.text += fmt::format(" AND ({}, c.id) {} (?, ?)", sort_column(query.sort),
                              query.descending ? "<" : ">");
        s.text_args.push_back(query.after->key);
        s.text_args.push_back(std::to_string(query.after->id));
    }
}

std::string order_by(const ListQuery& query) {
    const char* direction = query.descending ? "DESC" : "ASC";
    return fmt::format(" ORDER BY {} {}, c.id {}", sort_column(query.sort), direction, direction);
}

void bind_all(store::Query& q, const Sql& s) {
    for (const auto& arg : s.text_args) {
        q.bind(arg);
    }
}

// The cursor for continuing after `c`.
std::string cursor_after(const Customer& c, const ListQuery& query) {
    std::string key;
    switch (query.sort) {
        case SortField::created_at:
            key = c.created_at;
            break;
        case SortField::name:
            key = fold_case(c.name);
            break;
        case SortField::email:
            key = c.email.value_or("");
            break;
        case SortField::lifetime_value:
            key = std::to_string(c.lifetime_value);
            break;
        case SortField::last_order_at:
            key = c.last_order_at.value_or("");
            break;
    }
    return encode_cursor({query.sort, query.descending, std::move(key), c.id});
}

bool short_term(const std::string& term) {
    return utf8_length(term) < 3;
}

// The rule both plans implement: 3+ characters match anywhere in name, e-mail or phone; 1–2
// characters match the start of name or e-mail.
bool matches(const std::string& term, std::string_view name_key, std::string_view email,
             std::string_view phone) {
    if (short_term(term)) {
        return name_key.starts_with(term) || email.starts_with(term);
    }
    return name_key.find(term) != std::string_view::npos ||
           email.find(term) != std::string_view::npos ||
           fold_case(phone).find(term) != std::string::npos;
}

// PostgreSQL's search: one more condition, which its planner serves from the trigram index
// (migrations/0002_customers.pg.sql, the same expression) or by filtering a walk of the sort index,
// whichever it estimates cheaper: the choice SQLite's plans below make by measuring.
void add_search_condition(Sql& s, const std::string& term) {
    if (short_term(term)) {
        s.text += " AND (c.name_key >= ? AND c.name_key < ? OR c.email >= ? AND c.email < ?)";
        std::string high = term + "\xF4\x8F\xBF\xBF";  // above every string with this prefix
        s.text_args.insert(s.text_args.end(), {term, high, term, high});
        return;
    }
    std::string pattern = "%";
    for (char ch : term) {
        if (ch == '%' || ch == '_' || ch == '\\')
            pattern += '\\';
        pattern += ch;
    }
    pattern += '%';
    s.text +=
        " AND (c.name_key || chr(1) || c.email || chr(1) || lower(coalesce(c.phone, ''))) LIKE ?";
    s.text_args.push_back(std::move(pattern));
}

// FTS5 phrase syntax: the term in double quotes, inner quotes doubled.
std::string fts_phrase(const std::string& term) {
    std::string out = "\"";
    for (char ch : term) {
        out += ch;
        if (ch == '"')
            out += '"';
    }
    return out + "\"";
}

// Runs `s` with `limit` bound last and turns each row into a T with `read`.
template <class Read>
auto fetch(store::Tx& tx, const Sql& s, int limit, Read read) {
    auto q = tx.query(s.text);
    bind_all(q, s);
    q.bind(int64_t(limit));
    std::vector<decltype(read(q))> out;
    while (q.step()) {
        out.push_back(read(q));
    }
    return out;
}

std::vector<Customer> fetch_page(store::Tx& tx, const Sql& s, int limit) {
    return fetch(tx, s, limit, [](const store::Query& q) { return customer_columns().read(q); });
}

std::vector<int64_t> fetch_ids(store::Tx& tx, const Sql& s, int limit) {
    return fetch(tx, s, limit, [](const store::Query& q) { return q.int64(0); });
}

// The full rows of `ids`, in that order.
std::vector<Customer> fetch_rows(store::Tx& tx, const std::vector<int64_t>& ids) {
    std::vector<Customer> rows;
    rows.reserve(ids.size());
    for (int64_t id : ids) {
        if (auto c = find_row(tx, id, true))
            rows.push_back(std::move(*c));
    }
    return rows;
}

// Plan 1: the sorted walk. nullopt when it gives up (see above) before the page filled.
std::optional<std::vector<Customer>> walk_search(store::Tx& tx, const ListQuery& query, int want) {
    Sql s;
    s.text = "SELECT c.id, c.name_key, c.email, c.phone FROM customers c";
    add_conditions(s, query, true);
    s.text += order_by(query);
    std::vector<int64_t> ids;
    {
        auto q = tx.query(s.text);
        bind_all(q, s);
        int64_t read = 0;
        while (int(ids.size()) < want && q.step()) {
            if (matches(*query.q, q.text(1), q.text(2), q.text(3))) {
                ids.push_back(q.int64(0));
            }
            if (++read % walk_checkpoint == 0) {
                int64_t found = int64_t(ids.size());
                if (found == 0 || read * want / found > walk_budget) {
                    return std::nullopt;
                }
            }
        }
    }
    return fetch_rows(tx, ids);
}

// The candidates for a term, as a CTE named `matched`: the trigram index for 3+ characters, or
// the name and e-mail prefix ranges (both indexed) for 1–2.
Sql matched_cte(const ListQuery& query) {
    Sql s;
    if (short_term(*query.q)) {
        // deleted_at follows tenant_id in both indexes: naming it keeps the ranges on the index.
        std::string_view live = query.deleted ? "deleted_at IS NOT NULL" : "deleted_at IS NULL";
        s.text = fmt::format(
            "WITH matched AS MATERIALIZED ("
            "SELECT id FROM customers WHERE tenant_id = :tenant AND {0} AND name_key >= ? AND "
            "name_key < ?"
            " UNION SELECT id FROM customers WHERE tenant_id = :tenant AND {0} AND email >= ? AND "
            "email < ?) ",
            live);
        std::string high = *query.q + "\xF4\x8F\xBF\xBF";  // above every string with this prefix
        s.text_args = {*query.q, high, *query.q, high};
    } else {
        s.text = std::string(sql::trigram_match_cte);
        s.text_args = {fts_phrase(*query.q)};
    }
    return s;
}

// Plan 2, once the walk gave up: few candidates are fetched and sorted (2a); many are used as a
// filter on the sort index walk (2b), which reads only index entries until the page is full.
std::vector<Customer> index_search(store::Tx& tx, const ListQuery& query, int want) {
    Sql s = matched_cte(query);
    int64_t candidates = 0;
    {
        // Only chooses the plan. The trigram candidates span every workspace (see queries.hpp).
        std::string text = s.text + "SELECT count(*) FROM matched";
        auto q = short_term(*query.q) ? tx.query(text) : tx.query_global(text);
        bind_all(q, s);
        candidates = q.step() ? q.int64(0) : 0;
    }
    auto fetch_sorted = [&] {  // 2a: cost grows with the candidates
        Sql a = s;
        a.text +=
            "SELECT c.id FROM matched CROSS JOIN customers c INDEXED BY customers_sort_keys"
            " ON c.tenant_id = :tenant AND c.id = matched.id";
        add_conditions(a, query, true);
        a.text += order_by(query) + " LIMIT ?";
        return fetch_rows(tx, fetch_ids(tx, a, want));
    };
    if (candidates <= few_candidates) {
        return fetch_sorted();
    }
    // 2b: cost grows with how far along the sort order the matches sit, which nothing tells
    // beforehand; so it runs on a budget, and 2a answers if the budget runs out. The unary + keeps
    // SQLite from driving the query by the id list: it walks the sort index.
    Sql b = s;
    b.text += fmt::format("SELECT {}{}", customer_columns().select(), customer_from);
    add_conditions(b, query, true);
    b.text += " AND +c.id IN (SELECT id FROM matched)" + order_by(query) + " LIMIT ?";
    auto q = tx.query(b.text);
    bind_all(q, b);
    q.bind(int64_t(want));
    q.set_budget(filtered_walk_budget + candidates * 4);  // building the id set is part of it
    std::vector<Customer> rows;
    while (q.step()) {
        rows.push_back(customer_columns().read(q));
    }
    if (!q.over_budget()) {
        return rows;
    }
    return fetch_sorted();
}

// `SELECT <what> FROM <the customers matching query> <joins> WHERE ...`: every filter and the
// search, no cursor. For counts.
Sql matching(store::Backend backend, const ListQuery& query, std::string_view what,
             std::string_view joins = {}) {
    Sql s;
    if (query.q && backend == store::Backend::sqlite) {
        s = matched_cte(query);
        s.text += fmt::format(
            "SELECT {} FROM matched CROSS JOIN customers c ON c.id = matched.id{}", what, joins);
    } else {
        s.text = fmt::format("SELECT {} FROM customers c{}", what, joins);
    }
    add_conditions(s, query, false, backend == store::Backend::postgres);
    return s;
}

int64_t count(store::Tx& tx, const ListQuery& query) {
    Sql s = matching(tx.backend(), query, "count(*)");
    auto q = tx.query(s.text);
    bind_all(q, s);
    return q.step() ? q.int64(0) : 0;
}

}  // namespace

namespace {
// Per GroupBy: what a group row selects (id, key, label, count), the joins it needs, its GROUP BY
// (with the label: PostgreSQL allows no column outside it).
struct GroupSql {
    std::string_view select, joins, group;
};
constexpr std::array<GroupSql, 4> group_sql{{
    {"NULL, c.account_type, c.account_type, count(*) AS n", "", "c.account_type"},
    {"c.company_id, c.company_id, co.name, count(*) AS n",
     " LEFT JOIN customers co ON co.tenant_id = c.tenant_id AND co.id = c.company_id",
     "c.company_id, co.name"},
    {"c.industry_id, c.industry_id, i.name, count(*) AS n",
     " LEFT JOIN industries i ON i.tenant_id = c.tenant_id AND i.id = c.industry_id",
     "c.industry_id, i.name"},
    {"t.id, t.id, t.name, count(*) AS n",
     " LEFT JOIN customer_tags ct ON ct.tenant_id = c.tenant_id AND ct.customer_id = c.id"
     " LEFT JOIN tags t ON t.tenant_id = ct.tenant_id AND t.id = ct.tag_id",
     "t.id, t.name"},
}};
}  // namespace

std::vector<Group> count_groups(store::Tx& tx, const ListQuery& query, GroupBy by, int limit) {
    const GroupSql& g = group_sql[size_t(by)];
    Sql s = matching(tx.backend(), query, g.select, g.joins);
    s.text += fmt::format(" GROUP BY {}", g.group);
    s.text += " ORDER BY n DESC, 3 LIMIT ?";
    auto q = tx.query(s.text);
    bind_all(q, s);
    q.bind(int64_t(limit));
    std::vector<Group> groups;
    while (q.step()) {
        Group g;
        g.id = q.optional_int64(0);
        g.key = q.optional_text(1).value_or("");
        g.label = q.optional_text(2).value_or("");
        g.count = q.int64(3);
        groups.push_back(std::move(g));
    }
    return groups;
}

ListPage list(store::Tx& tx, const ListQuery& query) {
    int want = query.limit + 1;  // one more than the page: is there a next page?
    std::vector<Customer> rows;
    bool postgres = tx.backend() == store::Backend::postgres;
    if (!query.q || postgres) {
        Sql s;
        s.text = fmt::format("SELECT {}{}", customer_columns().select(), customer_from);
        add_conditions(s, query, true, postgres);
        s.text += order_by(query) + " LIMIT ?";
        rows = fetch_page(tx, s, want);
    } else {
        auto walked = walk_search(tx, query, want);
        rows = walked ? std::move(*walked) : index_search(tx, query, want);
    }
    ListPage page;
    if (int(rows.size()) > query.limit) {
        rows.resize(size_t(query.limit));
        page.next_cursor = cursor_after(rows.back(), query);
    }
    load_tags(tx, rows);
    page.customers = std::move(rows);
    if (query.total) {
        page.total = count(tx, query);
    }
    return page;
}

}  // namespace clientele::customers
