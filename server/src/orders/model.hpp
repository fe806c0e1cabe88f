// An order that a shop or ERP pushes in: its lines, its totals (checked), its status and refunds,
// its JSON form, and the rules for a request's fields.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/currency.hpp"
#include "store/columns.hpp"

namespace clientele::orders {

//! The statuses, in the API's spelling.
inline constexpr std::string_view pending = "pending", paid = "paid", fulfilled = "fulfilled",
                                  cancelled = "cancelled", refunded = "refunded",
                                  partially_refunded = "partially_refunded";

//! True for a known status.
bool is_status(std::string_view status);
//! An order in one of these statuses counts in its customer's value figures (it was paid).
bool is_counted(std::string_view status);
//! PATCH's transition table: may an order go from `from` to `to` in one step? (The same status
//! again is a no-op, allowed apart from this table.)
bool can_change(std::string_view from, std::string_view to);
//! A push may state any status the table reaches in steps (an ERP sends where the order is now).
bool can_reach(std::string_view from, std::string_view to);

struct Line {
    std::optional<std::string> sku;
    std::string name;
    int64_t quantity = 0, unit_price = 0, tax = 0, discount = 0;
    //! quantity × unit_price − discount + tax (checked when the order was accepted).
    int64_t total() const { return quantity * unit_price - discount + tax; }
    bool operator==(const Line&) const = default;
};

struct Order {
    int64_t id = 0;
    std::string number;
    std::optional<int64_t> customer_id;
    std::string customer_email;  //!< lower-case; "" none
    std::string currency;
    std::optional<std::string> exchange_rate;  //!< decimal text
    std::string status{pending};
    std::vector<Line> lines;
    int64_t subtotal = 0, discount = 0, tax = 0, shipping = 0, total = 0, refunded_amount = 0;
    int64_t base_total = 0, base_refunded = 0;
    bool counted = false;
    std::string placed_at;
    std::optional<std::string> paid_at, fulfilled_at;
    int64_t version = 1;
    std::string created_at, updated_at;
};

//! An order's columns (store/columns.hpp), read from `orders o`; lines are read separately.
const store::Columns<Order>& order_columns();

//! The API form; `base_currency` is the workspace's. Lists leave the lines out.
boost::json::object to_json(const Order& order, std::string_view base_currency,
                            bool with_lines = true);

//! A checked POST /api/orders body.
struct OrderInput {
    std::string number;
    std::optional<int64_t> customer_id;
    std::string customer_email;  //!< lower-case; "" none
    std::string currency;
    std::optional<Rate> exchange_rate;
    std::string status{pending};
    std::optional<int64_t> refunded_amount;
    std::string placed_at;  //!< normalised timestamp
    std::vector<Line> lines;
    std::optional<int64_t> tax;  //!< absent: the lines' tax
    int64_t discount = 0, shipping = 0, total = 0;
};

//! The limits of a body (docs/api.md "Orders").
inline constexpr size_t max_lines = 500;
inline constexpr size_t max_text = 200;
inline constexpr int64_t max_quantity = 1'000'000;
inline constexpr int64_t max_amount = 10'000'000'000'000;  // 10^13 minor units

//! Reads and checks a body's fields (types, limits, unknown fields): one 422 naming every bad one.
OrderInput parse_order(const boost::json::object& body);

//! The figures an accepted order stores.
struct Totals {
    int64_t subtotal = 0, tax = 0, total = 0;
};
//! Checks the sums (with overflow-safe arithmetic): subtotal = Σ (quantity × unit_price − line
//! discount); `tax` absent is Σ line tax, present it must equal that when lines carry tax; `total`
//! must equal subtotal − discount + tax + shipping. 422 on the field, saying the expected value.
Totals check_totals(const OrderInput& input);

//! A checked PATCH /api/orders/{id} body.
struct StatusChange {
    std::string status;
    std::optional<int64_t> refunded_amount;
};
StatusChange parse_status_change(const boost::json::object& body);

//! The refunded amount an order in `status` with `total` must have, given what a request sent
//! (`sent`) and what it had (`before`): 422 on refunded_amount when the request's is not one the
//! status allows, 409 when it would go down.
int64_t refunded_for(std::string_view status, int64_t total, std::optional<int64_t> sent,
                     int64_t before);

}  // namespace clientele::orders
