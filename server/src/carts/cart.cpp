#include "carts/cart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/currency.hpp"
#include "core/formats.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"

namespace clientele::carts {

namespace json = boost::json;

namespace {

std::optional<Line> read_line(const json::value& item, const std::string& prefix,
                              std::vector<FieldError>& errors) {
    if (!item.is_object()) {
        errors.push_back({prefix, "must be an object"});
        return std::nullopt;
    }
    size_t before = errors.size();
    ObjectReader in(item.get_object(), prefix, errors);
    auto sku = in.string("sku", {.min = 1, .max = 200});
    auto name = in.string("name", {.min = 1, .max = 200, .nullable = false});
    auto quantity = in.integer("quantity", 1, max_quantity);
    auto unit_price = in.integer("unit_price", 0, max_unit_price);
    in.finish();
    in.require("name", name);
    in.require("quantity", quantity);
    in.require("unit_price", unit_price);
    if (errors.size() != before) {
        return std::nullopt;
    }
    Line line;
    if (sku.has_value()) {
        line.sku = sku.value;
    }
    line.name = name.value;
    line.quantity = quantity.value;
    line.unit_price = unit_price.value;
    return line;
}

// The line of `lines` that `line` adds to: the same sku, or without skus the same name.
std::vector<Line>::iterator same_item(std::vector<Line>& lines, const Line& line) {
    return std::find_if(lines.begin(), lines.end(), [&](const Line& l) {
        return line.sku ? l.sku == line.sku : !l.sku && l.name == line.name;
    });
}

}  // namespace

bool valid_guest_key(std::string_view key) {
    return !key.empty() && key.size() <= max_guest_key &&
           std::all_of(key.begin(), key.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
           });
}

CartInput parse_input(const json::object& body, bool guest) {
    std::vector<FieldError> errors;
    ObjectReader in(body, "", errors);
    Input<std::string> email;
    if (guest) {
        email = in.string("email", {.min = 1, .max = 254});
    }
    auto currency = in.string("currency", {.min = 1, .max = 3, .nullable = false});
    auto lines = in.array("lines");
    in.finish();
    in.require("lines", lines);
    CartInput out;
    if (email.has_value()) {
        if (!is_valid_email(email.value)) {
            in.fail("email", "must be a valid email address");
        }
        out.email = ascii_lower(email.value);
    }
    if (lines.value && lines.value->size() > max_lines) {
        in.fail("lines", fmt::format("must have at most {} lines", max_lines));
    } else if (lines.value) {  // an array (anything else is reported)
        for (size_t i = 0; i < lines.value->size(); ++i) {
            if (auto line = read_line((*lines.value)[i], fmt::format("lines.{}", i), errors)) {
                out.lines.push_back(std::move(*line));
            }
        }
        if (errors.empty() && !subtotal(out.lines)) {
            in.fail("lines", "add up to more than a cart can hold");
        }
    }
    if (currency.has_value()) {
        if (!find_currency(currency.value)) {
            in.fail("currency", "must be an ISO 4217 currency code in upper case (EUR)");
        }
        out.currency = currency.value;
    } else if (lines.value && !lines.value->empty()) {
        // An empty cart needs no currency: it clears the cart.
        in.fail("currency", "is required");
    }
    throw_if_invalid(errors);
    return out;
}

std::optional<int64_t> subtotal(const std::vector<Line>& lines) {
    int64_t sum = 0;
    for (const Line& line : lines) {
        int64_t amount = 0;
        if (__builtin_mul_overflow(line.quantity, line.unit_price, &amount) ||
            __builtin_add_overflow(sum, amount, &sum)) {
            return std::nullopt;
        }
    }
    return sum;
}

int64_t item_count(const std::vector<Line>& lines) {
    int64_t count = 0;
    for (const Line& line : lines) {
        count += line.quantity;
    }
    return count;
}

bool merge_lines(std::vector<Line>& into, const std::vector<Line>& from) {
    std::vector<Line> merged = into;
    for (const Line& line : from) {
        auto it = same_item(merged, line);
        if (it == merged.end()) {
            merged.push_back(line);
        } else {
            it->quantity += line.quantity;
            if (it->quantity > max_quantity) {
                return false;
            }
        }
    }
    if (merged.size() > max_lines || !subtotal(merged)) {
        return false;
    }
    into = std::move(merged);
    return true;
}

json::object to_json(const Cart& cart) {
    json::object out;
    out["id"] = cart.id ? json::value(cart.id) : nullptr;
    if (cart.guest_key) {
        out["guest_key"] = *cart.guest_key;
    } else {
        out["customer_id"] = cart.customer_id ? json::value(*cart.customer_id) : nullptr;
        out["customer_name"] =
            cart.customer_name ? json::value(*cart.customer_name) : json::value(nullptr);
    }
    out["email"] = cart.email.empty() ? json::value(nullptr) : json::value(cart.email);
    out["currency"] = cart.currency.empty() ? json::value(nullptr) : json::value(cart.currency);
    json::array lines;
    for (const Line& line : cart.lines) {
        json::object o{{"sku", line.sku ? json::value(*line.sku) : json::value(nullptr)},
                       {"name", line.name},
                       {"quantity", line.quantity},
                       {"unit_price", line.unit_price}};
        lines.push_back(std::move(o));
    }
    out["lines"] = std::move(lines);
    out["subtotal"] = subtotal(cart.lines).value_or(0);
    out["item_count"] = item_count(cart.lines);
    out["version"] = cart.version;
    out["created_at"] = cart.created_at ? json::value(*cart.created_at) : nullptr;
    out["updated_at"] = cart.updated_at ? json::value(*cart.updated_at) : nullptr;
    return out;
}

std::string lines_text(const std::vector<Line>& lines) {
    json::array out;
    for (const Line& line : lines) {
        json::object o{
            {"name", line.name}, {"quantity", line.quantity}, {"unit_price", line.unit_price}};
        if (line.sku) {
            o["sku"] = *line.sku;
        }
        out.push_back(std::move(o));
    }
    return json::serialize(out);
}

std::vector<Line> lines_from_text(std::string_view text) {
    std::vector<Line> lines;
    json::value stored = json::parse(text);
    for (const json::value& item : stored.as_array()) {
        const json::object& o = item.as_object();
        Line line;
        if (auto sku = o.if_contains("sku")) {
            line.sku = std::string(sku->as_string());
        }
        line.name = o.at("name").as_string();
        line.quantity = o.at("quantity").as_int64();
        line.unit_price = o.at("unit_price").as_int64();
        lines.push_back(std::move(line));
    }
    return lines;
}

}  // namespace clientele::carts
