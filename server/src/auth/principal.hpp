// Who is making a request, once authenticated.
#pragma once

#include <cstdint>
#include <string>

#include "auth/roles.hpp"

namespace clientele::auth {

struct Principal {
    enum class Via { session, token, portal_session };

    int64_t user_id = 0;      //!< 0 for a portal customer
    int64_t customer_id = 0;  //!< for portal sessions: the signed-in customer
    int64_t token_id = 0;     //!< for API tokens: the token
    int64_t tenant_id = 0;    //!< the workspace every query of the request is scoped to
    std::string email;
    std::string name;
    Role role = Role::viewer;
    bool is_platform_admin = false;
    bool is_client_login = false;  //!< a client's own login (its generated username)
    Via via = Via::token;
    std::string session_hash;  //!< for sessions: the stored hash of the cookie's token
    std::string csrf_token;    //!< for sessions: what X-CSRF-Token must carry
};

}  // namespace clientele::auth
