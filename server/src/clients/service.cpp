#include "clients/service.hpp"

#include <fmt/format.h>

#include <array>

#include "area.hpp"
#include "audit/trail.hpp"
#include "auth/service.hpp"
#include "auth/tokens.hpp"
#include "clients/credentials.hpp"
#include "clients/message.hpp"
#include "clients/queries.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/formats.hpp"
#include "core/gstin.hpp"
#include "core/json_output.hpp"
#include "core/phone.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "store/columns.hpp"

namespace clientele::clients {

namespace json = boost::json;

// A client's columns of clients `c` of the same names (client_columns), and those a create or an
// update writes (input_columns).
BOOST_DESCRIBE_STRUCT(Client, (),
                      (id, company_name, contact_email, contact_person_name, phone_number,
                       whatsapp_number, business_address, business_type, gst_number, version,
                       created_at, updated_at, owner_user_id))
BOOST_DESCRIBE_STRUCT(ClientInput, (),
                      (company_name, contact_email, contact_person_name, phone_number,
                       whatsapp_number, business_address, business_type, gst_number))

namespace {

const store::Columns<Client>& client_columns() {
    using store::field;
    static const auto columns = store::described_columns<Client>("c.")
                                    .add(field<&Client::workspace_id>("c.tenant_id"))
                                    .add(field<&Client::username>("u.username"))
                                    .add(field<&Client::is_active>("w.is_active"))
                                    .add(field<&Client::last_login>("u.last_login"));
    return columns;
}

const store::Columns<ClientInput>& input_columns() {
    static const auto columns = store::written_columns<ClientInput>();
    return columns;
}

// `SELECT <a client's columns> FROM <a client's tables> <rest>`.
std::string select_clients(std::string_view rest) {
    return client_columns().sql(std::string("SELECT {columns}").append(sql::client_from)) +
           std::string(rest);
}

std::optional<std::string> value_of(const Input<std::string>& in) {
    return in.has_value() && !in.value.empty() ? std::optional<std::string>(in.value)
                                               : std::nullopt;
}

Client require(store::Tx& tx, int64_t id) {
    auto client = find(tx, id);
    if (!client) {
        throw Error(Code::not_found, fmt::format("There is no client {}.", id));
    }
    return *client;
}

// The operator's actions on clients are recorded in the operator's workspace (the platform's),
// where the operator reads them; bookkeeping left out. The JSON form has no password.
const audit::FieldPolicy audit_policy{
    .ignored = {"id", "version", "created_at", "updated_at", "last_login"}, .masked = {}};

void record(store::Tx& tx, std::string_view action, int64_t id, const json::object& before,
            const json::object& after) {
    audit::record_in(tx, audit::platform_workspace,
                     {action, "client", id, audit::diff(before, after, audit_policy)});
}

}  // namespace

json::object to_json(const Client& c) {
    return {{"id", c.id},
            {"company_name", c.company_name},
            {"contact_email", c.contact_email},
            {"contact_person_name", nullable(c.contact_person_name)},
            {"phone_number", nullable(c.phone_number)},
            {"whatsapp_number", nullable(c.whatsapp_number)},
            {"business_address", nullable(c.business_address)},
            {"business_type", nullable(c.business_type)},
            {"gst_number", nullable(c.gst_number)},
            {"username", c.username},
            {"is_active", c.is_active},
            {"last_login", nullable(c.last_login)},
            {"workspace_id", c.workspace_id},
            {"version", c.version},
            {"created_at", c.created_at},
            {"updated_at", c.updated_at}};
}

bool is_business_type(std::string_view value) {
    constexpr std::array<std::string_view, 6> business_types{"retail", "wholesale", "restaurant",
                                                             "hotel",  "services",  "other"};
    return std::find(business_types.begin(), business_types.end(), value) != business_types.end();
}

ClientInput parse_client(const json::object& body, std::string_view phone_region) {
    std::vector<FieldError> errors;
    ObjectReader in(body, "", errors);
    ClientInput c;
    auto company = in.string("company_name", {.min = 1, .max = 200, .nullable = false});
    auto email = in.string("contact_email", {.min = 1, .max = 254, .nullable = false});
    auto person = in.string("contact_person_name", {.max = 200});
    auto phone = in.string("phone_number", {.max = 32});
    auto whatsapp = in.string("whatsapp_number", {.max = 32});
    auto address = in.string("business_address", {.max = 500, .multiline = true});
    auto type = in.string("business_type", {.max = 32});
    auto gst = in.string("gst_number", {.max = 15});
    for (auto field : {"id", "username", "password", "is_active", "last_login", "workspace_id",
                       "version", "created_at", "updated_at"}) {
        in.read_only(field);
    }
    in.finish();
    in.require("company_name", company);
    in.require("contact_email", email);
    if (email.has_value() && !is_valid_email(email.value)) {
        in.fail("contact_email", "must be a valid email address");
    }
    for (auto [name, value] :
         {std::pair{"phone_number", &phone}, std::pair{"whatsapp_number", &whatsapp}}) {
        if (!value->has_value() || value->value.empty())
            continue;
        if (auto e164 = to_e164(value->value, phone_region)) {
            value->value = *e164;
        } else {
            in.fail(name, fmt::format("must be a valid phone number (without a +country code it "
                                      "is read as a number of {})",
                                      phone_region));
        }
    }
    if (type.has_value() && !type.value.empty() && !is_business_type(type.value)) {
        in.fail("business_type", std::string(business_type_rule));
    }
    if (gst.has_value() && !gst.value.empty()) {
        for (char& ch : gst.value)
            ch = char(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
        if (!is_valid_gstin(gst.value)) {
            in.fail("gst_number", "must be a valid 15-character GSTIN");
        }
    }
    throw_if_invalid(errors);
    c.company_name = company.value;
    c.contact_email = ascii_lower(email.value);
    c.contact_person_name = value_of(person);
    c.phone_number = value_of(phone);
    c.whatsapp_number = value_of(whatsapp);
    c.business_address = value_of(address);
    c.business_type = value_of(type);
    c.gst_number = value_of(gst);
    return c;
}

std::string choose_username(store::Tx& tx, const std::string& company_name) {
    return unique_username(username_base(company_name), [&](const std::string& candidate) {
        return tx.query(sql::username_taken, candidate).step();
    });
}

Client create(store::Tx& tx, const ClientInput& in, const std::string& username,
              const std::string& password_hash) {
    auth::check_email_free(tx, in.contact_email, "contact_email", 0);
    if (tx.query(sql::username_taken, username).step()) {
        throw Error(Code::conflict, "The generated username was taken meanwhile; try again.");
    }
    std::string now = now_timestamp();
    int64_t workspace = tx.insert(sql::insert_tenant, username, in.company_name, now, now);
    int64_t owner = tx.insert(sql::insert_owner, workspace, in.contact_email,
                              in.contact_person_name.value_or(in.company_name), username,
                              password_hash, now, now, now);
    static const std::string insert = input_columns().sql(sql::insert_client);
    auto q = tx.query(insert, workspace, owner);
    input_columns().bind(q, in);
    q.bind(now);
    q.bind(now);
    int64_t id = q.run_returning_id();
    tx.exec(sql::insert_company, workspace, in.company_name, in.whatsapp_number, now, now);
    store::Tx new_workspace = tx.workspace(workspace);
    on_workspace_created(new_workspace);
    Client created = require(tx, id);
    record(tx, "client.created", id, {}, to_json(created));
    return created;
}

std::optional<Client> find(store::Tx& tx, int64_t id) {
    static const std::string text = select_clients(" WHERE c.id = ?");
    auto q = tx.query(text, id);
    if (!q.step()) {
        return std::nullopt;
    }
    return client_columns().read(q);
}

store::IdPage<Client> list(store::Tx& tx, int limit, std::optional<int64_t> before_id,
                           const std::optional<std::string>& q, std::optional<bool> active,
                           const std::optional<std::string>& business_type) {
    std::string text = select_clients(" WHERE 1 = 1");
    std::vector<std::string> args;
    if (before_id) {
        text += " AND c.id < ?";
        args.push_back(std::to_string(*before_id));
    }
    if (q) {
        // Few rows (one per client business): a scan with instr is fine here.
        text +=
            " AND (instr(lower(c.company_name), ?) > 0 OR instr(u.username, ?) > 0"
            " OR instr(c.contact_email, ?) > 0)";
        args.insert(args.end(), {*q, *q, *q});
    }
    if (active) {
        text += " AND w.is_active = ?";
        args.push_back(*active ? "1" : "0");
    }
    if (business_type) {
        text += " AND c.business_type = ?";
        args.push_back(*business_type);
    }
    text += " ORDER BY c.id DESC LIMIT ?";
    return store::read_id_page(tx.query(text), args, limit, client_columns());
}

void export_header(CsvWriter& csv) {
    csv.row({"id", "company_name", "contact_email", "contact_person_name", "phone_number",
             "whatsapp_number", "business_address", "business_type", "gst_number", "username",
             "is_active", "last_login", "created_at", "updated_at"});
}

std::optional<int64_t> export_page(store::Tx& tx, int64_t after_id, int limit, CsvWriter& csv) {
    static const std::string text = select_clients(" WHERE c.id > ? ORDER BY c.id LIMIT ?");
    auto q = tx.query(text, after_id, limit);
    std::optional<int64_t> last;
    while (q.step()) {
        Client c = client_columns().read(q);
        std::string id = std::to_string(c.id);
        csv.row({id, c.company_name, c.contact_email, c.contact_person_name.value_or(""),
                 c.phone_number.value_or(""), c.whatsapp_number.value_or(""),
                 c.business_address.value_or(""), c.business_type.value_or(""),
                 c.gst_number.value_or(""), c.username, c.is_active ? "true" : "false",
                 c.last_login.value_or(""), c.created_at, c.updated_at});
        last = c.id;
    }
    return last;
}

Client update(store::Tx& tx, int64_t id, const ClientInput& in) {
    Client before = require(tx, id);
    int64_t owner = before.owner_user_id;
    auth::check_email_free(tx, in.contact_email, "contact_email", owner);
    std::string now = now_timestamp();
    static const std::string update = input_columns().sql(sql::update_client);
    auto q = tx.query(update);
    input_columns().bind(q, in);
    q.bind(now);
    q.bind(id);
    q.run();
    tx.exec(sql::update_owner_contact, in.contact_email,
            in.contact_person_name.value_or(in.company_name), now, owner);
    tx.exec(sql::update_company, in.company_name, in.whatsapp_number, now, before.workspace_id);
    Client after = require(tx, id);
    record(tx, "client.updated", id, to_json(before), to_json(after));
    return after;
}

std::string credentials_template(store::Tx& tx) {
    auto q = tx.query(sql::get_setting, sql::template_setting);
    return q.step() ? std::string(q.text(0)) : std::string(default_credentials_template);
}

void save_credentials_template(store::Tx& tx, const std::string& text) {
    std::string before = credentials_template(tx);
    tx.exec(sql::put_setting, sql::template_setting, text, now_timestamp());
    json::object from{{"credentials_template", before}}, to{{"credentials_template", text}};
    audit::record_in(
        tx, audit::platform_workspace,
        {"platform_setting.updated", "platform_setting", std::nullopt, audit::diff(from, to, {})});
}

Client reset_password(store::Tx& tx, int64_t id, const std::string& password_hash) {
    Client c = require(tx, id);
    std::string now = now_timestamp();
    tx.exec(sql::set_owner_password, password_hash, now, c.owner_user_id);
    tx.exec(sql::end_workspace_sessions, c.workspace_id);
    auth::revoke_tokens_of_workspace(tx, c.workspace_id);
    tx.exec(sql::touch_client, now, id);
    // That it happened, never the password or its hash.
    record(tx, "client.password_reset", id, {}, {});
    return require(tx, id);
}

Client toggle_status(store::Tx& tx, int64_t id) {
    Client c = require(tx, id);
    std::string now = now_timestamp();
    tx.exec(sql::set_workspace_active, c.is_active ? 0 : 1, now, c.workspace_id);
    if (c.is_active) {
        tx.exec(sql::end_workspace_sessions, c.workspace_id);
        auth::revoke_tokens_of_workspace(tx, c.workspace_id);
    }
    tx.exec(sql::touch_client, now, id);
    Client after = require(tx, id);
    record(tx, after.is_active ? "client.activated" : "client.deactivated", id, to_json(c),
           to_json(after));
    return after;
}

}  // namespace clientele::clients
