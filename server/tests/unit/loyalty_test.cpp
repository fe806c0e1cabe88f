// loyalty/: the ledger's maths (FEFO plans, order targets, the cap, debt, convergence, tiers), the
// program's validation, and the ledger on a real database: random operations keep the cache equal
// to the ledger and the open lots equal to the balance, and the rebuild repairs a corrupted cache.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <random>

#include "core/error.hpp"
#include "customers/service.hpp"
#include "loyalty/ledger.hpp"
#include "store/db.hpp"
#include "test_db.hpp"

using namespace clientele;
using namespace clientele::loyalty;
using clientele::testing::TempDatabase;

namespace {

std::vector<std::string> fields_refused(std::string_view body) {
    try {
        parse_program(boost::json::parse(body).as_object());
    } catch (const Error& e) {
        std::vector<std::string> fields;
        for (const auto& error : e.errors()) {
            fields.push_back(error.field);
        }
        return fields;
    }
    return {};
}

OrderFigures paid_order(int64_t total) {
    OrderFigures o;
    o.customer_id = 7;
    o.status = "paid";
    o.subtotal = o.total = o.base_total = total;
    o.paid = true;
    return o;
}

}  // namespace

TEST(LoyaltyMaths, PlansTakeLotsInTheirOrderAndTheOrdersOwnFirst) {
    std::vector<OpenLot> lots{{1, 10, 100}, {2, 20, std::nullopt}, {3, 5, 200}};
    EXPECT_EQ(plan_uses(lots, 25), (std::vector<LotUse>{{1, 10}, {2, 15}}));
    EXPECT_EQ(plan_uses(lots, 12, 200), (std::vector<LotUse>{{3, 5}, {1, 7}}));
    // More than the lots hold: all of them (the rest is a reverse's debt).
    EXPECT_EQ(plan_uses(lots, 99, 100), (std::vector<LotUse>{{1, 10}, {2, 20}, {3, 5}}));
    EXPECT_TRUE(plan_uses({}, 5).empty());
}

TEST(LoyaltyMaths, AnOrdersTargetIsTheFlooredShareOfWhatIsStillPaid) {
    Program p;
    OrderFigures o = paid_order(12345);  // 123.45 USD
    EXPECT_EQ(target_points(p, o, 100, 100), 123);
    o.tax = 1500;
    o.shipping = 845;
    o.subtotal = 10000;
    EXPECT_EQ(target_points(p, o, 100, 100), 100);  // tax and shipping left out
    p.earn_includes_tax = p.earn_includes_shipping = true;
    p.points_per_unit_x100 = 150;
    EXPECT_EQ(target_points(p, o, 100, 100), 185);  // floor(123.45 × 1.5)
    EXPECT_EQ(target_points(p, o, 200, 100), 370);  // a tier's ×2
    o.base_refunded = o.base_total / 2;
    EXPECT_EQ(target_points(p, o, 100, 100), 92);  // half refunded: floor(61.725 × 1.5)
    // In another currency the base amount counts; a base currency without minor units counts
    // whole units.
    OrderFigures eur = paid_order(10000);
    eur.base_total = 11000;
    EXPECT_EQ(target_points(Program{}, eur, 100, 100), 110);
    EXPECT_EQ(target_points(Program{}, paid_order(1500), 100, 1), 1500);
    // Nothing without a customer, before earn_on, cancelled or refunded, or for a zero total.
    OrderFigures guest = paid_order(5000);
    guest.customer_id.reset();
    EXPECT_EQ(target_points(Program{}, guest, 100, 100), 0);
    Program on_fulfilled;
    on_fulfilled.earn_on = "fulfilled";
    EXPECT_EQ(target_points(on_fulfilled, paid_order(5000), 100, 100), 0);
    for (const char* status : {"cancelled", "refunded"}) {
        OrderFigures o2 = paid_order(5000);
        o2.status = status;
        EXPECT_EQ(target_points(Program{}, o2, 100, 100), 0) << status;
    }
    EXPECT_EQ(target_points(Program{}, paid_order(0), 100, 100), 0);
    // Amounts at the edge do not overflow: the result is capped at max_points.
    Program rich;
    rich.points_per_unit_x100 = 1'000'000;
    EXPECT_EQ(target_points(rich, paid_order(INT64_MAX / 2), 1000, 1), max_points);
}

TEST(LoyaltyMaths, TheCapWithholdsAndEarningsPayDebtFirst) {
    EXPECT_EQ(split_earn(100, 0, std::nullopt), (Earning{100, 0, 0}));
    EXPECT_EQ(split_earn(100, 100, 150), (Earning{50, 50, 0}));
    EXPECT_EQ(split_earn(100, 200, 150), (Earning{0, 100, 0}));
    EXPECT_EQ(split_earn(50, -80, std::nullopt), (Earning{50, 0, 50}));
    EXPECT_EQ(split_earn(100, -30, std::nullopt), (Earning{100, 0, 30}));
    EXPECT_EQ(split_earn(100, -30, 50), (Earning{80, 20, 30}));  // room: 50 − (−30)
}

TEST(LoyaltyMaths, OrderDeltasConvergeAndGiveWithheldPointsBackFirst) {
    EXPECT_EQ(order_delta(100, 0, 0), (OrderDelta{100, 0}));
    EXPECT_EQ(order_delta(100, 100, 0), (OrderDelta{0, 0}));  // again: nothing
    EXPECT_EQ(order_delta(40, 100, 0), (OrderDelta{-60, 0}));
    EXPECT_EQ(order_delta(50, 100, 50), (OrderDelta{0, 50}));  // the cap kept what is lost
    EXPECT_EQ(order_delta(0, 100, 30), (OrderDelta{-70, 30}));
}

TEST(LoyaltyMaths, TheTierIsTheHighestReached) {
    Program p;
    p.tiers = {{"Silver", 10000, 150}, {"Gold", 50000, 200}};
    EXPECT_EQ(tier_for(p, 9999), nullptr);
    EXPECT_EQ(tier_for(p, 10000)->name, "Silver");
    EXPECT_EQ(tier_for(p, 50000)->name, "Gold");
    EXPECT_EQ(multiplier_of(p, "Gold"), 200);
    EXPECT_EQ(multiplier_of(p, std::nullopt), 100);
    EXPECT_EQ(multiplier_of(p, "Gone"), 100);
}

TEST(LoyaltyProgram, ValidationNamesEachBadField) {
    EXPECT_TRUE(fields_refused(R"({})").empty());
    EXPECT_TRUE(fields_refused(R"({"points_per_unit": 0.01, "tiers": [{"name": "A", "min_spend": 0,
        "multiplier": 9.99}]})")
                    .empty());
    EXPECT_EQ(fields_refused(R"({"points_per_unit": 1.005})"),
              std::vector<std::string>{"points_per_unit"});
    EXPECT_EQ(fields_refused(R"({"points_per_unit": 10000.01})"),
              std::vector<std::string>{"points_per_unit"});
    EXPECT_EQ(fields_refused(R"({"earn_on": "placed", "expiry_days": 0})"),
              (std::vector<std::string>{"expiry_days", "earn_on"}));
    EXPECT_EQ(fields_refused(R"({"tiers": [{"name": "A", "min_spend": 5, "multiplier": 1},
        {"name": "a", "min_spend": 5, "multiplier": 1}]})"),
              (std::vector<std::string>{"tiers[1].name", "tiers[1].min_spend"}));
    Program p = parse_program(boost::json::parse(R"({"points_per_unit": 2.5, "tiers": [{"name":
        "Gold", "min_spend": 100, "multiplier": 1.25}]})")
                                  .as_object());
    EXPECT_EQ(p.points_per_unit_x100, 250);
    EXPECT_EQ(p.tiers, (std::vector<Tier>{{"Gold", 100, 125}}));
    EXPECT_EQ(boost::json::serialize(to_json(p).at("tiers")),
              R"([{"name":"Gold","min_spend":100,"multiplier":1.25E0}])");
}

// Random redemptions, adjustments and order changes on a real database: after each, the cache is
// the ledger and the open lots hold the balance; a corrupted cache is found and set again.
TEST(LoyaltyLedger, RandomOperationsKeepTheCacheAndTheLotsEqualToTheLedger) {
    TempDatabase db;
    std::vector<int64_t> customers;
    for (int i = 0; i < 3; ++i) {
        customers.push_back(db->write(1, [&](store::Tx& tx) {
            customers::CustomerChanges changes =
                customers::parse_changes(boost::json::parse(R"({"name": "Loyal"})").as_object(),
                                         customers::WriteMode::create);
            return customers::create(tx, changes, 0).id;
        }));
    }
    db->write(1, [](store::Tx& tx) {
        tx.exec(
            "INSERT INTO loyalty_programs (tenant_id, max_balance, updated_at)"
            " VALUES (:tenant, 300, '2026-01-01T00:00:00.000Z')");
    });
    std::mt19937 rng(13);
    auto pick = [&](int64_t lo, int64_t hi) {
        return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
    };
    std::vector<int64_t> orders;
    for (int step = 0; step < 200; ++step) {
        int64_t c = customers[size_t(pick(0, 2))];
        int op = int(pick(0, 4));
        try {
            db->write(1, [&](store::Tx& tx) {
                if (op == 0) {
                    adjust(tx, c, pick(-40, 60) | 1, "random", std::nullopt);
                } else if (op == 1) {
                    redeem(tx, c, pick(1, 50), std::nullopt, std::nullopt);
                } else if (op == 2 || orders.empty()) {
                    int64_t total = pick(100, 20000);
                    int64_t id = tx.insert(
                        "INSERT INTO orders (tenant_id, number, customer_id, currency, status,"
                        " subtotal, total, base_total, counted, placed_at, paid_at, created_at,"
                        " updated_at) VALUES (:tenant, ?, ?, 'USD', 'paid', ?, ?, ?, 1,"
                        " '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z',"
                        " '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z') RETURNING id",
                        "R-" + std::to_string(step), c, total, total, total);
                    orders.push_back(id);
                    order_changed(tx, id);
                } else {
                    int64_t id = orders[size_t(pick(0, int64_t(orders.size()) - 1))];
                    // Refund part, move to another customer, or cancel.
                    int change = int(pick(0, 2));
                    if (change == 0) {
                        tx.exec(
                            "UPDATE orders SET status = 'partially_refunded', base_refunded ="
                            " base_total / 2 WHERE tenant_id = :tenant AND id = ?",
                            id);
                    } else if (change == 1) {
                        tx.exec(
                            "UPDATE orders SET customer_id = ? WHERE tenant_id = :tenant AND"
                            " id = ?",
                            customers[size_t(pick(0, 2))], id);
                    } else {
                        tx.exec(
                            "UPDATE orders SET status = 'cancelled' WHERE tenant_id = :tenant"
                            " AND id = ?",
                            id);
                    }
                    order_changed(tx, id);
                    // Convergent: a second run books nothing.
                    EXPECT_EQ(order_changed(tx, id).change, 0);
                }
            });
        } catch (const Error& e) {
            ASSERT_EQ(e.code(), Code::conflict) << e.detail();  // beyond the balance
        }
        for (int64_t customer : customers) {
            db->read(1, [&](store::Tx& tx) {
                auto q = tx.query(
                    "SELECT c.loyalty_points, (SELECT COALESCE(SUM(points), 0) FROM"
                    " loyalty_entries e WHERE e.tenant_id = c.tenant_id AND e.customer_id = c.id),"
                    " (SELECT COALESCE(SUM(remaining), 0) FROM loyalty_lots l WHERE"
                    " l.tenant_id = c.tenant_id AND l.customer_id = c.id)"
                    " FROM customers c WHERE c.tenant_id = :tenant AND c.id = ?",
                    customer);
                ASSERT_TRUE(q.step());
                EXPECT_EQ(q.int64(0), q.int64(1)) << "step " << step;
                EXPECT_EQ(q.int64(2), std::max<int64_t>(q.int64(0), 0)) << "step " << step;
            });
        }
    }
    EXPECT_EQ(rebuild_balances(*db), 0);
    db->write(1, [&](store::Tx& tx) {
        tx.exec(
            "UPDATE customers SET loyalty_points = loyalty_points + 5 WHERE tenant_id = :tenant"
            " AND id <> ?",
            customers[0]);
    });
    EXPECT_EQ(rebuild_balances(*db), 2);
    EXPECT_EQ(rebuild_balances(*db), 0);
}
