// What a signed-in customer sees of their purchases in the portal: their orders (a page, newest
// first, and one order with its lines) and their loyalty points (balance, tier, the next expiry
// and the ledger's entries), read through the orders and loyalty areas' own functions and shown
// without what is the business's own (base amounts, exchange rates, staff ids).
#pragma once

#include "area.hpp"

namespace clientele::portal {

//! GET /api/portal/{workspace}/orders, …/orders/{id} and …/loyalty.
void register_purchase_routes(http::Router& router);

}  // namespace clientele::portal
