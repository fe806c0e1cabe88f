// One table of columns per model: the SELECT list, the binds of an INSERT or UPDATE and the row
// reader all come from the same list, in the same order, so they cannot disagree (before, each
// model had a column list, a binder and a reader with numbered columns kept in step by hand).
//
// Most tables come from the model's description (Boost.Describe): each described member is the
// column of its name.
//
//     BOOST_DESCRIBE_STRUCT(Job, (), (id, kind, payload, state))   // beside the table
//     const store::Columns<Job>& job_columns() {
//         static const auto columns = store::described_columns<Job>("", {"kind", "payload"});
//         return columns;
//     }
//     static const std::string text = job_columns().sql("SELECT {columns} FROM jobs WHERE ...");
//     Job job = job_columns().read(q);
//
// Columns whose SQL differs from the member's name (a joined table's, a computed one) are added
// with field() or spelled out as a Column. A column reads one or more result columns into the row
// (`select`, `width` of them) and, when it names a `write` column, binds its value for an INSERT
// or UPDATE. Reading costs what the hand-written readers cost: a row's strings are its only
// allocations.
#pragma once

#include <algorithm>
#include <boost/describe/class.hpp>
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>
#include <cassert>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.hpp"

namespace clientele::store {

//! Reads result column `i` into `out`, for the types the models hold. NULL reads as nullopt.
inline void read_value(const Query& q, int i, int64_t& out) {
    out = q.int64(i);
}
inline void read_value(const Query& q, int i, bool& out) {
    out = q.int64(i) != 0;
}
inline void read_value(const Query& q, int i, std::string& out) {
    out = q.text(i);
}
inline void read_value(const Query& q, int i, std::optional<std::string>& out) {
    if (q.is_null(i)) {
        out.reset();
    } else {
        out.emplace(q.text(i));
    }
}
inline void read_value(const Query& q, int i, std::optional<int64_t>& out) {
    if (q.is_null(i)) {
        out.reset();
    } else {
        out = q.int64(i);
    }
}

template <class Row>
struct Column {
    std::string select;  //!< what the SELECT list reads ("c.name"; "c.title_id, ti.name")
    int width = 1;       //!< how many result columns `select` names (0: none)
    void (*read)(Row& row, const Query& q, int first) = nullptr;
    //! The column(s) an INSERT or UPDATE sets ("name"; "street, street2"), which `bind` binds in
    //! that order; empty: not written.
    std::string write = {};
    void (*bind)(Query& q, const Row& row) = nullptr;
};

//! The SQL texts of a table of columns, and their use in statements.
class ColumnText {
  public:
    //! `text` with `{columns}` (the SELECT list), `{names}` and `{values}` (an INSERT's written
    //! columns and their `?`) and `{set}` (an UPDATE's `name = ?, ...`) replaced.
    std::string sql(std::string_view text) const;
    const std::string& select() const { return select_; }
    //! How many result columns the SELECT list has: extra columns a query selects after them
    //! start there.
    int width() const { return width_; }

  protected:
    void add(std::string_view select, int width, std::string_view write);

  private:
    std::string select_, names_, values_, set_;
    int width_ = 0;
};

template <class Row>
class Columns : public ColumnText {
  public:
    //! Adds a column after the others.
    Columns& add(Column<Row> column) {
        ColumnText::add(column.select, column.width, column.write);
        columns_.push_back(std::move(column));
        return *this;
    }

    //! Reads a row selected with select(), its first column at `first`.
    void read(Row& row, const Query& q, int first = 0) const {
        for (const Column<Row>& c : columns_) {
            if (c.read) {
                c.read(row, q, first);
            }
            first += c.width;
        }
    }
    Row read(const Query& q, int first = 0) const {
        Row row;
        read(row, q, first);
        return row;
    }
    //! The same, for functions that take a row reader (store::read_id_page).
    Row operator()(const Query& q) const { return read(q); }
    //! Binds the written columns of `row` in the order of `{names}` and `{set}`.
    void bind(Query& q, const Row& row) const {
        for (const Column<Row>& c : columns_) {
            if (c.bind) {
                c.bind(q, row);
            }
        }
    }

  private:
    std::vector<Column<Row>> columns_;
};

template <class Member>
struct MemberOf;
template <class Row, class T>
struct MemberOf<T Row::*> {
    using row = Row;
};

//! A column holding a data member (or a member of one: `field<&Customer::address,
//! &Address::city>`), read from `select` unless it is empty, and written to `write` unless it is.
template <auto First, auto... Rest>
Column<typename MemberOf<decltype(First)>::row> field(std::string select,
                                                      std::string_view write = {}) {
    using Row = typename MemberOf<decltype(First)>::row;
    Column<Row> c{std::move(select), 0};
    if (!c.select.empty()) {
        c.width = 1;
        c.read = [](Row& row, const Query& q, int i) {
            read_value(q, i, ((row.*First).*....*Rest));
        };
    }
    // Only members that Query::bind takes can be written (a role, say, is read only).
    if constexpr (requires(Query & q, const Row& row) { q.bind(((row.*First).*....*Rest)); }) {
        if (!write.empty()) {
            c.write = std::string(write);
            c.bind = [](Query& q, const Row& row) { q.bind(((row.*First).*....*Rest)); };
        }
    } else {
        assert(write.empty());
    }
    return c;
}

//! The columns of a described struct (BOOST_DESCRIBE_STRUCT), in the order described: each
//! member read from the column of its name after `prefix` (a table alias, "c."), and written to
//! it when `written` names it.
template <class Row>
Columns<Row> described_columns(std::string_view prefix,
                               std::initializer_list<std::string_view> written = {}) {
    Columns<Row> columns;
    size_t writes = 0;
    boost::mp11::mp_for_each<boost::describe::describe_members<Row, boost::describe::mod_public>>(
        [&](auto member) {
            std::string_view name = member.name;
            bool write = std::find(written.begin(), written.end(), name) != written.end();
            writes += write;
            columns.add(field<decltype(member)::pointer>(std::string(prefix).append(name),
                                                         write ? name : std::string_view()));
        });
    if (writes != written.size()) {
        throw std::logic_error("a written column names no described member");
    }
    return columns;
}

//! The columns every described member of `Row` is written to, of its name; none read (the fields
//! of a create or an update).
template <class Row>
Columns<Row> written_columns() {
    Columns<Row> columns;
    boost::mp11::mp_for_each<boost::describe::describe_members<Row, boost::describe::mod_public>>(
        [&](auto member) { columns.add(field<decltype(member)::pointer>("", member.name)); });
    return columns;
}

}  // namespace clientele::store
