// Workspace settings that its admins edit: the base currency that customer value figures are
// kept in (USD until changed). Stored in workspace_settings, one row per key.
#pragma once

#include <string>

namespace clientele::store {
class Tx;
}

namespace clientele::orders {

inline constexpr const char* default_base_currency = "USD";

//! The workspace's base currency.
std::string base_currency(store::Tx& tx);

//! Changes it (a known ISO 4217 code) and records `settings.updated`: 409 once the workspace has
//! orders, whose base amounts are in the current one.
void set_base_currency(store::Tx& tx, const std::string& code);

}  // namespace clientele::orders
