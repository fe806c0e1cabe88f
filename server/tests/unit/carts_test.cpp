// carts/cart: the strict reading of a cart, its sums, merging a guest cart's lines.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "carts/cart.hpp"
#include "core/error.hpp"

using namespace clientele;
using namespace clientele::carts;

namespace {

Line item(std::optional<std::string> sku, std::string name, int64_t quantity, int64_t price) {
    Line line;
    line.sku = std::move(sku);
    line.name = std::move(name);
    line.quantity = quantity;
    line.unit_price = price;
    return line;
}

// The fields a 422 names, in order.
std::vector<std::string> refused(std::string_view body, bool guest = false) {
    try {
        parse_input(boost::json::parse(body).as_object(), guest);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Code::validation_failed);
        std::vector<std::string> fields;
        for (const FieldError& f : e.errors()) {
            fields.push_back(f.field);
        }
        return fields;
    }
    return {};
}

}  // namespace

TEST(Carts, ReadsACartStrictly) {
    CartInput in = parse_input(
        boost::json::parse(
            R"({"currency":"EUR","lines":[{"sku":"A","name":" Shoe ","quantity":2,)"
            R"("unit_price":500},{"sku":null,"name":"Wrap","quantity":1,"unit_price":0}]})")
            .as_object(),
        false);
    EXPECT_EQ(in.currency, "EUR");
    ASSERT_EQ(in.lines.size(), 2u);
    EXPECT_EQ(in.lines[0], item("A", "Shoe", 2, 500));
    EXPECT_EQ(in.lines[1], item(std::nullopt, "Wrap", 1, 0));
    EXPECT_TRUE(
        parse_input(boost::json::parse(R"({"lines":[]})").as_object(), false).lines.empty());

    EXPECT_EQ(refused(R"({"lines":[],"email":"a@b.example"})"), std::vector<std::string>{"email"});
    EXPECT_EQ(refused(R"({"lines":[],"email":"not an address"})", true),
              std::vector<std::string>{"email"});
    EXPECT_EQ(refused(R"({"currency":"EUR"})"), std::vector<std::string>{"lines"});
    EXPECT_EQ(refused(R"({"currency":"EUR","lines":"x"})"), std::vector<std::string>{"lines"});
    EXPECT_EQ(refused(R"({"lines":[{"name":"A","quantity":1,"unit_price":1}]})"),
              std::vector<std::string>{"currency"});
    EXPECT_EQ(refused(R"({"currency":"eur","lines":[]})"), std::vector<std::string>{"currency"});
    EXPECT_EQ(refused(R"({"currency":"EUR","lines":[1,{"name":"A","quantity":0,"unit_price":-1,)"
                      R"("size":"L"}]})"),
              (std::vector<std::string>{"lines.0", "lines.1.quantity", "lines.1.unit_price",
                                        "lines.1.size"}));
    // Each line within its limits, the sum past 64 bits.
    EXPECT_EQ(refused(R"({"currency":"EUR","lines":[{"name":"A","quantity":1000000,)"
                      R"("unit_price":10000000000000}]})"),
              std::vector<std::string>{"lines"});
}

TEST(Carts, AddsUpWithoutOverflow) {
    EXPECT_EQ(subtotal({item("A", "A", 2, 500), item(std::nullopt, "B", 3, 100)}), 1300);
    EXPECT_EQ(item_count({item("A", "A", 2, 500), item(std::nullopt, "B", 3, 100)}), 5);
    EXPECT_EQ(subtotal({}), 0);
    EXPECT_EQ(subtotal({item("A", "A", max_quantity, max_unit_price)}), std::nullopt);
}

TEST(Carts, MergesPerSkuElsePerName) {
    std::vector<Line> cart{item("A", "Shoe", 1, 500), item(std::nullopt, "Wrap", 1, 100)};
    ASSERT_TRUE(
        merge_lines(cart, {item("A", "Shoe (red)", 2, 450), item(std::nullopt, "Wrap", 3, 100),
                           item(std::nullopt, "Shoe", 1, 1), item("B", "Sock", 1, 50)}));
    // The customer's line keeps its name and price; a line without sku never joins one with.
    EXPECT_EQ(cart,
              (std::vector<Line>{item("A", "Shoe", 3, 500), item(std::nullopt, "Wrap", 4, 100),
                                 item(std::nullopt, "Shoe", 1, 1), item("B", "Sock", 1, 50)}));
    // Past a limit nothing changes.
    std::vector<Line> before = cart;
    EXPECT_FALSE(merge_lines(cart, {item("A", "Shoe", max_quantity, 500)}));
    std::vector<Line> many;
    for (size_t i = 0; i < max_lines; ++i) {
        many.push_back(item("S" + std::to_string(i), "Thing", 1, 1));
    }
    EXPECT_FALSE(merge_lines(cart, many));
    EXPECT_EQ(cart, before);
}

TEST(Carts, StoresLinesAndKnowsGuestKeys) {
    std::vector<Line> lines{item("A", "Shoe \"x\"", 2, 500), item(std::nullopt, "Wrap", 1, 0)};
    EXPECT_EQ(lines_from_text(lines_text(lines)), lines);
    EXPECT_TRUE(valid_guest_key("abc_DEF-123"));
    EXPECT_TRUE(valid_guest_key(std::string(max_guest_key, 'k')));
    EXPECT_FALSE(valid_guest_key(""));
    EXPECT_FALSE(valid_guest_key(std::string(max_guest_key + 1, 'k')));
    EXPECT_FALSE(valid_guest_key("a b"));
    EXPECT_FALSE(valid_guest_key("a/b"));
    EXPECT_FALSE(valid_guest_key("é"));
}
