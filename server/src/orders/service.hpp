// The orders area's rules and transactions. Each function runs inside a workspace transaction
// (store::Tx with a tenant). Every change keeps its customer's value figures up to date by deltas
// in the same transaction, tells loyalty by a job (kind "loyalty.order_changed") and records its
// audit entry.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "customers/model.hpp"
#include "orders/model.hpp"

namespace clientele::store {
class Tx;
}

namespace clientele::orders {

//! The job loyalty/ runs for an order whose status, amounts or customer changed.
inline constexpr const char* order_changed_job = "loyalty.order_changed";

//! The order with this id in the transaction's workspace, with its lines.
std::optional<Order> find(store::Tx& tx, int64_t id);
//! The same, 404 when there is none and 412 when `expected_version` is given and stale.
Order require(store::Tx& tx, int64_t id, std::optional<int64_t> expected_version = {});

struct Pushed {
    Order order;
    bool created = false;
};
//! Creates the order, or updates the one with its number (lines, totals, status, customer; a
//! status only the transition table reaches, else 409). 422 for a customer_id that is no live
//! customer, totals that do not add up, an exchange rate missing or not needed. Records
//! `order.created` / `order.updated`.
Pushed push(store::Tx& tx, const OrderInput& input, int64_t created_by);

//! PATCH: a status change or refund along the transition table (409 otherwise; the same status
//! with the same amount is no change). Records `order.status_changed` or `order.refunded`.
Order change_status(store::Tx& tx, int64_t id, const StatusChange& change,
                    std::optional<int64_t> expected_version);
//! True when `change` would leave `order` as it is (the same status and refunded amount).
bool is_no_change(const Order& order, const StatusChange& change);

//! Gives the guest orders with this e-mail to the customer (the customer_email_set hook).
void attach_guest_orders(store::Tx& tx, int64_t customer_id, const std::string& email);

//! The latest orders of a customer but cancelled ones, newest first (seed 002's purchase
//! history): one query on the orders_by_customer index.
std::vector<customers::Purchase> purchase_history(store::Tx& tx, int64_t customer_id,
                                                  int limit = 20);

struct ListQuery {
    int limit = 50;
    std::optional<int64_t> customer_id;
    std::optional<std::string> status, currency, number, placed_from, placed_to;
    //! The cursor: the last row's placed_at and id.
    std::optional<std::pair<std::string, int64_t>> after;
};
struct ListPage {
    std::vector<Order> orders;  //!< without their lines
    std::optional<std::string> next_cursor;
};
//! Orders newest placed_at first.
ListPage list(store::Tx& tx, const ListQuery& query);
//! A page's cursor text and back; nullopt for text that is not one of ours.
std::string encode_cursor(const std::string& placed_at, int64_t id);
std::optional<std::pair<std::string, int64_t>> decode_cursor(std::string_view text);

}  // namespace clientele::orders
