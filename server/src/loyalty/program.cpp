#include "loyalty/program.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <set>

#include "audit/trail.hpp"
#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "jobs/queue.hpp"
#include "store/db.hpp"

namespace clientele::loyalty {

namespace json = boost::json;

namespace {

constexpr int64_t max_points_per_unit_x100 = 10'000 * 100;
constexpr int64_t max_multiplier_x100 = 10 * 100;
constexpr int64_t max_expiry_days = 36'500;
constexpr int64_t max_min_spend = 1'000'000'000'000'000;  // minor units: 10^13 of a currency
constexpr size_t max_tiers = 20;

// A JSON number with at most two decimals in [0, max_x100 / 100], as hundredths. Binary doubles
// cannot hold 0.01 exactly, so "two decimals" means within a millionth of a hundredth.
std::optional<int64_t> hundredths(const json::value& v, int64_t max_x100) {
    double x;
    if (v.is_int64()) {
        x = double(v.get_int64());
    } else if (v.is_uint64()) {
        x = double(v.get_uint64());
    } else if (v.is_double()) {
        x = v.get_double();
    } else {
        return std::nullopt;
    }
    if (!std::isfinite(x) || x < 0 || x * 100 > double(max_x100) + 1e-6) {
        return std::nullopt;
    }
    double scaled = x * 100;
    auto rounded = std::llround(scaled);
    if (std::fabs(scaled - double(rounded)) > 1e-6) {
        return std::nullopt;
    }
    return rounded;
}

json::value decimal(int64_t x100) {
    if (x100 % 100 == 0) {
        return x100 / 100;
    }
    return double(x100) / 100;
}

json::value optional_int(const std::optional<int64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

std::string tiers_text(const std::vector<Tier>& tiers) {
    json::array out;
    for (const Tier& t : tiers) {
        out.push_back(json::object{
            {"name", t.name}, {"min_spend", t.min_spend}, {"multiplier_x100", t.multiplier_x100}});
    }
    return json::serialize(out);
}

std::vector<Tier> parse_tiers_text(std::string_view text) {
    std::vector<Tier> tiers;
    json::value stored = json::parse(text);
    for (const json::value& v : stored.as_array()) {
        const json::object& o = v.as_object();
        tiers.push_back({std::string(o.at("name").as_string()),
                         o.at("min_spend").to_number<int64_t>(),
                         o.at("multiplier_x100").to_number<int64_t>()});
    }
    return tiers;
}

// The decimal fields, read beside ObjectReader (which reads integers and strings only).
void read_decimal(const json::object& body, std::string_view name, std::string_view path,
                  int64_t max_x100, int64_t min_x100, int64_t& out,
                  std::vector<FieldError>& errors) {
    auto it = body.find(name);
    if (it == body.end()) {
        return;
    }
    auto v = hundredths(it->value(), max_x100);
    if (!v || *v < min_x100) {
        errors.push_back({std::string(path),
                          fmt::format("must be a number from {} to {} with at most 2 decimals",
                                      min_x100 / 100, max_x100 / 100)});
    } else {
        out = *v;
    }
}

std::vector<Tier> parse_tiers(const json::value& value, std::vector<FieldError>& errors) {
    std::vector<Tier> tiers;
    if (!value.is_array() || value.as_array().size() > max_tiers) {
        errors.push_back({"tiers", fmt::format("must be an array of at most {} tiers", max_tiers)});
        return tiers;
    }
    std::set<std::string> names;
    size_t index = 0;
    for (const json::value& item : value.as_array()) {
        std::string prefix = fmt::format("tiers[{}]", index++);
        if (!item.is_object()) {
            errors.push_back({prefix, "must be an object {name, min_spend, multiplier}"});
            continue;
        }
        json::object rest = item.as_object();
        Tier tier;
        read_decimal(rest, "multiplier", prefix + ".multiplier", max_multiplier_x100, 100,
                     tier.multiplier_x100, errors);
        bool has_multiplier = rest.erase("multiplier") == 1;
        ObjectReader in(rest, prefix, errors);
        auto name = in.string("name", {.min = 1, .max = 50, .nullable = false});
        auto min_spend = in.integer("min_spend", 0, max_min_spend);
        in.require("name", name);
        in.require("min_spend", min_spend);
        if (!has_multiplier) {
            in.fail("multiplier", "is required");
        }
        in.finish();
        tier.name = name.value;
        tier.min_spend = min_spend.value;
        if (name.has_value() && !names.insert(fold_case(name.value)).second) {
            in.fail("name", "is the name of another tier");
        }
        if (min_spend.has_value() && !tiers.empty() && tier.min_spend <= tiers.back().min_spend) {
            in.fail("min_spend", "must be more than the previous tier's (tiers go up in spend)");
        }
        tiers.push_back(std::move(tier));
    }
    return tiers;
}

}  // namespace

Program load_program(store::Tx& tx) {
    Program p;
    auto q = tx.query(
        "SELECT points_per_unit_x100, earn_on, earn_includes_tax, earn_includes_shipping,"
        " expiry_days, min_redeem, max_balance, tiers, version, updated_at"
        " FROM loyalty_programs WHERE tenant_id = :tenant");
    if (q.step()) {
        p.points_per_unit_x100 = q.int64(0);
        p.earn_on = std::string(q.text(1));
        p.earn_includes_tax = q.int64(2) != 0;
        p.earn_includes_shipping = q.int64(3) != 0;
        p.expiry_days = q.optional_int64(4);
        p.min_redeem = q.int64(5);
        p.max_balance = q.optional_int64(6);
        p.tiers = parse_tiers_text(q.text(7));
        p.version = q.int64(8);
        p.updated_at = std::string(q.text(9));
    }
    return p;
}

json::object to_json(const Program& p) {
    json::array tiers;
    for (const Tier& t : p.tiers) {
        tiers.push_back(json::object{{"name", t.name},
                                     {"min_spend", t.min_spend},
                                     {"multiplier", decimal(t.multiplier_x100)}});
    }
    return json::object{{"points_per_unit", decimal(p.points_per_unit_x100)},
                        {"earn_on", p.earn_on},
                        {"earn_includes_tax", p.earn_includes_tax},
                        {"earn_includes_shipping", p.earn_includes_shipping},
                        {"expiry_days", optional_int(p.expiry_days)},
                        {"min_redeem", p.min_redeem},
                        {"max_balance", optional_int(p.max_balance)},
                        {"tiers", std::move(tiers)},
                        {"version", p.version},
                        {"updated_at", p.updated_at ? json::value(*p.updated_at) : nullptr}};
}

Program parse_program(const json::object& body) {
    std::vector<FieldError> errors;
    Program p;
    json::object rest = body;
    read_decimal(rest, "points_per_unit", "points_per_unit", max_points_per_unit_x100, 0,
                 p.points_per_unit_x100, errors);
    rest.erase("points_per_unit");
    if (auto it = rest.find("tiers"); it != rest.end()) {
        p.tiers = parse_tiers(it->value(), errors);
        rest.erase(it);
    }
    ObjectReader in(rest, "", errors);
    auto earn_on = in.string("earn_on", {.min = 1, .max = 20, .nullable = false});
    auto tax = in.boolean("earn_includes_tax");
    auto shipping = in.boolean("earn_includes_shipping");
    auto expiry = in.integer("expiry_days", 1, max_expiry_days, true);
    auto min_redeem = in.integer("min_redeem", 0, max_points);
    auto max_balance = in.integer("max_balance", 1, max_points, true);
    in.read_only("version");
    in.read_only("updated_at");
    in.finish();
    if (earn_on.has_value()) {
        if (earn_on.value != "paid" && earn_on.value != "fulfilled") {
            in.fail("earn_on", "must be paid or fulfilled");
        }
        p.earn_on = earn_on.value;
    }
    p.earn_includes_tax = tax.has_value() && tax.value;
    p.earn_includes_shipping = shipping.has_value() && shipping.value;
    if (expiry.has_value()) {
        p.expiry_days = expiry.value;
    }
    if (min_redeem.has_value()) {
        p.min_redeem = min_redeem.value;
    }
    if (max_balance.has_value()) {
        p.max_balance = max_balance.value;
        if (p.max_balance < p.min_redeem) {
            in.fail("max_balance", "must be at least min_redeem (or nobody could redeem)");
        }
    }
    throw_if_invalid(errors);
    return p;
}

Program save_program(store::Tx& tx, Program p, std::optional<int64_t> expected_version) {
    const Program before = load_program(tx);
    check_version(expected_version, before.version, "loyalty program");
    std::string now = now_timestamp();
    std::string tiers = tiers_text(p.tiers);
    // Guarded by the version read above: a concurrent PUT from another instance makes this one
    // change nothing, answered as a stale version.
    int64_t changed =
        before.version == 0
            ? tx.exec(
                  "INSERT INTO loyalty_programs (tenant_id, points_per_unit_x100, earn_on,"
                  " earn_includes_tax, earn_includes_shipping, expiry_days, min_redeem,"
                  " max_balance, tiers, version, updated_at)"
                  " VALUES (:tenant, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT DO NOTHING",
                  p.points_per_unit_x100, p.earn_on, p.earn_includes_tax, p.earn_includes_shipping,
                  p.expiry_days, p.min_redeem, p.max_balance, tiers, now)
            : tx.exec(
                  "UPDATE loyalty_programs SET points_per_unit_x100 = ?, earn_on = ?,"
                  " earn_includes_tax = ?, earn_includes_shipping = ?, expiry_days = ?,"
                  " min_redeem = ?, max_balance = ?, tiers = ?, version = version + 1,"
                  " updated_at = ? WHERE tenant_id = :tenant AND version = ?",
                  p.points_per_unit_x100, p.earn_on, p.earn_includes_tax, p.earn_includes_shipping,
                  p.expiry_days, p.min_redeem, p.max_balance, tiers, now, before.version);
    if (changed != 1) {
        check_version(before.version, before.version + 1, "loyalty program");
    }
    Program after = load_program(tx);
    static const audit::FieldPolicy policy{.ignored = {"version", "updated_at"}, .masked = {}};
    audit::record(tx, {"loyalty.program_updated", "loyalty_program", std::nullopt,
                       audit::diff(to_json(before), to_json(after), policy)});
    if (after.tiers != before.tiers) {
        jobs::enqueue(tx, "loyalty.tiers", json::object(), {.audited = false});
    }
    return after;
}

const Tier* tier_for(const Program& program, int64_t spend) {
    const Tier* found = nullptr;
    for (const Tier& t : program.tiers) {
        if (t.min_spend <= spend) {
            found = &t;
        }
    }
    return found;
}

int64_t multiplier_of(const Program& program, const std::optional<std::string>& name) {
    for (const Tier& t : program.tiers) {
        if (name && t.name == *name) {
            return t.multiplier_x100;
        }
    }
    return 100;
}

}  // namespace clientele::loyalty
