// Keyset pages of tables listed in id order (clients, a workspace's users): a page is `limit` rows,
// read with one more to learn whether another page follows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.hpp"

namespace clientele::store {

template <class Row>
struct IdPage {
    std::vector<Row> rows;
    std::optional<int64_t> next_after;  //!< the id of the page's last row, when more follow
};

//! Binds `args` and then `limit + 1` to `q` (whose SQL ends in `LIMIT ?`), reads the rows with
//! `read` (a function of the Query, or a table of columns), and keeps the extra row only as the
//! sign of a next page.
template <class Read>
auto read_id_page(Query q, const std::vector<std::string>& args, int limit, const Read& read) {
    IdPage<decltype(read(q))> page;
    for (const auto& arg : args) {
        q.bind(arg);
    }
    q.bind(int64_t(limit) + 1);
    while (q.step()) {
        page.rows.push_back(read(q));
    }
    if (page.rows.size() > size_t(limit)) {
        page.rows.resize(size_t(limit));
        page.next_after = page.rows.back().id;
    }
    return page;
}

}  // namespace clientele::store
