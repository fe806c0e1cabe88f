#include "orders/model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "core/formats.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

namespace clientele::orders {

namespace json = boost::json;

namespace {
constexpr std::array<std::string_view, 6> statuses{pending,   paid,     fulfilled,
                                                   cancelled, refunded, partially_refunded};

// PATCH's transition table (docs/api.md "Orders"): cancelled and refunded are final.
struct Transition {
    std::string_view from, to;
};
constexpr std::array<Transition, 10> transitions{{
    {pending, paid},
    {pending, fulfilled},
    {pending, cancelled},
    {paid, fulfilled},
    {paid, partially_refunded},
    {paid, refunded},
    {paid, cancelled},
    {fulfilled, partially_refunded},
    {fulfilled, refunded},
    {partially_refunded, refunded},
}};

// a + b and a × b, or a 422 on `field` when they leave int64.
int64_t add(int64_t a, int64_t b, std::string_view field) {
    int64_t out = 0;
    if (__builtin_add_overflow(a, b, &out)) {
        throw field_error(std::string(field), "makes the order's sums too large");
    }
    return out;
}
int64_t multiply(int64_t a, int64_t b, std::string_view field) {
    int64_t out = 0;
    if (__builtin_mul_overflow(a, b, &out)) {
        throw field_error(std::string(field), "makes the order's sums too large");
    }
    return out;
}
}  // namespace

bool is_status(std::string_view status) {
    return std::find(statuses.begin(), statuses.end(), status) != statuses.end();
}

bool is_counted(std::string_view status) {
    return status == paid || status == fulfilled || status == partially_refunded ||
           status == refunded;
}

bool can_change(std::string_view from, std::string_view to) {
    return std::any_of(transitions.begin(), transitions.end(),
                       [&](const Transition& t) { return t.from == from && t.to == to; });
}

bool can_reach(std::string_view from, std::string_view to) {
    if (from == to || can_change(from, to)) {
        return true;
    }
    // The table has no cycle but partially_refunded's own step: a short search ends.
    return std::any_of(transitions.begin(), transitions.end(), [&](const Transition& t) {
        return t.from == from && t.to != from && can_reach(t.to, to);
    });
}

const store::Columns<Order>& order_columns() {
    using O = Order;
    using store::field;
    static const auto columns = [] {
        store::Columns<Order> c;
        c.add(field<&O::id>("o.id"))
            .add(field<&O::number>("o.number", "number"))
            .add(field<&O::customer_id>("o.customer_id", "customer_id"))
            .add(field<&O::customer_email>("o.customer_email", "customer_email"))
            .add(field<&O::currency>("o.currency", "currency"))
            .add(field<&O::exchange_rate>("o.exchange_rate", "exchange_rate"))
            .add(field<&O::status>("o.status", "status"))
            .add(field<&O::subtotal>("o.subtotal", "subtotal"))
            .add(field<&O::discount>("o.discount", "discount"))
            .add(field<&O::tax>("o.tax", "tax"))
            .add(field<&O::shipping>("o.shipping", "shipping"))
            .add(field<&O::total>("o.total", "total"))
            .add(field<&O::refunded_amount>("o.refunded_amount", "refunded_amount"))
            .add(field<&O::base_total>("o.base_total", "base_total"))
            .add(field<&O::base_refunded>("o.base_refunded", "base_refunded"))
            .add(field<&O::counted>("o.counted", "counted"))
            .add(field<&O::placed_at>("o.placed_at", "placed_at"))
            .add(field<&O::paid_at>("o.paid_at", "paid_at"))
            .add(field<&O::fulfilled_at>("o.fulfilled_at", "fulfilled_at"))
            .add(field<&O::version>("o.version"))
            .add(field<&O::created_at>("o.created_at"))
            .add(field<&O::updated_at>("o.updated_at"));
        return c;
    }();
    return columns;
}

json::object to_json(const Order& o, std::string_view base_currency, bool with_lines) {
    auto text_or_null = [](const std::optional<std::string>& text) {
        return text ? json::value(*text) : json::value();
    };
    json::object out{
        {"id", o.id},
        {"number", o.number},
        {"customer_id", o.customer_id ? json::value(*o.customer_id) : json::value()},
        {"customer_email",
         o.customer_email.empty() ? json::value() : json::value(o.customer_email)},
        {"currency", o.currency},
        {"exchange_rate", text_or_null(o.exchange_rate)},
        {"status", o.status},
    };
    if (with_lines) {
        json::array lines;
        for (const Line& l : o.lines) {
            lines.push_back(json::object{{"sku", text_or_null(l.sku)},
                                         {"name", l.name},
                                         {"quantity", l.quantity},
                                         {"unit_price", l.unit_price},
                                         {"tax", l.tax},
                                         {"discount", l.discount},
                                         {"total", l.total()}});
        }
        out["lines"] = std::move(lines);
    }
    out["subtotal"] = o.subtotal;
    out["discount"] = o.discount;
    out["tax"] = o.tax;
    out["shipping"] = o.shipping;
    out["total"] = o.total;
    out["refunded_amount"] = o.refunded_amount;
    out["base_currency"] = base_currency;
    out["base_total"] = o.base_total;
    out["base_refunded"] = o.base_refunded;
    out["placed_at"] = o.placed_at;
    out["paid_at"] = text_or_null(o.paid_at);
    out["fulfilled_at"] = text_or_null(o.fulfilled_at);
    out["version"] = o.version;
    out["created_at"] = o.created_at;
    out["updated_at"] = o.updated_at;
    return out;
}

namespace {

const StringRule text_rule{.min = 1, .max = max_text, .nullable = false};

Line parse_line(const json::value& value, const std::string& prefix,
                std::vector<FieldError>& errors) {
    Line line;
    if (!value.is_object()) {
        errors.push_back({prefix, "must be an object"});
        return line;
    }
    ObjectReader in(value.get_object(), prefix, errors);
    auto sku = in.string("sku", {.max = max_text});
    auto name = in.string("name", text_rule);
    auto quantity = in.integer("quantity", 1, max_quantity);
    auto unit_price = in.integer("unit_price", 0, max_amount);
    auto tax = in.integer("tax", 0, max_amount);
    auto discount = in.integer("discount", 0, max_amount);
    in.require("name", name);
    in.require("quantity", quantity);
    in.require("unit_price", unit_price);
    in.finish();
    if (sku.has_value() && !sku.value.empty()) {
        line.sku = sku.value;
    }
    line.name = name.value;
    line.quantity = quantity.value;
    line.unit_price = unit_price.value;
    line.tax = tax.value;
    line.discount = discount.value;
    int64_t gross = 0;
    if (__builtin_mul_overflow(line.quantity, line.unit_price, &gross)) {
        in.fail("unit_price", "× quantity is too large");
    } else if (line.discount > gross) {
        in.fail("discount", "must not exceed quantity × unit_price");
    }
    return line;
}

}  // namespace

OrderInput parse_order(const json::object& body) {
    std::vector<FieldError> errors;
    ObjectReader in(body, "", errors);
    OrderInput out;
    auto number = in.string("number", text_rule);
    auto customer_id = in.integer("customer_id", 1, INT64_MAX, true);
    auto email = in.string("customer_email", {.max = 254});
    auto currency = in.string("currency", {.min = 1, .max = 3, .nullable = false});
    auto rate = in.any("exchange_rate");
    auto status = in.string("status", {.min = 1, .max = 50, .nullable = false});
    auto refunded_amount = in.integer("refunded_amount", 0, max_amount, true);
    auto placed_at = in.string("placed_at", {.min = 1, .max = 40, .nullable = false});
    auto lines = in.array("lines");
    auto tax = in.integer("tax", 0, max_amount, true);
    auto discount = in.integer("discount", 0, max_amount);
    auto shipping = in.integer("shipping", 0, max_amount);
    auto total = in.integer("total", 0, max_amount);
    in.require("number", number);
    in.require("currency", currency);
    in.require("placed_at", placed_at);
    in.require("lines", lines);
    in.require("total", total);
    in.finish();

    out.number = number.value;
    out.customer_id = customer_id.has_value() ? std::optional(customer_id.value) : std::nullopt;
    if (email.has_value() && !email.value.empty()) {
        if (!is_valid_email(email.value)) {
            in.fail("customer_email", "must be a valid email address");
        }
        out.customer_email = ascii_lower(email.value);
    }
    if (currency.has_value()) {
        out.currency = currency.value;
        if (!find_currency(out.currency)) {
            in.fail("currency", "must be an ISO 4217 currency code in upper case (USD, EUR, JPY)");
        }
    }
    if (rate.has_value()) {
        const json::value& v = *rate.value;
        std::optional<Rate> parsed;
        if (v.is_string()) {
            parsed = parse_rate(v.get_string());
        } else if (v.is_number()) {
            // Boost.JSON writes a number back in its shortest exact form ("1.0834E0"): the digits
            // the client sent, read as a decimal.
            parsed = parse_rate(json::serialize(v));
        }
        if (!parsed) {
            in.fail("exchange_rate",
                    "must be a positive decimal number (a JSON number or a string such as "
                    "\"1.0834\"), at most 18 significant digits");
        }
        out.exchange_rate = parsed;
    }
    if (status.has_value()) {
        out.status = status.value;
        if (!is_status(out.status)) {
            in.fail("status",
                    "must be pending, paid, fulfilled, cancelled, refunded or partially_refunded");
        }
    }
    if (refunded_amount.has_value()) {
        out.refunded_amount = refunded_amount.value;
    }
    if (placed_at.has_value()) {
        auto when = parse_timestamp(placed_at.value);
        if (!when) {
            in.fail("placed_at", "must be an ISO 8601 timestamp (2026-05-01T10:00:00Z)");
        } else {
            out.placed_at = format_timestamp(*when);
        }
    }
    if (lines.has_value() && lines.value) {  // null value: not an array (reported)
        const json::array& items = *lines.value;
        if (items.empty() || items.size() > max_lines) {
            in.fail("lines", fmt::format("must hold 1 to {} lines", max_lines));
        } else {
            for (size_t i = 0; i < items.size(); ++i) {
                out.lines.push_back(
                    parse_line(items[i], in.path("lines") + "." + std::to_string(i), errors));
            }
        }
    }
    if (tax.has_value()) {
        out.tax = tax.value;
    }
    out.discount = discount.value;
    out.shipping = shipping.value;
    out.total = total.value;
    throw_if_invalid(errors);
    return out;
}

Totals check_totals(const OrderInput& input) {
    Totals t;
    int64_t line_tax = 0;
    for (const Line& l : input.lines) {
        int64_t net = multiply(l.quantity, l.unit_price, "lines") - l.discount;
        add(net, l.tax, "lines");  // the line's total must fit as well
        t.subtotal = add(t.subtotal, net, "lines");
        line_tax = add(line_tax, l.tax, "lines");
    }
    if (input.tax && line_tax != 0 && *input.tax != line_tax) {
        throw field_error("tax", fmt::format("must be {}, the sum of the lines' tax", line_tax));
    }
    t.tax = input.tax.value_or(line_tax);
    if (input.discount > t.subtotal) {
        throw field_error("discount", fmt::format("must not exceed the subtotal ({})", t.subtotal));
    }
    int64_t expected =
        add(add(t.subtotal - input.discount, t.tax, "tax"), input.shipping, "shipping");
    if (input.total != expected) {
        throw field_error(
            "total", fmt::format("must be {} (subtotal {} - discount {} + tax {} + shipping {})",
                                 expected, t.subtotal, input.discount, t.tax, input.shipping));
    }
    t.total = expected;
    return t;
}

StatusChange parse_status_change(const json::object& body) {
    std::vector<FieldError> errors;
    ObjectReader in(body, "", errors);
    auto status = in.string("status", {.min = 1, .max = 50, .nullable = false});
    auto refunded_amount = in.integer("refunded_amount", 0, max_amount, true);
    in.require("status", status);
    in.finish();
    StatusChange out;
    if (status.has_value()) {
        out.status = status.value;
        if (!is_status(out.status)) {
            in.fail("status",
                    "must be pending, paid, fulfilled, cancelled, refunded or partially_refunded");
        }
    }
    if (refunded_amount.has_value()) {
        out.refunded_amount = refunded_amount.value;
    }
    throw_if_invalid(errors);
    return out;
}

int64_t refunded_for(std::string_view status, int64_t total, std::optional<int64_t> sent,
                     int64_t before) {
    int64_t amount = 0;
    if (status == partially_refunded) {
        if (!sent) {
            throw field_error("refunded_amount", "is required with status partially_refunded");
        }
        if (*sent <= 0 || *sent >= total) {
            throw field_error("refunded_amount",
                              fmt::format("must be more than 0 and less than the total ({}) for a "
                                          "partial refund",
                                          total));
        }
        amount = *sent;
    } else if (status == refunded) {
        if (sent && *sent != total) {
            throw field_error("refunded_amount",
                              fmt::format("must be the total ({}) for a full refund", total));
        }
        amount = total;
    } else if (sent && *sent != 0) {
        throw field_error("refunded_amount",
                          fmt::format("must be 0 unless the status is refunded or "
                                      "partially_refunded"));
    }
    if (amount < before) {
        throw Error(Code::conflict,
                    fmt::format("The refunded amount may not go down: it is {} already.", before),
                    {{"refunded_amount", fmt::format("must be at least {}", before)}});
    }
    return amount;
}

}  // namespace clientele::orders
