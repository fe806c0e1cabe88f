// A customer's typed addresses (seed 000's Address tab): permanent, present, invoice, delivery and
// other, each with a full name, e-mail, phones and a complete postal address. A customer has at
// most one default invoice address and one default delivery address.
#pragma once

#include "area.hpp"

namespace clientele::customers {

void register_address_routes(http::Router& router, App& app);

}  // namespace clientele::customers
