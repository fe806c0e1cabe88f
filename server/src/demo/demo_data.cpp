#include "demo/demo_data.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "core/time.hpp"
#include "customers/service.hpp"
#include "store/db.hpp"

namespace clientele::demo {

namespace {

// Name and place lists for plausible records; typed here because they are sample data, not a
// reference list any package ships.
constexpr std::array<std::string_view, 64> female_names{
    "Olivia",  "Emma",    "Ava",      "Sophia",   "Isabella",  "Mia",     "Amelia", "Harper",
    "Evelyn",  "Abigail", "Emily",    "Ella",     "Elizabeth", "Camila",  "Luna",   "Sofia",
    "Avery",   "Mila",    "Aria",     "Scarlett", "Penelope",  "Layla",   "Chloe",  "Victoria",
    "Madison", "Eleanor", "Grace",    "Nora",     "Riley",     "Zoey",    "Hannah", "Hazel",
    "Lily",    "Ellie",   "Violet",   "Lillian",  "Zoë",       "Stella",  "Aurora", "Natalie",
    "Emilia",  "Everly",  "Leah",     "Aubrey",   "Willow",    "Addison", "Lucy",   "Audrey",
    "Bella",   "Nova",    "Brooklyn", "Paisley",  "Savannah",  "Claire",  "Skylar", "Isla",
    "Genesis", "Naomi",   "Elena",    "Caroline", "Priya",     "Ananya",  "Aiko",   "Ingrid"};
constexpr std::array<std::string_view, 64> male_names{
    "Liam",    "Noah",     "Oliver",    "Elijah",      "James",     "William", "Benjamin", "Lucas",
    "Henry",   "Theodore", "Jack",      "Levi",        "Alexander", "Jackson", "Mateo",    "Daniel",
    "Michael", "Mason",    "Sebastian", "Ethan",       "Logan",     "Owen",    "Samuel",   "Jacob",
    "Asher",   "Aiden",    "John",      "Joseph",      "Wyatt",     "David",   "Leo",      "Luke",
    "Julian",  "Hudson",   "Grayson",   "Matthew",     "Ezra",      "Gabriel", "Carter",   "Isaac",
    "Jayden",  "Luca",     "Anthony",   "Dylan",       "Lincoln",   "Thomas",  "Maverick", "Elias",
    "Josiah",  "Charles",  "Caleb",     "Christopher", "Ezekiel",   "Miles",   "Jaxon",    "Isaiah",
    "Andrew",  "Joshua",   "Nathan",    "Rahul",       "Arjun",     "Kenji",   "Lars",     "José"};
constexpr std::array<std::string_view, 96> last_names{
    "Smith",    "Johnson",   "Williams",   "Brown",     "Jones",    "Garcia",   "Miller",
    "Davis",    "Rodriguez", "Martinez",   "Hernandez", "Lopez",    "Gonzalez", "Wilson",
    "Anderson", "Thomas",    "Taylor",     "Moore",     "Jackson",  "Martin",   "Lee",
    "Perez",    "Thompson",  "White",      "Harris",    "Sanchez",  "Clark",    "Ramirez",
    "Lewis",    "Robinson",  "Walker",     "Young",     "Allen",    "King",     "Wright",
    "Scott",    "Torres",    "Nguyen",     "Hill",      "Flores",   "Green",    "Adams",
    "Nelson",   "Baker",     "Hall",       "Rivera",    "Campbell", "Mitchell", "Carter",
    "Roberts",  "Gomez",     "Phillips",   "Evans",     "Turner",   "Diaz",     "Parker",
    "Cruz",     "Edwards",   "Collins",    "Reyes",     "Stewart",  "Morris",   "Morales",
    "Murphy",   "Cook",      "Rogers",     "Gutierrez", "Ortiz",    "Morgan",   "Cooper",
    "Peterson", "Bailey",    "Reed",       "Kelly",     "Howard",   "Ramos",    "Kim",
    "Cox",      "Ward",      "Richardson", "Watson",    "Brooks",   "Chavez",   "Wood",
    "James",    "Bennett",   "Gray",       "Mendoza",   "Ruiz",     "Hughes",   "Müller",
    "Schmidt",  "Sharma",    "Patel",      "Tanaka",    "Johansson"};
// state: the ISO 3166-2 subdivision code within the country, as addresses store it.
struct Place {
    std::string_view city, state, country, postal_prefix, phone_prefix, locale;
};
constexpr std::array<Place, 16> places{{
    {"New York", "NY", "US", "100", "+1 212", "en-US"},
    {"Chicago", "IL", "US", "606", "+1 312", "en-US"},
    {"Austin", "TX", "US", "787", "+1 512", "en-US"},
    {"Seattle", "WA", "US", "981", "+1 206", "en-US"},
    {"Toronto", "ON", "CA", "M5V", "+1 416", "en-CA"},
    {"London", "ENG", "GB", "EC1", "+44 20", "en-GB"},
    {"Manchester", "ENG", "GB", "M1", "+44 161", "en-GB"},
    {"Berlin", "BE", "DE", "101", "+49 30", "de-DE"},
    {"Munich", "BY", "DE", "803", "+49 89", "de-DE"},
    {"Paris", "IDF", "FR", "750", "+33 1", "fr-FR"},
    {"Madrid", "MD", "ES", "280", "+34 91", "es-ES"},
    {"Mumbai", "MH", "IN", "400", "+91 22", "en-IN"},
    {"Bengaluru", "KA", "IN", "560", "+91 80", "en-IN"},
    {"Tokyo", "13", "JP", "100", "+81 3", "ja-JP"},
    {"Sydney", "NSW", "AU", "200", "+61 2", "en-AU"},
    {"São Paulo", "SP", "BR", "010", "+55 11", "pt-BR"},
}};
constexpr std::array<std::string_view, 12> streets{
    "Main Street",   "Oak Avenue", "Maple Road", "Park Lane", "High Street", "Station Road",
    "Church Street", "Elm Street", "Lake View",  "Hill Road", "River Walk",  "Market Square"};
constexpr std::array<std::string_view, 8> domains{
    "example.com",   "example.org",  "example.net",  "mail.example",
    "inbox.example", "post.example", "shop.example", "customers.example"};

// The local part of an e-mail from a name: ASCII letters only ("Zoë" → "zo").
std::string email_word(std::string_view name) {
    std::string out;
    for (char c : name) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            out += char(c | 0x20);
    }
    return out;
}

constexpr std::array<std::string_view, 8> company_suffixes{
    "Trading", "Holdings", "Foods", "Logistics", "Consulting", "Retail", "Systems", "Partners"};
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> demo_tags{{
    {"VIP", "#fab005"},
    {"Newsletter", "#228be6"},
    {"Wholesale", "#40c057"},
    {"Prospect", "#7950f2"},
    {"Partner", "#15aabf"},
    {"Late payer", "#fa5252"},
}};

// What the workspace's lists hold for the demo: title ids by name, industry ids, tag ids.
struct Lists {
    std::optional<customers::Ref> mr, ms;
    std::vector<customers::Ref> industries;
    std::vector<customers::Ref> tags;
};

std::optional<customers::Ref> title_named(store::Tx& tx, std::string_view short_name) {
    auto q = tx.query(
        "SELECT id, name FROM customer_titles WHERE tenant_id = :tenant AND"
        " short_name = ?",
        short_name);
    if (!q.step()) {
        return std::nullopt;
    }
    return customers::Ref{q.int64(0), std::string(q.text(1)), std::string(short_name)};
}

// The demo's tags exist once per workspace; the seeded titles and industries are used as they are.
Lists prepare_lists(store::Database& db, int64_t tenant) {
    db.write(tenant, [](store::Tx& tx) {
        std::string now = now_timestamp();
        for (auto [name, color] : demo_tags) {
            tx.exec(
                "INSERT INTO tags (tenant_id, name, color, created_at, updated_at)"
                " VALUES (:tenant, ?, ?, ?, ?) ON CONFLICT (tenant_id, name) DO NOTHING",
                name, color, now, now);
        }
    });
    return db.read(tenant, [](store::Tx& tx) {
        Lists lists;
        lists.mr = title_named(tx, "Mr.");
        lists.ms = title_named(tx, "Ms.");
        auto industries =
            tx.query("SELECT id, name FROM industries WHERE tenant_id = :tenant ORDER BY id");
        while (industries.step()) {
            lists.industries.push_back({industries.int64(0), std::string(industries.text(1)), {}});
        }
        for (auto [name, color] : demo_tags) {
            auto q = tx.query("SELECT id FROM tags WHERE tenant_id = :tenant AND name = ?", name);
            if (q.step()) {
                lists.tags.push_back({q.int64(0), std::string(name), std::string(color)});
            }
        }
        return lists;
    });
}

customers::Customer make_customer(std::mt19937_64& rng, int64_t serial, const Lists& lists) {
    auto pick = [&](const auto& list) { return list[rng() % list.size()]; };
    customers::Customer c;
    bool female = rng() % 2 == 0;
    std::string first(female ? pick(female_names) : pick(male_names));
    std::string last(pick(last_names));
    const Place& place = pick(places);
    c.first_name = first;
    c.last_name = last;
    c.name = first + " " + last;
    c.email = fmt::format("{}.{}{}@{}", email_word(first), email_word(last), serial, pick(domains));
    c.phone = fmt::format("{} {:03} {:04}", place.phone_prefix, rng() % 1000, rng() % 10000);
    int year = 1940 + int(rng() % 66), month = 1 + int(rng() % 12), day = 1 + int(rng() % 28);
    c.birthdate = fmt::format("{:04}-{:02}-{:02}", year, month, day);
    uint64_t g = rng() % 20;
    c.gender = g < 18 ? (female ? "female" : "male") : g == 18 ? "non_binary" : "prefer_not_to_say";
    c.locale = std::string(place.locale);
    c.address.street = fmt::format("{} {}", 1 + rng() % 400, pick(streets));
    c.address.city = std::string(place.city);
    c.address.state = std::string(place.state);
    c.address.country = std::string(place.country);
    c.address.postal_code = fmt::format("{}{:02}", place.postal_prefix, rng() % 100);
    if (rng() % 3 == 0) {
        c.preferences["newsletter"] = rng() % 2 == 0;
        c.preferences["channel"] = rng() % 2 == 0 ? "email" : "sms";
    }
    if (rng() % 20 == 0) {  // one in twenty is a business
        c.account_type = customers::type_company;
        c.name = fmt::format("{} {}", last, pick(company_suffixes));
        c.first_name.reset();
        c.last_name.reset();
        c.birthdate.reset();
        c.gender.reset();
        c.email = fmt::format("info.{}{}@{}", email_word(last), serial, pick(domains));
        c.website = fmt::format("https://{}{}.example", email_word(last), serial);
        if (!lists.industries.empty()) {
            c.industry = pick(lists.industries);
        }
    } else {
        c.title = c.gender == "female" ? lists.ms : c.gender == "male" ? lists.mr : std::nullopt;
    }
    if (!lists.tags.empty() && rng() % 6 == 0) {
        c.tags.push_back(pick(lists.tags));
    }
    return c;
}

}  // namespace

int64_t add_customers(store::Database& db, int64_t tenant, int64_t count, uint64_t seed) {
    std::mt19937_64 rng(seed);
    constexpr int64_t batch = 5000;
    Lists lists = prepare_lists(db, tenant);
    int64_t first_serial = db.read(tenant, [](store::Tx& tx) {
        auto q = tx.query("SELECT count(*) FROM customers WHERE tenant_id = :tenant");
        return q.step() ? q.int64(0) : 0;
    });
    for (int64_t done = 0; done < count;) {
        int64_t n = std::min(batch, count - done);
        std::vector<customers::Customer> rows;
        rows.reserve(size_t(n));
        for (int64_t i = 0; i < n; ++i) {
            rows.push_back(make_customer(rng, first_serial + done + i + 1, lists));
        }
        // Every fourth individual works for one of the batch's companies (a contact of it).
        std::vector<size_t> employer(rows.size(), SIZE_MAX);
        std::vector<size_t> companies;
        for (size_t i = 0; i < rows.size(); ++i) {
            if (rows[i].account_type == customers::type_company) {
                companies.push_back(i);
            } else if (!companies.empty() && rng() % 4 == 0) {
                employer[i] = companies[rng() % companies.size()];
            }
        }
        db.write(tenant, [&](store::Tx& tx) {
            std::vector<int64_t> ids(rows.size());
            for (size_t i = 0; i < rows.size(); ++i) {
                customers::Customer row = rows[i];  // a copy: the write may run again
                if (employer[i] != SIZE_MAX) {
                    row.company = customers::Ref{ids[employer[i]], rows[employer[i]].name, {}};
                }
                ids[i] = customers::insert(tx, std::move(row), 0).id;
            }
        });
        done += n;
        if (done % 100000 == 0 || done == count) {
            spdlog::info("demo data: {} of {} customers", done, count);
        }
    }
    return count;
}

}  // namespace clientele::demo
