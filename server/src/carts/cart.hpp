// A cart (seed 002's Cart module): what a customer (or a guest, by the shop's own cart key) has
// put in their basket so far, as the shop sends it. Lines are kept as sent: the shop owns prices;
// Clientele only checks them, adds them up and merges a guest's cart into the customer's.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clientele::carts {

//! Limits of one cart (docs/api.md, "Carts").
inline constexpr size_t max_lines = 200;
inline constexpr int64_t max_quantity = 1'000'000;
inline constexpr int64_t max_unit_price = 10'000'000'000'000;  // 10^13 minor units
inline constexpr size_t max_guest_key = 100;

struct Line {
    std::optional<std::string> sku;  //!< the shop's product code; lines without one match by name
    std::string name;
    int64_t quantity = 1;
    int64_t unit_price = 0;  //!< minor units of the cart's currency

    bool operator==(const Line&) const = default;
};

//! An open cart as stored. A customer without one has the empty cart: id 0, no lines, version 0,
//! no timestamps.
struct Cart {
    int64_t id = 0;
    std::optional<int64_t> customer_id;        //!< set for a customer's cart
    std::optional<std::string> customer_name;  //!< read with a customer's cart, never written
    std::optional<std::string> guest_key;      //!< set for a guest cart
    //! A guest cart's e-mail, lower-case; a customer's cart shows the customer's; "" none.
    std::string email;
    std::string currency;
    std::vector<Line> lines;
    int64_t version = 0;
    std::optional<std::string> created_at, updated_at;
};

//! A PUT's body: the cart's whole new content. Empty `lines` clears the cart.
struct CartInput {
    std::optional<std::string> email;  //!< guest carts only
    std::string currency;              //!< "" only when lines is empty
    std::vector<Line> lines;
};

//! Reads a PUT body strictly (unknown fields, bad values: one 422 naming each field). `guest`
//! allows `email`.
CartInput parse_input(const boost::json::object& body, bool guest);

//! True for a guest cart key: 1..100 of [A-Za-z0-9_-].
bool valid_guest_key(std::string_view key);

//! Σ quantity × unit_price, or nullopt when it does not fit in 64 bits.
std::optional<int64_t> subtotal(const std::vector<Line>& lines);
//! Σ quantity (cannot overflow within the limits).
int64_t item_count(const std::vector<Line>& lines);

//! Adds `from`'s lines to `into`'s: the quantity of a line with the same sku (lines without a sku:
//! the same name) grows, other lines are appended in their order. Returns false, changing nothing,
//! when the result would break a limit (more lines, a larger quantity, a subtotal too large).
bool merge_lines(std::vector<Line>& into, const std::vector<Line>& from);

//! The cart's API form (docs/api.md, "Carts").
boost::json::object to_json(const Cart& cart);

//! The lines as stored (the carts.lines JSON column), and back.
std::string lines_text(const std::vector<Line>& lines);
std::vector<Line> lines_from_text(std::string_view text);

}  // namespace clientele::carts
