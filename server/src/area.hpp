// A business area, declared in one place (DESIGN §3): its routes with the permissions they need,
// its job kinds and schedules, what it does when a workspace is created, and which of its tables
// hold personal data (what GDPR export and erasure walk). Its migrations live in its own folder,
// server/src/<name>/migrations/, and are embedded from there.
//
// Each area defines `Area area()` in <name>/area.cpp; server/src/areas.cpp lists them, so adding
// an area is a folder and one line there, as ClickHouse's registerStorages lists its engines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app.hpp"

namespace clientele {
struct Config;
}
namespace clientele::auth {
struct Permission;
}
namespace clientele::http {
class Router;
}
namespace clientele::jobs {
class Registry;
}
namespace clientele::store {
class Tx;
}

namespace clientele {

//! A table with personal data about one person: a customer or a staff user.
struct PersonalData {
    std::string_view table;
    std::string_view subject;         //!< "customer" or "user": whose data it is
    std::string_view column;          //!< the column holding that person's id
    std::string_view condition = {};  //!< SQL that picks the person's rows besides, if any
};

struct Area {
    std::string_view name = {};  //!< its folder under server/src/
    std::vector<const auth::Permission*> permissions = {};
    void (*routes)(http::Router&, App&) = nullptr;
    void (*jobs)(jobs::Registry&, const Config&) = nullptr;
    //! Runs in the transaction that creates a workspace, scoped to it: the area's first rows.
    void (*workspace_created)(store::Tx&) = nullptr;
    std::vector<PersonalData> personal_data = {};
    //! Runs in the transaction that gives a live customer an e-mail address (a new customer with
    //! one, a changed one): what waited for that address (guest orders, guest carts) joins them.
    void (*customer_email_set)(store::Tx&, int64_t customer_id, const std::string& email) = nullptr;
};

//! Every area, in the order they register.
const std::vector<Area>& areas();
//! The permissions of every area, in that order.
std::vector<const auth::Permission*> all_permissions();

//! /healthz, /readyz and every area's routes.
void register_all_routes(http::Router& router, App& app);
//! Every area's job kinds and schedules.
void register_all_jobs(jobs::Registry& registry, const Config& config);
//! Every area's first rows of a new workspace (`tx` scoped to it).
void on_workspace_created(store::Tx& tx);
//! Every area's customer_email_set (`tx` scoped to the customer's workspace).
void on_customer_email_set(store::Tx& tx, int64_t customer_id, const std::string& email);

}  // namespace clientele
