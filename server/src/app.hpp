// What every area's handlers share: the store, the password hasher and the settings.
#pragma once

#include "core/task.hpp"

namespace clientele {

struct Config;
namespace store {
class Database;
}
namespace auth {
class PasswordHasher;
}

struct App {
    store::Database* db = nullptr;
    auth::PasswordHasher* passwords = nullptr;
    const Config* config = nullptr;
    //! Continues a suspended handler on the worker pool (the server sets it).
    Resumer resume;
};

}  // namespace clientele
