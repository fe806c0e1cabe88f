// Lists and search of a workspace's customers: the plans that walk the sort indexes or look a term
// up in the trigram index, the filters they share, and the cursors of their pages. Each function
// runs inside a workspace transaction (store::Tx with a tenant).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "customers/model.hpp"

namespace clientele::store {
class Tx;
}

namespace clientele::customers {

enum class SortField { created_at, name, email, lifetime_value, last_order_at };

//! Where a page ends: the sort it belongs to and the last row's key.
struct Cursor {
    SortField sort;
    bool descending;
    std::string key;
    int64_t id;
};
std::string encode_cursor(const Cursor& cursor);
//! The sort a `sort` parameter or cursor names ("lifetime_value"), without its direction.
std::optional<SortField> parse_sort_field(std::string_view name);
//! nullopt when the text is not a cursor of ours.
std::optional<Cursor> decode_cursor(std::string_view text);

struct ListQuery {
    int limit = 50;
    SortField sort = SortField::created_at;
    bool descending = true;
    std::optional<Cursor> after;
    bool deleted = false;  //!< the archive instead of live customers
    std::optional<std::string> email, phone, gender, locale, country, city, postal_code;
    std::optional<std::string> created_from, created_to;  //!< normalised timestamps
    // Seed 000's filters: ids as text (bound like the others), and portal access.
    std::optional<std::string> account_type, company_id, industry_id, responsible_id, tag_id;
    std::optional<bool> portal_access;
    // The value figures (orders/): integers and timestamps as text, bound like the others.
    std::optional<std::string> min_lifetime_value, max_lifetime_value, min_order_count;
    std::optional<std::string> last_order_from, last_order_to, loyalty_tier;
    std::optional<std::string> q;  //!< case-folded search term
    bool total = false;
};

struct ListPage {
    std::vector<Customer> customers;
    std::optional<std::string> next_cursor;
    std::optional<int64_t> total;
};

ListPage list(store::Tx& tx, const ListQuery& query);

enum class GroupBy { account_type, company, industry, tag };
struct Group {
    std::optional<int64_t> id;  //!< the company, industry or tag; nullopt for "none"
    std::string key;            //!< the account type, or the id as text ("" for none)
    std::string label;
    int64_t count = 0;
};
//! How many customers matching `query` (its filters and search; not its page) fall in each group,
//! largest first, at most `limit` groups.
std::vector<Group> count_groups(store::Tx& tx, const ListQuery& query, GroupBy by, int limit);

}  // namespace clientele::customers
