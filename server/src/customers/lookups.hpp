// A workspace's own lists that customers refer to: titles (Mr., Dr.), industries and tags. One
// mechanism serves all three: a list of {id, name, <detail>} per workspace, names unique in any
// case, with CRUD routes under /api/customer-titles, /api/industries and /api/tags. Countries and
// their subdivisions (for address forms) are served here too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "area.hpp"

namespace clientele::customers {

struct LookupKind {
    std::string_view table;      //!< SQL table: customer_titles, industries, tags
    std::string_view path;       //!< /api/customer-titles
    std::string_view noun;       //!< "title", for messages
    std::string_view detail;     //!< the second field: short_name, full_name, color
    size_t detail_max;           //!< its longest value, in characters
    std::string_view link;       //!< the customers column referring to it ("" for tags)
    std::string_view seed_from;  //!< the table of rows every workspace starts with ("" for none)
};

extern const LookupKind titles;
extern const LookupKind industries;
extern const LookupKind tags;

struct LookupEntry {
    int64_t id = 0;
    std::string name;
    std::string detail;
};

//! The entry with this id in the transaction's workspace.
std::optional<LookupEntry> find_entry(store::Tx& tx, const LookupKind& kind, int64_t id);

//! Copies the seeded titles and industries into a new workspace (`tx` scoped to it).
void seed_workspace_lists(store::Tx& tx);

void register_lookup_routes(http::Router& router, App& app);

}  // namespace clientele::customers
