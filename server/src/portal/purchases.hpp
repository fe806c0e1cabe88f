// What a signed-in customer sees of their purchases in the portal: their orders (a page, newest
// first, and one order with its lines) and their loyalty points (balance, tier, the next expiry
// and the ledger's entries). Read-only views of the tables that orders/ and loyalty/ write; kept
// here, as the portal's own reads, while those areas have no read functions to share.
#pragma once

#include "area.hpp"

namespace clientele::portal {

//! GET /api/portal/{workspace}/orders, …/orders/{id} and …/loyalty.
void register_purchase_routes(http::Router& router);

}  // namespace clientele::portal
