// Carts in the store: a customer's open cart (one at most: a unique index, written by upsert),
// guest carts by the shop's key, merging a guest cart into a customer's, and the list of
// customers' carts that the admin reads for abandoned ones. Every function runs in a workspace
// transaction and records what it changes in the audit trail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "carts/cart.hpp"

namespace clientele::store {
class Tx;
}

namespace clientele::carts {

//! The open cart of live customer `customer_id` (the empty cart when none); 404 without one.
Cart customer_cart(store::Tx& tx, int64_t customer_id);
//! Gives the customer's cart the content of `input` (empty lines: no cart), after the version
//! check of `expected` (If-Match, 412). Records `cart.updated` (or `cart.cleared`).
Cart put_customer_cart(store::Tx& tx, int64_t customer_id, const CartInput& input,
                       std::optional<int64_t> expected);
//! Removes the customer's cart (after checkout). Records `cart.cleared`.
void clear_customer_cart(store::Tx& tx, int64_t customer_id);

//! The guest cart `key`, if there is one.
std::optional<Cart> guest_cart(store::Tx& tx, const std::string& key);
//! Gives the guest cart `key` the content of `input` (empty lines: no cart; returned empty).
//! Records `cart.updated` (or `cart.cleared`).
Cart put_guest_cart(store::Tx& tx, const std::string& key, const CartInput& input);

//! Merges the guest cart `key` into the customer's cart and removes it. 404 when there is no
//! such guest cart or customer; 409 when the carts' currencies differ or the merged cart would
//! break a limit. Records `cart.merged`.
Cart merge_guest_cart(store::Tx& tx, int64_t customer_id, const std::string& key);

//! The customer_email_set hook: the guest carts with that e-mail merge into the customer's cart,
//! oldest first; one that cannot (another currency, limits) stays for an explicit merge.
void merge_guest_carts_of(store::Tx& tx, int64_t customer_id, const std::string& email);

struct ListQuery {
    int limit = 50;
    std::optional<std::string> updated_before;  //!< a stored timestamp: carts untouched since
    //! The cursor: the last row's updated_at and id (the orders list's cursor form).
    std::optional<std::pair<std::string, int64_t>> after;
};
struct ListPage {
    std::vector<Cart> carts;
    std::optional<std::string> next_cursor;
};
//! Live customers' carts, least recently updated first.
ListPage list(store::Tx& tx, const ListQuery& query);

}  // namespace clientele::carts
