// The customers API (seed 002 and docs/api.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "area.hpp"
#include "customers/search.hpp"
#include "customers/service.hpp"

namespace clientele::customers {

void register_routes(http::Router& router, App& app);

//! The list's query parameters (GET /api/customers: filters, q, sort, limit, cursor, total) as a
//! ListQuery; one 422 naming every bad parameter. `extra` names one more parameter the caller
//! takes (GET /api/customers/groups: `by`); its value goes to `extra_value`. Exports read their
//! filter through it too.
ListQuery parse_list_query(const std::vector<std::pair<std::string, std::string>>& params,
                           std::string_view extra = {},
                           std::optional<std::string>* extra_value = nullptr);

}  // namespace clientele::customers
