// API tokens: listed and revoked by their owners (and a workspace's owners and admins) over the API
// and the command line; ended with their user's password or standing (see docs/api.md, "API
// tokens"). Made by `clientele token create` (create_api_token in service.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "store/id_page.hpp"

namespace clientele::store {
class Database;
class Tx;
}  // namespace clientele::store

namespace clientele::auth {

//! Ends every live token of a user (a workspace transaction: the user is of its workspace).
void revoke_tokens_of_user(store::Tx& tx, int64_t user_id);
//! Ends every live token of a workspace (a system transaction).
void revoke_tokens_of_workspace(store::Tx& tx, int64_t workspace_id);

//! A live token as the API and the command line list it (never its secret).
struct TokenRow {
    int64_t id = 0;
    int64_t tenant_id = 0;
    int64_t user_id = 0;
    std::string user_email;
    std::string name;
    std::string prefix;
    std::string created_at;
};
//! A page of the workspace's live tokens after id `after` (their names containing `q`, if
//! given): every one for those who manage the workspace's people, the caller's own otherwise.
store::IdPage<TokenRow> list_tokens(store::Tx& tx, const Principal& caller, int64_t after,
                                    int limit, const std::optional<std::string>& q);
//! Revokes the caller's token `id` (any of the workspace's, for those who manage its people),
//! recording `token.revoked`; false when there is no such live token.
bool revoke_token(store::Tx& tx, const Principal& caller, int64_t id);

//! Every live token of the platform, or of the user with e-mail `email`; oldest first.
std::vector<TokenRow> list_all_tokens(store::Database& db, const std::optional<std::string>& email);
//! Revokes token `id` wherever it is; false when there is no live token with that id.
bool revoke_token(store::Database& db, int64_t id);

}  // namespace clientele::auth
