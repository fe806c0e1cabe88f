// orders/ and core/currency: ISO 4217 exponents, exact exchange-rate maths, the totals check, the
// transition table and the refund rules.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/currency.hpp"
#include "core/error.hpp"
#include "orders/model.hpp"

using namespace clientele;
using namespace clientele::orders;

namespace {
OrderInput input(std::string_view json) {
    return parse_order(boost::json::parse(json).as_object());
}
// The one field error `fn` throws, as "field: message"; "" when it throws none.
template <class F>
std::string error_of(F fn) {
    try {
        fn();
    } catch (const Error& e) {
        if (e.errors().size() != 1) {
            return "several: " + std::to_string(e.errors().size());
        }
        return e.errors()[0].field + ": " + e.errors()[0].message;
    }
    return "";
}
constexpr std::string_view base_order =
    R"({"number": "SO-1", "currency": "USD", "placed_at": "2026-05-01T10:00:00Z", "lines": [)"
    R"({"name": "A", "quantity": 2, "unit_price": 1000, "tax": 200, "discount": 100},)"
    R"({"name": "B", "quantity": 1, "unit_price": 550, "tax": 50}], )";
std::string order(std::string_view tail) {
    return std::string(base_order) + std::string(tail) + "}";
}
}  // namespace

TEST(Currency, IsoCodesWithTheirExponents) {
    ASSERT_NE(find_currency("USD"), nullptr);
    EXPECT_EQ(find_currency("USD")->exponent, 2);
    EXPECT_EQ(currency_exponent("JPY"), 0);
    EXPECT_EQ(currency_exponent("KWD"), 3);
    EXPECT_EQ(currency_exponent("CLF"), 4);
    EXPECT_EQ(currency_exponent("EUR"), 2);
    EXPECT_EQ(find_currency("usd"), nullptr);
    EXPECT_EQ(find_currency("XYZ"), nullptr);
    EXPECT_THROW(currency_exponent("XYZ"), std::invalid_argument);
    EXPECT_GT(currencies().size(), 150u);
}

TEST(Currency, RatesAreReadAsDecimals) {
    EXPECT_EQ(parse_rate("1.0834"), (Rate{10834, 4}));
    EXPECT_EQ(parse_rate("1.0834E0"), (Rate{10834, 4}));  // a JSON number, written back
    EXPECT_EQ(parse_rate("25"), (Rate{25, 0}));
    EXPECT_EQ(parse_rate("1.50"), (Rate{15, 1}));
    EXPECT_EQ(parse_rate("3e-4"), (Rate{3, 4}));
    EXPECT_EQ(parse_rate("1.2E2"), (Rate{120, 0}));
    EXPECT_EQ(parse_rate(".5"), (Rate{5, 1}));
    EXPECT_EQ(parse_rate("0.000000000000000001"), (Rate{1, 18}));
    for (std::string_view bad : {"", "0", "0.000", "-1", "+1", "1.", "abc", "1,5", "1e", "1e1000",
                                 "1.1234567890123456789", "0.0000000000000000001", "1 "}) {
        EXPECT_EQ(parse_rate(bad), std::nullopt) << bad;
    }
    EXPECT_EQ(format_rate({10834, 4}), "1.0834");
    EXPECT_EQ(format_rate({3, 4}), "0.0003");
    EXPECT_EQ(format_rate({25, 0}), "25");
}

TEST(Currency, ConversionRoundsHalfAwayFromZero) {
    auto rate = [](std::string_view text) { return *parse_rate(text); };
    EXPECT_EQ(convert_amount(1000, rate("1.0834"), 2, 2), 1083);  // 1083.4
    EXPECT_EQ(convert_amount(1000, rate("1.0835"), 2, 2), 1084);  // 1083.5
    EXPECT_EQ(convert_amount(-1000, rate("1.0835"), 2, 2), -1084);
    EXPECT_EQ(convert_amount(333, rate("1.5"), 2, 2), 500);      // 499.5
    EXPECT_EQ(convert_amount(1000, rate("0.0067"), 0, 2), 670);  // ¥1000 in cents
    EXPECT_EQ(convert_amount(1000, rate("3.25"), 3, 2), 325);    // 1.000 KWD in cents
    EXPECT_EQ(convert_amount(5, rate("0.1"), 2, 0), 0);          // 0.005 units
    EXPECT_EQ(convert_amount(50, rate("1"), 2, 0), 1);           // 0.5 units
    // 0.1 has no exact binary form: decimal maths gets 3 × 0.1 = 0.3 exactly.
    EXPECT_EQ(convert_amount(3, rate("0.1"), 2, 3), 3);
    EXPECT_EQ(convert_amount(INT64_MAX, rate("1"), 2, 2), INT64_MAX);
    EXPECT_EQ(convert_amount(INT64_MAX, rate("2"), 2, 2), std::nullopt);
    EXPECT_EQ(convert_amount(10'000'000'000'000, rate("999999999999999999"), 2, 4), std::nullopt);
}

TEST(Orders, TotalsAddUp) {
    // subtotal = 2 × 1000 − 100 + 550 = 2450; tax = 250.
    Totals t = check_totals(input(order(R"("shipping": 300, "discount": 50, "total": 2950)")));
    EXPECT_EQ(t.subtotal, 2450);
    EXPECT_EQ(t.tax, 250);
    EXPECT_EQ(t.total, 2950);
    EXPECT_EQ(error_of([] { check_totals(input(order(R"("total": 2701)"))); }),
              "total: must be 2700 (subtotal 2450 - discount 0 + tax 250 + shipping 0)");
    EXPECT_EQ(error_of([] { check_totals(input(order(R"("tax": 300, "total": 2750)"))); }),
              "tax: must be 250, the sum of the lines' tax");
    EXPECT_EQ(error_of([] { check_totals(input(order(R"("discount": 2451, "total": 0)"))); }),
              "discount: must not exceed the subtotal (2450)");
    // Order tax for lines without any.
    auto untaxed =
        input(R"({"number": "SO-2", "currency": "USD", "placed_at": "2026-05-01", "tax": 70,)"
              R"( "lines": [{"name": "A", "quantity": 1, "unit_price": 700}], "total": 770})");
    EXPECT_EQ(check_totals(untaxed).total, 770);
}

TEST(Orders, SumsNeverOverflow) {
    std::string line = R"({"name": "A", "quantity": 1000000, "unit_price": 9000000000000})";
    std::string body = R"({"number": "SO-3", "currency": "USD", "placed_at": "2026-05-01",)"
                       R"( "lines": [)" +
                       line + "," + line + R"(], "total": 0})";
    EXPECT_EQ(error_of([&] { check_totals(input(body)); }),
              "lines: makes the order's sums too large");
    EXPECT_EQ(error_of([] {
                  input(R"({"number": "SO-4", "currency": "USD", "placed_at": "2026-05-01",)"
                        R"( "lines": [{"name": "A", "quantity": 1000000,)"
                        R"( "unit_price": 10000000000000}], "total": 0})");
              }),
              "lines.0.unit_price: × quantity is too large");
}

TEST(Orders, BodiesAreStrict) {
    EXPECT_EQ(error_of([] { input(order(R"("total": 1, "note": "x")")); }),
              "note: is not a known field");
    EXPECT_EQ(error_of([] { input(order(R"("total": "1")")); }), "total: must be an integer");
    EXPECT_EQ(error_of([] { input(order(R"("total": 1, "exchange_rate": "1,5")")); }),
              "exchange_rate: must be a positive decimal number (a JSON number or a string such "
              "as \"1.0834\"), at most 18 significant digits");
    auto in = input(order(R"("total": 1, "exchange_rate": 1.0834, "placed_at": "2026-05-01")"));
    EXPECT_EQ(in.exchange_rate, (Rate{10834, 4}));
    EXPECT_EQ(in.placed_at, "2026-05-01T00:00:00.000Z");
    EXPECT_EQ(in.status, "pending");
}

TEST(Orders, TransitionTable) {
    EXPECT_TRUE(can_change(pending, paid));
    EXPECT_TRUE(can_change(paid, refunded));
    EXPECT_TRUE(can_change(fulfilled, partially_refunded));
    EXPECT_FALSE(can_change(pending, refunded));
    EXPECT_FALSE(can_change(fulfilled, cancelled));
    EXPECT_FALSE(can_change(cancelled, paid));
    EXPECT_FALSE(can_change(refunded, partially_refunded));
    EXPECT_TRUE(can_reach(pending, refunded));  // a push may skip steps
    EXPECT_TRUE(can_reach(paid, paid));
    EXPECT_FALSE(can_reach(cancelled, paid));
    EXPECT_FALSE(can_reach(fulfilled, pending));
    EXPECT_TRUE(is_counted(partially_refunded) && is_counted(refunded) && !is_counted(cancelled));
}

TEST(Orders, RefundRules) {
    EXPECT_EQ(refunded_for(partially_refunded, 1000, 300, 0), 300);
    EXPECT_EQ(refunded_for(refunded, 1000, std::nullopt, 300), 1000);
    EXPECT_EQ(refunded_for(paid, 1000, std::nullopt, 0), 0);
    EXPECT_EQ(error_of([] { refunded_for(partially_refunded, 1000, std::nullopt, 0); }),
              "refunded_amount: is required with status partially_refunded");
    EXPECT_EQ(error_of([] { refunded_for(partially_refunded, 1000, 1000, 0); }),
              "refunded_amount: must be more than 0 and less than the total (1000) for a partial "
              "refund");
    EXPECT_EQ(error_of([] { refunded_for(refunded, 1000, 999, 0); }),
              "refunded_amount: must be the total (1000) for a full refund");
    try {
        refunded_for(partially_refunded, 1000, 200, 300);
        FAIL() << "a refund went down";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Code::conflict);
        EXPECT_EQ(e.errors()[0].field, "refunded_amount");
    }
}
