#include "users/service.hpp"

#include <fmt/format.h>

#include <chrono>

#include "audit/trail.hpp"
#include "auth/crypto.hpp"
#include "auth/service.hpp"
#include "auth/tokens.hpp"
#include "core/error.hpp"
#include "core/formats.hpp"
#include "core/json_input.hpp"
#include "core/json_output.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "store/columns.hpp"
#include "users/queries.hpp"

namespace clientele::users {

namespace json = boost::json;
using auth::Principal;
using auth::Role;

// A user's columns of the same names (user_columns); the status comes from two.
BOOST_DESCRIBE_STRUCT(User, (),
                      (id, email, name, role, username, last_login, joined_at, invited_by, version,
                       created_at, updated_at, is_platform_admin))

namespace {

// A link is good for a week: long enough for someone on leave, short enough to go stale.
constexpr auto invitation_lifetime = std::chrono::hours(24 * 7);

constexpr std::array<std::string_view, 3> status_names = {"active", "invited", "deactivated"};

std::string_view status_name(Status status) {
    return status_names[size_t(status)];
}

const store::Columns<User>& user_columns() {
    // Invited: no password yet.
    static const auto columns = store::described_columns<User>("").add(
        {"is_active, password_hash = ''", 2, [](User& u, const store::Query& q, int i) {
             u.status = q.int64(i) == 0       ? Status::deactivated
                        : q.int64(i + 1) != 0 ? Status::invited
                                              : Status::active;
         }});
    return columns;
}

User load(store::Tx& tx, int64_t id, std::optional<int64_t> expected_version) {
    auto user = find(tx, id);
    if (!user) {
        throw Error(Code::not_found, fmt::format("There is no user {}.", id));
    }
    check_version(expected_version, user->version, "user");
    return *user;
}

// Who may change whom. A change of someone's role or standing, or their removal:
// - is never made to oneself (another owner or admin must), so nobody locks themselves out;
// - involves an owner (before or after) only when an owner makes it;
// - never touches a client's own login (seed 001), which the operator manages through
//   /api/clients (reset-password, toggle-status);
// - never touches the platform operator, whom only the command line manages: another owner of
//   workspace 1 could otherwise lock out the one person who manages the clients.
// Together the first two keep an active owner in every workspace: only an active owner can take
// an owner away, and never themselves.
void check_standing_change(const User& target, const Principal& actor,
                           std::optional<Role> new_role) {
    if (target.id == actor.user_id) {
        throw Error(Code::forbidden,
                    "You cannot change your own role or status, or remove yourself; ask another "
                    "owner or admin.");
    }
    if (!auth::may_assign(actor.role, target.role) ||
        (new_role && !auth::may_assign(actor.role, *new_role))) {
        throw Error(Code::forbidden, "Only an owner may make, change or remove an owner.");
    }
    if (target.username) {
        throw Error(Code::conflict,
                    "This is the client's own login: it stays the workspace's owner, and the "
                    "platform operator manages it.");
    }
    if (target.is_platform_admin) {
        throw Error(Code::conflict,
                    "This is the platform operator: they stay an active owner of this workspace, "
                    "and only the command line (clientele create-admin) changes that account.");
    }
}

// How a user's changes show in the audit trail: bookkeeping left out (a sign-in has its own entry,
// so last_login is not a change of the user). The JSON form has no password or invitation secret.
const audit::FieldPolicy audit_policy{
    .ignored = {"id", "version", "created_at", "updated_at", "last_login"}, .masked = {}};

void record(store::Tx& tx, std::string_view action, int64_t id, const json::object& before,
            const json::object& after) {
    audit::record(tx, {action, "user", id, audit::diff(before, after, audit_policy)});
}

// Moves the members named in `names` out of `form` into an object of their own.
json::object take(json::object& form, std::initializer_list<std::string_view> names) {
    json::object out;
    for (std::string_view name : names) {
        out[name] = form[name];
        form.erase(name);
    }
    return out;
}

void end_sessions(store::Tx& tx, int64_t user_id) {
    tx.exec(sql::revoke_sessions, user_id);
    auth::revoke_tokens_of_user(tx, user_id);
}

}  // namespace

std::optional<Status> parse_status(std::string_view name) {
    return enum_named<Status>(status_names, name);
}

json::object to_json(const User& u) {
    return {{"id", u.id},
            {"email", u.email},
            {"name", u.name},
            {"role", auth::role_name(u.role)},
            {"status", status_name(u.status)},
            {"is_active", u.status != Status::deactivated},
            {"username", nullable(u.username)},
            {"last_login", nullable(u.last_login)},
            {"joined_at", nullable(u.joined_at)},
            {"invited_by", u.invited_by ? json::value(*u.invited_by) : json::value(nullptr)},
            {"version", u.version},
            {"created_at", u.created_at},
            {"updated_at", u.updated_at}};
}

namespace {
std::optional<Role> read_role(ObjectReader& in, const Input<std::string>& role) {
    if (!role.has_value()) {
        return std::nullopt;
    }
    auto parsed = auth::parse_role(role.value);
    if (!parsed) {
        in.fail("role", "must be one of owner, admin, sales, support, marketing, viewer");
    }
    return parsed;
}
}  // namespace

Invitee parse_invitee(const json::object& body) {
    std::vector<FieldError> errors;
    ObjectReader in(body, "", errors);
    auto email = in.string("email", {.min = 1, .max = 254, .nullable = false});
    auto name = in.string("name", {.max = 200, .nullable = false});
    auto role = in.string("role", {.min = 1, .max = 32, .nullable = false});
    for (auto field : {"id", "status", "is_active", "username", "password", "last_login",
                       "joined_at", "invited_by", "version", "created_at", "updated_at"}) {
        in.read_only(field);
    }
    in.finish();
    in.require("email", email);
    in.require("role", role);
    if (email.has_value() && !is_valid_email(email.value)) {
        in.fail("email", "must be a valid email address");
    }
    auto parsed_role = read_role(in, role);
    throw_if_invalid(errors);
    return Invitee{ascii_lower(email.value), name.value, *parsed_role};
}

UserChanges parse_changes(const json::object& body) {
    std::vector<FieldError> errors;
    ObjectReader in(body, "", errors);
    auto name = in.string("name", {.max = 200, .nullable = false});
    auto role = in.string("role", {.min = 1, .max = 32, .nullable = false});
    auto active = in.boolean("is_active");
    for (auto field : {"id", "email", "status", "username", "password", "last_login", "joined_at",
                       "invited_by", "version", "created_at", "updated_at"}) {
        in.read_only(field);
    }
    in.finish();
    UserChanges changes;
    changes.role = read_role(in, role);
    throw_if_invalid(errors);
    if (name.has_value())
        changes.name = name.value;
    if (active.has_value())
        changes.is_active = active.value;
    return changes;
}

InvitationSecret new_invitation_secret() {
    InvitationSecret secret;
    secret.token = auth::random_token();
    secret.token_hash = auth::hash_secret(secret.token);
    secret.expires_at = format_timestamp(Clock::now() + invitation_lifetime);
    return secret;
}

store::IdPage<User> list(store::Tx& tx, const UserFilter& filter, int limit, int64_t after) {
    std::string text = user_columns().sql(sql::live_users) + " AND id > ?";
    std::vector<std::string> args{std::to_string(after)};
    if (filter.q) {
        // A workspace has tens of users, not millions: a scan with instr is the right tool.
        text += " AND (instr(lower(name), ?) > 0 OR instr(email, ?) > 0)";
        args.insert(args.end(), {*filter.q, *filter.q});
    }
    if (filter.role) {
        text += " AND role = ?";
        args.emplace_back(auth::role_name(*filter.role));
    }
    if (filter.status) {
        text += std::array<std::string_view, 3>{" AND is_active = 1 AND password_hash <> ''",
                                                " AND is_active = 1 AND password_hash = ''",
                                                " AND is_active = 0"}[size_t(*filter.status)];
    }
    text += " ORDER BY id LIMIT ?";
    return store::read_id_page(tx.query(text), args, limit, user_columns());
}

std::optional<User> find(store::Tx& tx, int64_t id) {
    static const std::string text = user_columns().sql(sql::live_users) + " AND id = ?";
    auto q = tx.query(text, id);
    if (!q.step()) {
        return std::nullopt;
    }
    return user_columns().read(q);
}

User invite(store::Tx& tx, const Invitee& invitee, const Principal& actor,
            const InvitationSecret& secret) {
    if (!auth::may_assign(actor.role, invitee.role)) {
        throw Error(Code::forbidden, "Only an owner may invite an owner.");
    }
    auth::check_email_free(tx, invitee.email, "email");
    std::string now = now_timestamp();
    auto inserted = tx.query(sql::insert_invited, invitee.email, invitee.name,
                             auth::role_name(invitee.role), actor.user_id, now, now);
    inserted.step();
    int64_t id = inserted.int64(0);
    tx.exec(sql::replace_invitation, id, secret.token_hash, actor.user_id, now, secret.expires_at);
    User user = load(tx, id, std::nullopt);
    record(tx, "user.invited", id, {}, to_json(user));
    return user;
}

User reinvite(store::Tx& tx, int64_t id, const Principal& actor, const InvitationSecret& secret) {
    User user = load(tx, id, std::nullopt);
    if (user.status != Status::invited) {
        throw Error(Code::conflict,
                    "This user has joined already (or is deactivated): there is "
                    "nothing to accept.");
    }
    if (!auth::may_assign(actor.role, user.role)) {
        throw Error(Code::forbidden, "Only an owner may invite an owner.");
    }
    tx.exec(sql::replace_invitation, id, secret.token_hash, actor.user_id, now_timestamp(),
            secret.expires_at);
    audit::record(tx, {"user.invitation_sent", "user", id, {}});
    return user;
}

User update(store::Tx& tx, int64_t id, const UserChanges& changes, const Principal& actor,
            std::optional<int64_t> expected_version) {
    User user = load(tx, id, expected_version);
    bool role_changes = changes.role && *changes.role != user.role;
    bool active_now = user.status != Status::deactivated;
    bool active_changes = changes.is_active && *changes.is_active != active_now;
    if (role_changes || active_changes) {
        check_standing_change(user, actor, role_changes ? changes.role : std::nullopt);
    }
    bool active = changes.is_active.value_or(active_now);
    tx.exec(sql::update_user, changes.name.value_or(user.name),
            auth::role_name(changes.role.value_or(user.role)), active ? 1 : 0, now_timestamp(), id);
    if (!active) {
        end_sessions(tx, id);
    }
    User after = load(tx, id, std::nullopt);
    // One entry per kind of change, so that filtering by action finds every role change and every
    // change of standing whatever else the same request changed (docs/decisions.md).
    json::object from = to_json(user), to = to_json(after);
    json::object role_from = take(from, {"role"}), role_to = take(to, {"role"});
    json::object standing_from = take(from, {"is_active", "status"});
    json::object standing_to = take(to, {"is_active", "status"});
    if (role_changes) {
        record(tx, "user.role_changed", id, role_from, role_to);
    }
    if (active_changes) {
        record(tx, active ? "user.reactivated" : "user.deactivated", id, standing_from,
               standing_to);
    }
    // The other fields; a change of nothing at all is still a write that tells it happened.
    json::object rest = audit::diff(from, to, audit_policy);
    if (!rest.empty() || !(role_changes || active_changes)) {
        audit::record(tx, {"user.updated", "user", id, std::move(rest)});
    }
    return after;
}

void remove(store::Tx& tx, int64_t id, const Principal& actor,
            std::optional<int64_t> expected_version) {
    User user = load(tx, id, expected_version);
    check_standing_change(user, actor, std::nullopt);
    std::string now = now_timestamp();
    tx.exec(sql::delete_user, now, now, id);
    tx.exec(sql::delete_invitation, id);
    end_sessions(tx, id);
    record(tx, "user.removed", id, to_json(user), {});
}

std::optional<OpenInvitation> find_invitation(store::Tx& tx, const std::string& token) {
    auto q = tx.query(sql::invitation_by_hash, auth::hash_secret(token));
    if (!q.step() || q.text(2) <= now_timestamp()) {
        return std::nullopt;
    }
    return OpenInvitation{q.int64(0), q.int64(1), std::string(q.text(3)), std::string(q.text(4)),
                          auth::parse_role(q.text(5)).value_or(Role::viewer)};
}

bool accept_invitation(store::Tx& tx, const std::string& token, const OpenInvitation& invitation,
                       const std::string& password_hash, const std::string& name) {
    if (!find_invitation(tx, token)) {
        return false;
    }
    store::Tx workspace = tx.workspace(invitation.tenant_id);
    User before = load(workspace, invitation.user_id, std::nullopt);
    std::string now = now_timestamp();
    tx.exec(sql::accept_invitation, password_hash, name, now, now, invitation.user_id);
    tx.exec(sql::delete_invitation_by_hash, auth::hash_secret(token));
    // The invitee, proven by the link, is who acts from here on (a public route).
    audit::act_as(tx, {"user", invitation.user_id, name.empty() ? invitation.email : name});
    record(workspace, "user.joined", invitation.user_id, to_json(before),
           to_json(load(workspace, invitation.user_id, std::nullopt)));
    return true;
}

}  // namespace clientele::users
