// The PostgreSQL backend of the store (libpq): a connection with its prepared statements, and the
// translation of the store's parameter style (`?` in order, `:tenant` by name) to `$n`.
#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "store/backends.hpp"

namespace clientele::store {

TranslatedSql translate_parameters(std::string_view sql) {
    TranslatedSql out;
    out.text.reserve(sql.size() + 16);
    int next = 0;
    for (size_t i = 0; i < sql.size(); ++i) {
        char c = sql[i];
        if (c == '\'' || c == '"') {  // a string literal or quoted identifier, copied whole
            size_t end = sql.find(c, i + 1);
            end = end == std::string_view::npos ? sql.size() : end + 1;
            out.text.append(sql.substr(i, end - i));
            i = end - 1;
        } else if (c == '?') {
            out.text += fmt::format("${}", ++next);
        } else if (c == ':' && sql.substr(i, 7) == ":tenant" && (i == 0 || sql[i - 1] != ':') &&
                   (i + 7 == sql.size() ||
                    !(std::isalnum(uint8_t(sql[i + 7])) || sql[i + 7] == '_'))) {
            if (out.tenant_index == 0) {
                out.tenant_index = ++next;
            }
            out.text += fmt::format("${}", out.tenant_index);
            i += 6;
        } else {
            out.text += c;
        }
    }
    out.parameters = next;
    return out;
}

namespace {

struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
constexpr size_t max_cached_statements = 1024;  // as for SQLite: a guard against spliced SQL

// Type oids of the parameters bound (pg_type.h), declared when a statement is prepared. Text is
// sent untyped, as a literal would be: the server types it from its context, so a number the
// application keeps as text (a filter's value, a cursor's id) compares with a BIGINT column as
// it does in SQLite.
constexpr Oid int8_oid = 20;
constexpr Oid text_oid = 25;
constexpr Oid float8_oid = 701;
constexpr Oid bytea_oid = 17;
constexpr Oid unknown_oid = 0;

struct ResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// SQLSTATE classes that mean the database cannot serve now, rather than a bad statement: connection
// failures (08), too many connections or out of memory/disk (53), shutdown (57P), and a failed
// serialisation or deadlock (40), which a retry later may get past.
bool unavailable_state(std::string_view state) {
    return state.starts_with("08") || state.starts_with("53") || state.starts_with("57P") ||
           state.starts_with("40");
}

[[noreturn]] void fail(PGconn* connection, const PGresult* result, std::string_view what) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string message =
        fmt::format("{}: {}", what,
                    result && *PQresultErrorMessage(result) ? PQresultErrorMessage(result)
                                                            : PQerrorMessage(connection));
    while (!message.empty() && message.back() == '\n') {
        message.pop_back();
    }
    if (state && std::string_view(state) == "23505") {
        throw UniqueViolation(message);
    }
    if (!state || PQstatus(connection) != CONNECTION_OK || unavailable_state(state)) {
        throw Unavailable(message);
    }
    throw std::runtime_error(message);
}

class PgConnection;

class PgStatement final : public Statement {
  public:
    PgStatement(PgConnection& connection, std::string_view sql);

    int tenant_index() const override { return sql_.tenant_index; }
    void bind_int64(int index, int64_t value) override {
        char digits[24];
        auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
        set(index, int8_oid, std::string(digits, end), 0);
    }
    void bind_double(int index, double value) override {
        set(index, float8_oid, fmt::format("{}", value), 0);
    }
    void bind_text(int index, std::string_view value) override {
        set(index, unknown_oid, std::string(value), 0);
    }
    void bind_blob(int index, std::string_view value) override {
        set(index, bytea_oid, std::string(value), 1);  // sent as binary: no escaping
    }
    void bind_null(int index) override {
        set(index, unknown_oid, {}, 0);
        params_[size_t(index - 1)].is_null = true;
    }

    bool step() override;
    int64_t changes() const override { return changes_; }
    // The budget races SQLite plans (customers/service.cpp); PostgreSQL plans its search
    // differently and runs every statement to its end.
    void set_budget(int64_t) override {}
    bool over_budget() const override { return false; }

    bool is_null(int column) const override {
        return PQgetisnull(result_.get(), row_, column) != 0;
    }
    int64_t int64(int column) const override {
        std::string_view value = text(column);
        if (value == "t")
            return 1;  // a boolean expression (x IS NOT NULL) reads as SQLite's 1 and 0
        if (value == "f" || value.empty())
            return 0;
        int64_t number = 0;
        std::from_chars(value.data(), value.data() + value.size(), number);
        return number;
    }
    double real(int column) const override {
        std::string value(text(column));
        return value.empty() ? 0.0 : std::stod(value);
    }
    std::string_view text(int column) const override {
        return {PQgetvalue(result_.get(), row_, column),
                size_t(PQgetlength(result_.get(), row_, column))};
    }
    std::string_view blob(int column) const override;

    //! Ready for the next run: no row, no bindings.
    void reset() {
        result_.reset();
        executed_ = false;
        row_ = -1;
        changes_ = 0;
        for (auto& p : params_) {
            p = Param{};
        }
    }

    bool in_use = false;   //!< a Query runs it (cached statements only)
    bool one_off = false;  //!< not cached: dropped when its Query ends

  private:
    struct Param {
        Oid type = unknown_oid;
        std::string value;
        bool is_null = true;
        int format = 0;
    };

    void set(int index, Oid type, std::string value, int format) {
        Param& p = params_.at(size_t(index - 1));
        p.type = type;
        p.value = std::move(value);
        p.is_null = false;
        p.format = format;
    }

    PgConnection& connection_;
    TranslatedSql sql_;
    std::vector<Param> params_;
    Result result_;
    bool executed_ = false;
    int row_ = -1;
    int64_t changes_ = 0;
    mutable std::string blob_;  //!< the last blob column read, decoded from bytea's hex form
    //! Parameter types → the connection's prepared statement for them (see step()).
    std::vector<std::pair<std::vector<Oid>, std::string>> names_;
};

class PgConnection final : public Connection {
  public:
    explicit PgConnection(const std::string& url) {
        // The URL may carry its own options; these are defaults for what it leaves out.
        const char* keywords[] = {"dbname", "connect_timeout", "application_name", nullptr};
        const char* values[] = {url.c_str(), "5", "clientele", nullptr};
        connection_ = PQconnectdbParams(keywords, values, 1);
        if (PQstatus(connection_) != CONNECTION_OK) {
            std::string message = PQerrorMessage(connection_);
            PQfinish(connection_);
            connection_ = nullptr;
            throw Unavailable(fmt::format("cannot connect to PostgreSQL: {}", message));
        }
        // Timestamps are text the application writes; the session's own settings stay fixed so
        // that no default of the server changes what a statement means.
        exec(
            "SET client_encoding = 'UTF8'; SET standard_conforming_strings = on;"
            " SET statement_timeout = '30s'; SET lock_timeout = '10s';"
            " SET idle_in_transaction_session_timeout = '60s'");
    }
    ~PgConnection() override {
        cache_.clear();
        one_offs_.clear();
        PQfinish(connection_);
    }
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    Backend backend() const override { return Backend::postgres; }

    void exec(std::string_view sql) override {
        Result result(PQexec(connection_, std::string(sql).c_str()));
        ExecStatusType status = PQresultStatus(result.get());
        // Empty: a script of comments alone, as a migration with nothing to do on this engine.
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK &&
            status != PGRES_EMPTY_QUERY) {
            fail(connection_, result.get(), "exec failed");
        }
    }

    Statement& prepare(std::string_view sql) override {
        auto it = cache_.find(sql);
        if (it == cache_.end()) {
            if (cache_.size() >= max_cached_statements) {
                std::erase_if(cache_, [](const auto& kv) { return !kv.second->in_use; });
            }
            it = cache_.emplace(std::string(sql), std::make_unique<PgStatement>(*this, sql)).first;
        }
        PgStatement& cached = *it->second;
        if (cached.in_use) {  // the same SQL nested in its own loop: a statement of its own
            PgStatement& one_off =
                *one_offs_.emplace_back(std::make_unique<PgStatement>(*this, sql));
            one_off.one_off = true;
            return one_off;
        }
        cached.in_use = true;
        return cached;
    }

    void release(Statement& statement) override {
        auto& pg_statement = static_cast<PgStatement&>(statement);
        pg_statement.reset();
        if (pg_statement.one_off) {
            std::erase_if(one_offs_, [&](const auto& s) { return s.get() == &statement; });
        } else {
            pg_statement.in_use = false;
        }
    }

    // Reads see one snapshot (REPEATABLE READ), as a SQLite read transaction does.
    void begin(bool write) override {
        exec(write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }
    void commit() override { exec("COMMIT"); }
    void rollback() noexcept override {
        if (PQtransactionStatus(connection_) == PQTRANS_IDLE) {
            return;
        }
        Result result(PQexec(connection_, "ROLLBACK"));
    }
    bool broken() const override { return PQstatus(connection_) != CONNECTION_OK; }

    //! The server-side name of `sql` prepared for these parameter types, preparing it once per
    //! connection (statements the cache dropped, or one-offs, find it here again).
    const std::string& prepared(const std::string& sql, const std::vector<Oid>& types) {
        std::string key = sql;
        for (Oid type : types) {
            key += fmt::format("\x1f{}", type);
        }
        auto it = prepared_.find(key);
        if (it != prepared_.end()) {
            return it->second;
        }
        std::string name = fmt::format("s{}", prepared_.size() + 1);
        // Where nothing types an untyped parameter (`? IS NULL`) the prepare fails (42P18), and
        // the untyped ones are typed as text instead. A failed statement aborts the transaction
        // around it, hence the savepoint.
        bool untyped = std::find(types.begin(), types.end(), unknown_oid) != types.end();
        bool in_transaction = PQtransactionStatus(connection_) == PQTRANS_INTRANS;
        if (untyped && in_transaction) {
            exec("SAVEPOINT clientele_prepare");
        }
        Result result(
            PQprepare(connection_, name.c_str(), sql.c_str(), int(types.size()), types.data()));
        const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
        if (untyped && state && std::string_view(state) == "42P18") {
            if (in_transaction) {
                exec("ROLLBACK TO SAVEPOINT clientele_prepare");
            }
            std::vector<Oid> typed = types;
            std::replace(typed.begin(), typed.end(), unknown_oid, text_oid);
            result.reset(
                PQprepare(connection_, name.c_str(), sql.c_str(), int(typed.size()), typed.data()));
        }
        if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
            fail(connection_, result.get(), fmt::format("prepare failed for [{}]", sql));
        }
        if (untyped && in_transaction) {
            exec("RELEASE SAVEPOINT clientele_prepare");
        }
        return prepared_.emplace(std::move(key), std::move(name)).first->second;
    }

    PGconn* handle() { return connection_; }

  private:
    PGconn* connection_ = nullptr;
    std::unordered_map<std::string, std::unique_ptr<PgStatement>, StringHash, std::equal_to<>>
        cache_;
    std::vector<std::unique_ptr<PgStatement>> one_offs_;
    std::unordered_map<std::string, std::string> prepared_;  //!< SQL and types → statement name
};

PgStatement::PgStatement(PgConnection& connection, std::string_view sql)
    : connection_(connection), sql_(translate_parameters(sql)), params_(size_t(sql_.parameters)) {}

bool PgStatement::step() {
    if (!executed_) {
        executed_ = true;
        std::vector<Oid> types;
        std::vector<const char*> values;
        std::vector<int> lengths, formats;
        for (const Param& p : params_) {
            types.push_back(p.type);
            values.push_back(p.is_null ? nullptr : p.value.data());
            lengths.push_back(int(p.value.size()));
            formats.push_back(p.format);
        }
        // The server-side name for these parameter types: this statement remembers the few it
        // has used, so a repeated run neither copies nor hashes the SQL text.
        auto known = std::find_if(names_.begin(), names_.end(),
                                  [&](const auto& entry) { return entry.first == types; });
        if (known == names_.end()) {
            known = names_.insert(names_.end(), {types, connection_.prepared(sql_.text, types)});
        }
        const std::string& name = known->second;
        result_.reset(PQexecPrepared(connection_.handle(), name.c_str(), int(params_.size()),
                                     values.data(), lengths.data(), formats.data(), 0));
        ExecStatusType status = PQresultStatus(result_.get());
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            fail(connection_.handle(), result_.get(), "query failed");
        }
        const char* changed = PQcmdTuples(result_.get());
        changes_ = *changed ? std::atoll(changed) : 0;
    }
    return ++row_ < PQntuples(result_.get());
}

std::string_view PgStatement::blob(int column) const {
    size_t length = 0;
    unsigned char* bytes = PQunescapeBytea(
        reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row_, column)), &length);
    if (!bytes) {
        throw std::bad_alloc();
    }
    blob_.assign(reinterpret_cast<const char*>(bytes), length);
    PQfreemem(bytes);
    return blob_;
}

}  // namespace

std::unique_ptr<Connection> connect_postgres(const std::string& url) {
    return std::make_unique<PgConnection>(url);
}

}  // namespace clientele::store
